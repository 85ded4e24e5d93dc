
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'agb' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'agb'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'agb' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Render the selected resources into the output root (the directory of agb.yaml)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Carry edits made in the project back into the source repository')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what `build` and `sync` would do, in both directions (exit 3 when anything is pending)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the selected resources; with --all, every resource of the source')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a starter agb.yaml (and with --new-source a starter source repository)')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Bring commands, agents and skills written in an agent''s own format into the source')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Add a command, an agent or a skill to the source repository')
            [CompletionResult]::new('factory', 'factory', [CompletionResultType]::ParameterValue, 'Read the team''s Terraform module factory through a cached git clone')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish a module version: branch + commit made locally, `git push`, pull-request link')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain an error code: what it means and what to do')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write or print the man pages')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agb;build' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Act only on this target of agb.yaml (without it, on every target it names)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be created, updated or removed; write nothing')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'With --dry-run: print unified diffs')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Write nothing; exit 3 when the outputs are not up to date (for CI and pre-commit)')
            [CompletionResult]::new('--clean', '--clean', [CompletionResultType]::ParameterName, 'Remove every file the previous build wrote before writing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite outputs that were edited in the project (their edits are lost)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat the target''s schema warnings (a metadata key dropped, translated or renamed for the agent) as errors: exit 1 and write nothing')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'List, per output, what the target''s schema dropped, translated or renamed (why an agent does not see a key of the source), instead of one warning line each')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Use each agent''s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Keep running: rebuild whenever the source or agb.yaml changes (Ctrl-C to stop)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;sync' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Act only on this target of agb.yaml (without it, on every target it names)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan; write nothing')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'With --dry-run: print unified diffs')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Write nothing; exit 3 when something is pending')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'The project side wins conflicts')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Use each agent''s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;status' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Act only on this target of agb.yaml (without it, on every target it names)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Use each agent''s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;list' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Act only on this target of agb.yaml (without it, on every target it names)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list resources that are not selected in agb.yaml')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Use each agent''s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;init' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The source repository of resources (default: ~/agb-resources). A relative path is taken relative to the current directory (or -C DIR)')
            [CompletionResult]::new('--new-source', '--new-source', [CompletionResultType]::ParameterName, 'Create a starter source repository in DIR (one plugin with a command, an agent and a skill) and select its resources')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The agent to build for (default: guessed from the directory name: .gemini, .claude, .opencode, .codex, .github → copilot; in a project root, the agent directories found there, else claude-code). Repeat it for several agents: in a project root, one agb.yaml with `targets:` builds each into its own directory')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing agb.yaml')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;adopt' {
            [CompletionResult]::new('--plugin', '--plugin', [CompletionResultType]::ParameterName, 'The plugin of the source they become resources of (created when missing)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The agent format the files are in (default: the agent directory in their path, else the target of agb.yaml)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be written; write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;new' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The source repository (default: `source:` of agb.yaml)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;factory' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Clone or update the cache now')
            [CompletionResult]::new('catalog', 'catalog', [CompletionResultType]::ParameterValue, 'List modules: path, latest version, number of versions, description')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Does a module (and version) exist? Exit 5 with the closest matches when not')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A module version''s MODULE_METADATA.yaml and file list')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Compare a local module with a published version and suggest a semver bump')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Write a module version''s files into DEST')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check module references in .tf files against the catalog (exit 5 when some do not exist)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check catalog.json against the tree, and the metadata schema')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agb;factory;fetch' {
            [CompletionResult]::new('--factory', '--factory', [CompletionResultType]::ParameterName, 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch now, whatever the cache''s age')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never touch the network; answer from the cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (schema 1)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;factory;catalog' {
            [CompletionResult]::new('--factory', '--factory', [CompletionResultType]::ParameterName, 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--patterns', '--patterns', [CompletionResultType]::ParameterName, 'Also list patterns/')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch now, whatever the cache''s age')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never touch the network; answer from the cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (schema 1)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;factory;check' {
            [CompletionResult]::new('--factory', '--factory', [CompletionResultType]::ParameterName, 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch now, whatever the cache''s age')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never touch the network; answer from the cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (schema 1)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;factory;show' {
            [CompletionResult]::new('--factory', '--factory', [CompletionResultType]::ParameterName, 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch now, whatever the cache''s age')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never touch the network; answer from the cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (schema 1)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;factory;compare' {
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'Compare with another local directory (e.g. a checkout of the last release) instead of the factory; no factory is read')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'The bump policy to apply with --against (a .agb/bump-policy.yaml; default: the built-in levels)')
            [CompletionResult]::new('--factory', '--factory', [CompletionResultType]::ParameterName, 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print unified diffs (factory → local) of the files that differ')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show every rule that fired at its place in the .tf files, and its policy entry')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch now, whatever the cache''s age')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never touch the network; answer from the cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (schema 1)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;factory;import' {
            [CompletionResult]::new('--factory', '--factory', [CompletionResultType]::ParameterName, 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write into a non-empty DEST, replacing files with the same names')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch now, whatever the cache''s age')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never touch the network; answer from the cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (schema 1)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;factory;validate' {
            [CompletionResult]::new('--factory', '--factory', [CompletionResultType]::ParameterName, 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch now, whatever the cache''s age')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never touch the network; answer from the cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (schema 1)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;factory;lint' {
            [CompletionResult]::new('--factory', '--factory', [CompletionResultType]::ParameterName, 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch now, whatever the cache''s age')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never touch the network; answer from the cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (schema 1)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;factory;help' {
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Clone or update the cache now')
            [CompletionResult]::new('catalog', 'catalog', [CompletionResultType]::ParameterValue, 'List modules: path, latest version, number of versions, description')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Does a module (and version) exist? Exit 5 with the closest matches when not')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A module version''s MODULE_METADATA.yaml and file list')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Compare a local module with a published version and suggest a semver bump')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Write a module version''s files into DEST')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check module references in .tf files against the catalog (exit 5 when some do not exist)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check catalog.json against the tree, and the metadata schema')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agb;factory;help;fetch' {
            break
        }
        'agb;factory;help;catalog' {
            break
        }
        'agb;factory;help;check' {
            break
        }
        'agb;factory;help;show' {
            break
        }
        'agb;factory;help;compare' {
            break
        }
        'agb;factory;help;import' {
            break
        }
        'agb;factory;help;validate' {
            break
        }
        'agb;factory;help;lint' {
            break
        }
        'agb;factory;help;help' {
            break
        }
        'agb;publish' {
            [CompletionResult]::new('--module', '--module', [CompletionResultType]::ParameterName, 'The module path in the factory: `provider/category/name` (default: MODULE_METADATA.yaml''s provider/category/name)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The new version (semver), or `auto` for `agb factory compare`''s suggested version (default: MODULE_METADATA.yaml''s module.version)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'One line for the changelog and the pull request')
            [CompletionResult]::new('--author', '--author', [CompletionResultType]::ParameterName, 'Commit author as "Name <email>" (default: git config user.name / user.email)')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Also publish files skipped by default (*.tfvars, .gitignore''d files) matching this glob; repeatable. Never .git/, .terraform/ or Terraform state')
            [CompletionResult]::new('--factory', '--factory', [CompletionResultType]::ParameterName, 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print agb''s version (`-V`; `--version` is the module''s version here)')
            [CompletionResult]::new('--allow-older', '--allow-older', [CompletionResultType]::ParameterName, 'Allow a version lower than the latest published one')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the tree diff and the link; push nothing')
            [CompletionResult]::new('--no-push', '--no-push', [CompletionResultType]::ParameterName, 'Commit into the cache only and print the push command')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'The publish branch exists (its pull request is open): add a commit with the module''s files as they are now (fast-forward only; refused when the branch is not agb''s for this module and version, or someone else pushed to it since)')
            [CompletionResult]::new('--no-pr', '--no-pr', [CompletionResultType]::ParameterName, 'Do not open the pull request (no `gh pr create`, no GitLab push options): print the link')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch now, whatever the cache''s age')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Never touch the network; answer from the cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON (schema 1)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agb;explain' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;completions' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;man' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write agb.1 and one page per subcommand (agb-build.1 …) into DIR')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if agb was started in DIR (where agb.yaml is looked for)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this agb.yaml instead of the one found from the current directory upward')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results, errors and warnings (not with -v)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agb;help' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Render the selected resources into the output root (the directory of agb.yaml)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Carry edits made in the project back into the source repository')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what `build` and `sync` would do, in both directions (exit 3 when anything is pending)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the selected resources; with --all, every resource of the source')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a starter agb.yaml (and with --new-source a starter source repository)')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Bring commands, agents and skills written in an agent''s own format into the source')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Add a command, an agent or a skill to the source repository')
            [CompletionResult]::new('factory', 'factory', [CompletionResultType]::ParameterValue, 'Read the team''s Terraform module factory through a cached git clone')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish a module version: branch + commit made locally, `git push`, pull-request link')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain an error code: what it means and what to do')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write or print the man pages')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agb;help;build' {
            break
        }
        'agb;help;sync' {
            break
        }
        'agb;help;status' {
            break
        }
        'agb;help;list' {
            break
        }
        'agb;help;init' {
            break
        }
        'agb;help;adopt' {
            break
        }
        'agb;help;new' {
            break
        }
        'agb;help;factory' {
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Clone or update the cache now')
            [CompletionResult]::new('catalog', 'catalog', [CompletionResultType]::ParameterValue, 'List modules: path, latest version, number of versions, description')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Does a module (and version) exist? Exit 5 with the closest matches when not')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A module version''s MODULE_METADATA.yaml and file list')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Compare a local module with a published version and suggest a semver bump')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Write a module version''s files into DEST')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check module references in .tf files against the catalog (exit 5 when some do not exist)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check catalog.json against the tree, and the metadata schema')
            break
        }
        'agb;help;factory;fetch' {
            break
        }
        'agb;help;factory;catalog' {
            break
        }
        'agb;help;factory;check' {
            break
        }
        'agb;help;factory;show' {
            break
        }
        'agb;help;factory;compare' {
            break
        }
        'agb;help;factory;import' {
            break
        }
        'agb;help;factory;validate' {
            break
        }
        'agb;help;factory;lint' {
            break
        }
        'agb;help;publish' {
            break
        }
        'agb;help;explain' {
            break
        }
        'agb;help;completions' {
            break
        }
        'agb;help;man' {
            break
        }
        'agb;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
