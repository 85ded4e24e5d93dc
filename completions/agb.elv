
use builtin;
use str;

set edit:completion:arg-completer[agb] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'agb'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'agb'= {
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand build 'Render the selected resources into the output root (the directory of agb.yaml)'
            cand sync 'Carry edits made in the project back into the source repository'
            cand status 'Show what `build` and `sync` would do, in both directions (exit 3 when anything is pending)'
            cand list 'List the selected resources; with --all, every resource of the source'
            cand init 'Write a starter agb.yaml (and with --new-source a starter source repository)'
            cand adopt 'Bring commands, agents and skills written in an agent''s own format into the source'
            cand new 'Add a command, an agent or a skill to the source repository'
            cand factory 'Read the team''s Terraform module factory through a cached git clone'
            cand publish 'Publish a module version: branch + commit made locally, `git push`, pull-request link'
            cand explain 'Explain an error code: what it means and what to do'
            cand completions 'Print a shell completion script'
            cand man 'Write or print the man pages'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agb;build'= {
            cand --target 'Act only on this target of agb.yaml (without it, on every target it names)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --dry-run 'Print what would be created, updated or removed; write nothing'
            cand --diff 'With --dry-run: print unified diffs'
            cand --check 'Write nothing; exit 3 when the outputs are not up to date (for CI and pre-commit)'
            cand --clean 'Remove every file the previous build wrote before writing'
            cand --force 'Overwrite outputs that were edited in the project (their edits are lost)'
            cand --strict 'Treat the target''s schema warnings (a metadata key dropped, translated or renamed for the agent) as errors: exit 1 and write nothing'
            cand --explain 'List, per output, what the target''s schema dropped, translated or renamed (why an agent does not see a key of the source), instead of one warning line each'
            cand --user 'Use each agent''s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does'
            cand --json 'Print the result as JSON'
            cand --watch 'Keep running: rebuild whenever the source or agb.yaml changes (Ctrl-C to stop)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;sync'= {
            cand --target 'Act only on this target of agb.yaml (without it, on every target it names)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --dry-run 'Print the plan; write nothing'
            cand --diff 'With --dry-run: print unified diffs'
            cand --check 'Write nothing; exit 3 when something is pending'
            cand --force 'The project side wins conflicts'
            cand --user 'Use each agent''s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does'
            cand --json 'Print the result as JSON'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;status'= {
            cand --target 'Act only on this target of agb.yaml (without it, on every target it names)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --user 'Use each agent''s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does'
            cand --json 'Print the result as JSON'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;list'= {
            cand --target 'Act only on this target of agb.yaml (without it, on every target it names)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --all 'Also list resources that are not selected in agb.yaml'
            cand --user 'Use each agent''s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does'
            cand --json 'Print the result as JSON'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;init'= {
            cand --source 'The source repository of resources (default: ~/agb-resources). A relative path is taken relative to the current directory (or -C DIR)'
            cand --new-source 'Create a starter source repository in DIR (one plugin with a command, an agent and a skill) and select its resources'
            cand --target 'The agent to build for (default: guessed from the directory name: .gemini, .claude, .opencode, .codex, .github → copilot; in a project root, the agent directories found there, else claude-code). Repeat it for several agents: in a project root, one agb.yaml with `targets:` builds each into its own directory'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --force 'Overwrite an existing agb.yaml'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;adopt'= {
            cand --plugin 'The plugin of the source they become resources of (created when missing)'
            cand --target 'The agent format the files are in (default: the agent directory in their path, else the target of agb.yaml)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --dry-run 'Print what would be written; write nothing'
            cand --json 'Print the result as JSON'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;new'= {
            cand --source 'The source repository (default: `source:` of agb.yaml)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;factory'= {
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand fetch 'Clone or update the cache now'
            cand catalog 'List modules: path, latest version, number of versions, description'
            cand check 'Does a module (and version) exist? Exit 5 with the closest matches when not'
            cand show 'A module version''s MODULE_METADATA.yaml and file list'
            cand compare 'Compare a local module with a published version and suggest a semver bump'
            cand import 'Write a module version''s files into DEST'
            cand validate 'Check module references in .tf files against the catalog (exit 5 when some do not exist)'
            cand lint 'Check catalog.json against the tree, and the metadata schema'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agb;factory;fetch'= {
            cand --factory 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --refresh 'Fetch now, whatever the cache''s age'
            cand --offline 'Never touch the network; answer from the cache'
            cand --json 'Print the result as JSON (schema 1)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;factory;catalog'= {
            cand --factory 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --patterns 'Also list patterns/'
            cand --refresh 'Fetch now, whatever the cache''s age'
            cand --offline 'Never touch the network; answer from the cache'
            cand --json 'Print the result as JSON (schema 1)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;factory;check'= {
            cand --factory 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --refresh 'Fetch now, whatever the cache''s age'
            cand --offline 'Never touch the network; answer from the cache'
            cand --json 'Print the result as JSON (schema 1)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;factory;show'= {
            cand --factory 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --refresh 'Fetch now, whatever the cache''s age'
            cand --offline 'Never touch the network; answer from the cache'
            cand --json 'Print the result as JSON (schema 1)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;factory;compare'= {
            cand --against 'Compare with another local directory (e.g. a checkout of the last release) instead of the factory; no factory is read'
            cand --policy 'The bump policy to apply with --against (a .agb/bump-policy.yaml; default: the built-in levels)'
            cand --factory 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --diff 'Print unified diffs (factory → local) of the files that differ'
            cand --explain 'Show every rule that fired at its place in the .tf files, and its policy entry'
            cand --refresh 'Fetch now, whatever the cache''s age'
            cand --offline 'Never touch the network; answer from the cache'
            cand --json 'Print the result as JSON (schema 1)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;factory;import'= {
            cand --factory 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --force 'Write into a non-empty DEST, replacing files with the same names'
            cand --refresh 'Fetch now, whatever the cache''s age'
            cand --offline 'Never touch the network; answer from the cache'
            cand --json 'Print the result as JSON (schema 1)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;factory;validate'= {
            cand --factory 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --refresh 'Fetch now, whatever the cache''s age'
            cand --offline 'Never touch the network; answer from the cache'
            cand --json 'Print the result as JSON (schema 1)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;factory;lint'= {
            cand --factory 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --refresh 'Fetch now, whatever the cache''s age'
            cand --offline 'Never touch the network; answer from the cache'
            cand --json 'Print the result as JSON (schema 1)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;factory;help'= {
            cand fetch 'Clone or update the cache now'
            cand catalog 'List modules: path, latest version, number of versions, description'
            cand check 'Does a module (and version) exist? Exit 5 with the closest matches when not'
            cand show 'A module version''s MODULE_METADATA.yaml and file list'
            cand compare 'Compare a local module with a published version and suggest a semver bump'
            cand import 'Write a module version''s files into DEST'
            cand validate 'Check module references in .tf files against the catalog (exit 5 when some do not exist)'
            cand lint 'Check catalog.json against the tree, and the metadata schema'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agb;factory;help;fetch'= {
        }
        &'agb;factory;help;catalog'= {
        }
        &'agb;factory;help;check'= {
        }
        &'agb;factory;help;show'= {
        }
        &'agb;factory;help;compare'= {
        }
        &'agb;factory;help;import'= {
        }
        &'agb;factory;help;validate'= {
        }
        &'agb;factory;help;lint'= {
        }
        &'agb;factory;help;help'= {
        }
        &'agb;publish'= {
            cand --module 'The module path in the factory: `provider/category/name` (default: MODULE_METADATA.yaml''s provider/category/name)'
            cand --version 'The new version (semver), or `auto` for `agb factory compare`''s suggested version (default: MODULE_METADATA.yaml''s module.version)'
            cand --description 'One line for the changelog and the pull request'
            cand --author 'Commit author as "Name <email>" (default: git config user.name / user.email)'
            cand --include 'Also publish files skipped by default (*.tfvars, .gitignore''d files) matching this glob; repeatable. Never .git/, .terraform/ or Terraform state'
            cand --factory 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand -V 'Print agb''s version (`-V`; `--version` is the module''s version here)'
            cand --allow-older 'Allow a version lower than the latest published one'
            cand --dry-run 'Show the tree diff and the link; push nothing'
            cand --no-push 'Commit into the cache only and print the push command'
            cand --update 'The publish branch exists (its pull request is open): add a commit with the module''s files as they are now (fast-forward only; refused when the branch is not agb''s for this module and version, or someone else pushed to it since)'
            cand --no-pr 'Do not open the pull request (no `gh pr create`, no GitLab push options): print the link'
            cand --refresh 'Fetch now, whatever the cache''s age'
            cand --offline 'Never touch the network; answer from the cache'
            cand --json 'Print the result as JSON (schema 1)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agb;explain'= {
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;completions'= {
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;man'= {
            cand --out 'Write agb.1 and one page per subcommand (agb-build.1 …) into DIR'
            cand -C 'Run as if agb was started in DIR (where agb.yaml is looked for)'
            cand --config 'Use this agb.yaml instead of the one found from the current directory upward'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand -q 'Print only results, errors and warnings (not with -v)'
            cand --quiet 'Print only results, errors and warnings (not with -v)'
            cand -v 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand --verbose 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agb;help'= {
            cand build 'Render the selected resources into the output root (the directory of agb.yaml)'
            cand sync 'Carry edits made in the project back into the source repository'
            cand status 'Show what `build` and `sync` would do, in both directions (exit 3 when anything is pending)'
            cand list 'List the selected resources; with --all, every resource of the source'
            cand init 'Write a starter agb.yaml (and with --new-source a starter source repository)'
            cand adopt 'Bring commands, agents and skills written in an agent''s own format into the source'
            cand new 'Add a command, an agent or a skill to the source repository'
            cand factory 'Read the team''s Terraform module factory through a cached git clone'
            cand publish 'Publish a module version: branch + commit made locally, `git push`, pull-request link'
            cand explain 'Explain an error code: what it means and what to do'
            cand completions 'Print a shell completion script'
            cand man 'Write or print the man pages'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agb;help;build'= {
        }
        &'agb;help;sync'= {
        }
        &'agb;help;status'= {
        }
        &'agb;help;list'= {
        }
        &'agb;help;init'= {
        }
        &'agb;help;adopt'= {
        }
        &'agb;help;new'= {
        }
        &'agb;help;factory'= {
            cand fetch 'Clone or update the cache now'
            cand catalog 'List modules: path, latest version, number of versions, description'
            cand check 'Does a module (and version) exist? Exit 5 with the closest matches when not'
            cand show 'A module version''s MODULE_METADATA.yaml and file list'
            cand compare 'Compare a local module with a published version and suggest a semver bump'
            cand import 'Write a module version''s files into DEST'
            cand validate 'Check module references in .tf files against the catalog (exit 5 when some do not exist)'
            cand lint 'Check catalog.json against the tree, and the metadata schema'
        }
        &'agb;help;factory;fetch'= {
        }
        &'agb;help;factory;catalog'= {
        }
        &'agb;help;factory;check'= {
        }
        &'agb;help;factory;show'= {
        }
        &'agb;help;factory;compare'= {
        }
        &'agb;help;factory;import'= {
        }
        &'agb;help;factory;validate'= {
        }
        &'agb;help;factory;lint'= {
        }
        &'agb;help;publish'= {
        }
        &'agb;help;explain'= {
        }
        &'agb;help;completions'= {
        }
        &'agb;help;man'= {
        }
        &'agb;help;help'= {
        }
    ]
    $completions[$command]
}
