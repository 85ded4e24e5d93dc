# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_agb_global_optspecs
    string join \n C= config= q/quiet v/verbose color= h/help V/version
end

function __fish_agb_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_agb_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_agb_using_subcommand
    set -l cmd (__fish_agb_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c agb -n "__fish_agb_needs_command" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_needs_command" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_needs_command" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_needs_command" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_needs_command" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_needs_command" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_needs_command" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_needs_command" -f -a "build" -d 'Render the selected resources into the output root (the directory of agb.yaml)'
complete -c agb -n "__fish_agb_needs_command" -f -a "sync" -d 'Carry edits made in the project back into the source repository'
complete -c agb -n "__fish_agb_needs_command" -f -a "status" -d 'Show what `build` and `sync` would do, in both directions (exit 3 when anything is pending)'
complete -c agb -n "__fish_agb_needs_command" -f -a "list" -d 'List the selected resources; with --all, every resource of the source'
complete -c agb -n "__fish_agb_needs_command" -f -a "init" -d 'Write a starter agb.yaml (and with --new-source a starter source repository)'
complete -c agb -n "__fish_agb_needs_command" -f -a "adopt" -d 'Bring commands, agents and skills written in an agent\'s own format into the source'
complete -c agb -n "__fish_agb_needs_command" -f -a "new" -d 'Add a command, an agent or a skill to the source repository'
complete -c agb -n "__fish_agb_needs_command" -f -a "factory" -d 'Read the team\'s Terraform module factory through a cached git clone'
complete -c agb -n "__fish_agb_needs_command" -f -a "publish" -d 'Publish a module version: branch + commit made locally, `git push`, pull-request link'
complete -c agb -n "__fish_agb_needs_command" -f -a "explain" -d 'Explain an error code: what it means and what to do'
complete -c agb -n "__fish_agb_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c agb -n "__fish_agb_needs_command" -f -a "man" -d 'Write or print the man pages'
complete -c agb -n "__fish_agb_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agb -n "__fish_agb_using_subcommand build" -l target -d 'Act only on this target of agb.yaml (without it, on every target it names)' -r -f -a "gemini-cli\t''
claude-code\t''
opencode\t''
codex\t''
copilot\t''"
complete -c agb -n "__fish_agb_using_subcommand build" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand build" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand build" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand build" -l dry-run -d 'Print what would be created, updated or removed; write nothing'
complete -c agb -n "__fish_agb_using_subcommand build" -l diff -d 'With --dry-run: print unified diffs'
complete -c agb -n "__fish_agb_using_subcommand build" -l check -d 'Write nothing; exit 3 when the outputs are not up to date (for CI and pre-commit)'
complete -c agb -n "__fish_agb_using_subcommand build" -l clean -d 'Remove every file the previous build wrote before writing'
complete -c agb -n "__fish_agb_using_subcommand build" -l force -d 'Overwrite outputs that were edited in the project (their edits are lost)'
complete -c agb -n "__fish_agb_using_subcommand build" -l strict -d 'Treat the target\'s schema warnings (a metadata key dropped, translated or renamed for the agent) as errors: exit 1 and write nothing'
complete -c agb -n "__fish_agb_using_subcommand build" -l explain -d 'List, per output, what the target\'s schema dropped, translated or renamed (why an agent does not see a key of the source), instead of one warning line each'
complete -c agb -n "__fish_agb_using_subcommand build" -l user -d 'Use each agent\'s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does'
complete -c agb -n "__fish_agb_using_subcommand build" -l json -d 'Print the result as JSON'
complete -c agb -n "__fish_agb_using_subcommand build" -l watch -d 'Keep running: rebuild whenever the source or agb.yaml changes (Ctrl-C to stop)'
complete -c agb -n "__fish_agb_using_subcommand build" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand build" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand build" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand build" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand sync" -l target -d 'Act only on this target of agb.yaml (without it, on every target it names)' -r -f -a "gemini-cli\t''
claude-code\t''
opencode\t''
codex\t''
copilot\t''"
complete -c agb -n "__fish_agb_using_subcommand sync" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand sync" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand sync" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand sync" -l dry-run -d 'Print the plan; write nothing'
complete -c agb -n "__fish_agb_using_subcommand sync" -l diff -d 'With --dry-run: print unified diffs'
complete -c agb -n "__fish_agb_using_subcommand sync" -l check -d 'Write nothing; exit 3 when something is pending'
complete -c agb -n "__fish_agb_using_subcommand sync" -l force -d 'The project side wins conflicts'
complete -c agb -n "__fish_agb_using_subcommand sync" -l user -d 'Use each agent\'s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does'
complete -c agb -n "__fish_agb_using_subcommand sync" -l json -d 'Print the result as JSON'
complete -c agb -n "__fish_agb_using_subcommand sync" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand sync" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand sync" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand sync" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand status" -l target -d 'Act only on this target of agb.yaml (without it, on every target it names)' -r -f -a "gemini-cli\t''
claude-code\t''
opencode\t''
codex\t''
copilot\t''"
complete -c agb -n "__fish_agb_using_subcommand status" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand status" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand status" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand status" -l user -d 'Use each agent\'s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does'
complete -c agb -n "__fish_agb_using_subcommand status" -l json -d 'Print the result as JSON'
complete -c agb -n "__fish_agb_using_subcommand status" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand status" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand status" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand status" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand list" -l target -d 'Act only on this target of agb.yaml (without it, on every target it names)' -r -f -a "gemini-cli\t''
claude-code\t''
opencode\t''
codex\t''
copilot\t''"
complete -c agb -n "__fish_agb_using_subcommand list" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand list" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand list" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand list" -l all -d 'Also list resources that are not selected in agb.yaml'
complete -c agb -n "__fish_agb_using_subcommand list" -l user -d 'Use each agent\'s user directory as the output root (~/.claude, ~/.gemini, ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does'
complete -c agb -n "__fish_agb_using_subcommand list" -l json -d 'Print the result as JSON'
complete -c agb -n "__fish_agb_using_subcommand list" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand list" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand list" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand list" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand init" -l source -d 'The source repository of resources (default: ~/agb-resources). A relative path is taken relative to the current directory (or -C DIR)' -r -F
complete -c agb -n "__fish_agb_using_subcommand init" -l new-source -d 'Create a starter source repository in DIR (one plugin with a command, an agent and a skill) and select its resources' -r -F
complete -c agb -n "__fish_agb_using_subcommand init" -l target -d 'The agent to build for (default: guessed from the directory name: .gemini, .claude, .opencode, .codex, .github → copilot; in a project root, the agent directories found there, else claude-code). Repeat it for several agents: in a project root, one agb.yaml with `targets:` builds each into its own directory' -r -f -a "gemini-cli\t''
claude-code\t''
opencode\t''
codex\t''
copilot\t''"
complete -c agb -n "__fish_agb_using_subcommand init" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand init" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand init" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand init" -l force -d 'Overwrite an existing agb.yaml'
complete -c agb -n "__fish_agb_using_subcommand init" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand init" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand init" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand init" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand adopt" -l plugin -d 'The plugin of the source they become resources of (created when missing)' -r
complete -c agb -n "__fish_agb_using_subcommand adopt" -l target -d 'The agent format the files are in (default: the agent directory in their path, else the target of agb.yaml)' -r -f -a "gemini-cli\t''
claude-code\t''
opencode\t''
codex\t''
copilot\t''"
complete -c agb -n "__fish_agb_using_subcommand adopt" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand adopt" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand adopt" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand adopt" -l dry-run -d 'Print what would be written; write nothing'
complete -c agb -n "__fish_agb_using_subcommand adopt" -l json -d 'Print the result as JSON'
complete -c agb -n "__fish_agb_using_subcommand adopt" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand adopt" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand adopt" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand adopt" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand new" -l source -d 'The source repository (default: `source:` of agb.yaml)' -r -F
complete -c agb -n "__fish_agb_using_subcommand new" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand new" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand new" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand new" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand new" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand new" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand new" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -f -a "fetch" -d 'Clone or update the cache now'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -f -a "catalog" -d 'List modules: path, latest version, number of versions, description'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -f -a "check" -d 'Does a module (and version) exist? Exit 5 with the closest matches when not'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -f -a "show" -d 'A module version\'s MODULE_METADATA.yaml and file list'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -f -a "compare" -d 'Compare a local module with a published version and suggest a semver bump'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -f -a "import" -d 'Write a module version\'s files into DEST'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -f -a "validate" -d 'Check module references in .tf files against the catalog (exit 5 when some do not exist)'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -f -a "lint" -d 'Check catalog.json against the tree, and the metadata schema'
complete -c agb -n "__fish_agb_using_subcommand factory; and not __fish_seen_subcommand_from fetch catalog check show compare import validate lint help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -l factory -d 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)' -r
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -l refresh -d 'Fetch now, whatever the cache\'s age'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -l offline -d 'Never touch the network; answer from the cache'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -l json -d 'Print the result as JSON (schema 1)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from fetch" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -l factory -d 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)' -r
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -l patterns -d 'Also list patterns/'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -l refresh -d 'Fetch now, whatever the cache\'s age'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -l offline -d 'Never touch the network; answer from the cache'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -l json -d 'Print the result as JSON (schema 1)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from catalog" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -l factory -d 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)' -r
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -l refresh -d 'Fetch now, whatever the cache\'s age'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -l offline -d 'Never touch the network; answer from the cache'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -l json -d 'Print the result as JSON (schema 1)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -l factory -d 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)' -r
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -l refresh -d 'Fetch now, whatever the cache\'s age'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -l offline -d 'Never touch the network; answer from the cache'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -l json -d 'Print the result as JSON (schema 1)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -l against -d 'Compare with another local directory (e.g. a checkout of the last release) instead of the factory; no factory is read' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -l policy -d 'The bump policy to apply with --against (a .agb/bump-policy.yaml; default: the built-in levels)' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -l factory -d 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)' -r
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -l diff -d 'Print unified diffs (factory → local) of the files that differ'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -l explain -d 'Show every rule that fired at its place in the .tf files, and its policy entry'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -l refresh -d 'Fetch now, whatever the cache\'s age'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -l offline -d 'Never touch the network; answer from the cache'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -l json -d 'Print the result as JSON (schema 1)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from compare" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -l factory -d 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)' -r
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -l force -d 'Write into a non-empty DEST, replacing files with the same names'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -l refresh -d 'Fetch now, whatever the cache\'s age'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -l offline -d 'Never touch the network; answer from the cache'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -l json -d 'Print the result as JSON (schema 1)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -l factory -d 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)' -r
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -l refresh -d 'Fetch now, whatever the cache\'s age'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -l offline -d 'Never touch the network; answer from the cache'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -l json -d 'Print the result as JSON (schema 1)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -l factory -d 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)' -r
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -l refresh -d 'Fetch now, whatever the cache\'s age'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -l offline -d 'Never touch the network; answer from the cache'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -l json -d 'Print the result as JSON (schema 1)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from lint" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from help" -f -a "fetch" -d 'Clone or update the cache now'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from help" -f -a "catalog" -d 'List modules: path, latest version, number of versions, description'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from help" -f -a "check" -d 'Does a module (and version) exist? Exit 5 with the closest matches when not'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from help" -f -a "show" -d 'A module version\'s MODULE_METADATA.yaml and file list'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from help" -f -a "compare" -d 'Compare a local module with a published version and suggest a semver bump'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from help" -f -a "import" -d 'Write a module version\'s files into DEST'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check module references in .tf files against the catalog (exit 5 when some do not exist)'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from help" -f -a "lint" -d 'Check catalog.json against the tree, and the metadata schema'
complete -c agb -n "__fish_agb_using_subcommand factory; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agb -n "__fish_agb_using_subcommand publish" -l module -d 'The module path in the factory: `provider/category/name` (default: MODULE_METADATA.yaml\'s provider/category/name)' -r
complete -c agb -n "__fish_agb_using_subcommand publish" -l version -d 'The new version (semver), or `auto` for `agb factory compare`\'s suggested version (default: MODULE_METADATA.yaml\'s module.version)' -r
complete -c agb -n "__fish_agb_using_subcommand publish" -l description -d 'One line for the changelog and the pull request' -r
complete -c agb -n "__fish_agb_using_subcommand publish" -l author -d 'Commit author as "Name <email>" (default: git config user.name / user.email)' -r
complete -c agb -n "__fish_agb_using_subcommand publish" -l include -d 'Also publish files skipped by default (*.tfvars, .gitignore\'d files) matching this glob; repeatable. Never .git/, .terraform/ or Terraform state' -r
complete -c agb -n "__fish_agb_using_subcommand publish" -l factory -d 'The factory: an https or ssh URL, a file:// URL or a path (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config)' -r
complete -c agb -n "__fish_agb_using_subcommand publish" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand publish" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand publish" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand publish" -s V -d 'Print agb\'s version (`-V`; `--version` is the module\'s version here)'
complete -c agb -n "__fish_agb_using_subcommand publish" -l allow-older -d 'Allow a version lower than the latest published one'
complete -c agb -n "__fish_agb_using_subcommand publish" -l dry-run -d 'Show the tree diff and the link; push nothing'
complete -c agb -n "__fish_agb_using_subcommand publish" -l no-push -d 'Commit into the cache only and print the push command'
complete -c agb -n "__fish_agb_using_subcommand publish" -l update -d 'The publish branch exists (its pull request is open): add a commit with the module\'s files as they are now (fast-forward only; refused when the branch is not agb\'s for this module and version, or someone else pushed to it since)'
complete -c agb -n "__fish_agb_using_subcommand publish" -l no-pr -d 'Do not open the pull request (no `gh pr create`, no GitLab push options): print the link'
complete -c agb -n "__fish_agb_using_subcommand publish" -l refresh -d 'Fetch now, whatever the cache\'s age'
complete -c agb -n "__fish_agb_using_subcommand publish" -l offline -d 'Never touch the network; answer from the cache'
complete -c agb -n "__fish_agb_using_subcommand publish" -l json -d 'Print the result as JSON (schema 1)'
complete -c agb -n "__fish_agb_using_subcommand publish" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand publish" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand publish" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand explain" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand explain" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand explain" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand explain" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand explain" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand explain" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand explain" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand completions" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand completions" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand completions" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand completions" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand completions" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand completions" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand completions" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand man" -l out -d 'Write agb.1 and one page per subcommand (agb-build.1 …) into DIR' -r -F
complete -c agb -n "__fish_agb_using_subcommand man" -s C -d 'Run as if agb was started in DIR (where agb.yaml is looked for)' -r -F
complete -c agb -n "__fish_agb_using_subcommand man" -l config -d 'Use this agb.yaml instead of the one found from the current directory upward' -r -F
complete -c agb -n "__fish_agb_using_subcommand man" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agb -n "__fish_agb_using_subcommand man" -s q -l quiet -d 'Print only results, errors and warnings (not with -v)'
complete -c agb -n "__fish_agb_using_subcommand man" -s v -l verbose -d 'Print more about what agb does: -v lists every file written and, on stderr, what was skipped and why; -vv adds how long each step took'
complete -c agb -n "__fish_agb_using_subcommand man" -s h -l help -d 'Print help'
complete -c agb -n "__fish_agb_using_subcommand man" -s V -l version -d 'Print version'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "build" -d 'Render the selected resources into the output root (the directory of agb.yaml)'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "sync" -d 'Carry edits made in the project back into the source repository'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "status" -d 'Show what `build` and `sync` would do, in both directions (exit 3 when anything is pending)'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "list" -d 'List the selected resources; with --all, every resource of the source'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "init" -d 'Write a starter agb.yaml (and with --new-source a starter source repository)'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "adopt" -d 'Bring commands, agents and skills written in an agent\'s own format into the source'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "new" -d 'Add a command, an agent or a skill to the source repository'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "factory" -d 'Read the team\'s Terraform module factory through a cached git clone'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "publish" -d 'Publish a module version: branch + commit made locally, `git push`, pull-request link'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "explain" -d 'Explain an error code: what it means and what to do'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "man" -d 'Write or print the man pages'
complete -c agb -n "__fish_agb_using_subcommand help; and not __fish_seen_subcommand_from build sync status list init adopt new factory publish explain completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agb -n "__fish_agb_using_subcommand help; and __fish_seen_subcommand_from factory" -f -a "fetch" -d 'Clone or update the cache now'
complete -c agb -n "__fish_agb_using_subcommand help; and __fish_seen_subcommand_from factory" -f -a "catalog" -d 'List modules: path, latest version, number of versions, description'
complete -c agb -n "__fish_agb_using_subcommand help; and __fish_seen_subcommand_from factory" -f -a "check" -d 'Does a module (and version) exist? Exit 5 with the closest matches when not'
complete -c agb -n "__fish_agb_using_subcommand help; and __fish_seen_subcommand_from factory" -f -a "show" -d 'A module version\'s MODULE_METADATA.yaml and file list'
complete -c agb -n "__fish_agb_using_subcommand help; and __fish_seen_subcommand_from factory" -f -a "compare" -d 'Compare a local module with a published version and suggest a semver bump'
complete -c agb -n "__fish_agb_using_subcommand help; and __fish_seen_subcommand_from factory" -f -a "import" -d 'Write a module version\'s files into DEST'
complete -c agb -n "__fish_agb_using_subcommand help; and __fish_seen_subcommand_from factory" -f -a "validate" -d 'Check module references in .tf files against the catalog (exit 5 when some do not exist)'
complete -c agb -n "__fish_agb_using_subcommand help; and __fish_seen_subcommand_from factory" -f -a "lint" -d 'Check catalog.json against the tree, and the metadata schema'
