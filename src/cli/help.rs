//! The examples at the end of each command's `--help` (and in the EXAMPLES section of its man
//! page), kept in one table so every command has them and the parser, the man pages and the
//! completions see the same clap tree. A command that declares its own `after_help` keeps it.
//!
//! Not here: option help (the doc comments of each command's `Args`), man page sections
//! (`man.rs`).

/// (command path below `agb`, examples).
const EXAMPLES: &[(&str, &str)] = &[
    (
        "build",
        "agb build                       render the selection for every target of agb.yaml\n\
         agb build --target codex        only one target\n\
         agb build --watch               rebuild whenever the source or agb.yaml changes\n\
         agb build --dry-run --diff      show what would change, write nothing\n\
         agb build --check               exit 3 when the outputs are stale (CI, pre-commit)\n\
         agb -C .gemini build --json     another output root, as JSON",
    ),
    (
        "sync",
        "agb sync --dry-run --diff       what would go back into the source\n\
         agb sync                        carry the project's edits back\n\
         agb sync --check                exit 3 when edits are waiting",
    ),
    ("status", "agb status                      both directions, exit 3 when anything is pending\nagb status --json"),
    (
        "adopt",
        "agb adopt .claude/agents/reviewer.md --plugin mine --dry-run   what would go into the source\n\
         agb adopt .claude/commands/deploy.md .claude/skills/pdf --plugin mine\n\
         agb adopt .gemini/commands/fix.toml --plugin mine              a TOML command becomes Markdown",
    ),
    ("list", "agb list                        the selection of agb.yaml\nagb list --all                  every resource of the source, selected ones marked *\nagb list --all 'research:*'     only the research plugin's resources"),
    ("factory", "agb factory catalog aws/*\nagb factory show aws/networking/vpc@1.2.0\nagb factory compare ./vpc aws/networking/vpc"),
    ("factory fetch", "agb factory fetch               update the cache now\nagb factory fetch --offline     check the cache without the network"),
    ("factory catalog", "agb factory catalog             every module\nagb factory catalog 'aws/*' --json"),
    ("factory check", "agb factory check aws/networking/vpc\nagb factory check aws/networking/vpc@1.2.0"),
    ("factory show", "agb factory show aws/networking/vpc          the latest version\nagb factory show aws/networking/vpc@1.2.0"),
    ("factory compare", "agb factory compare ./modules/vpc                     module named by its MODULE_METADATA.yaml\nagb factory compare ./vpc aws/networking/vpc@1.2.0\nagb factory compare ./vpc --against ../vpc-1.2.0 --policy bump-policy.yaml   two local directories, no factory"),
    ("factory import", "agb factory import aws/networking/vpc ./modules/vpc\nagb factory import aws/networking/vpc@1.2.0 ./vpc --force"),
    ("factory validate", "agb factory validate .              every .tf file below the current directory\nagb factory validate main.tf --json"),
    ("factory lint", "agb factory lint\nagb factory lint --json"),
    (
        "publish",
        "agb publish ./vpc --module aws/networking/vpc --version 1.3.0 --dry-run\n\
         agb publish ./vpc --module aws/networking/vpc --version 1.3.0 --description \"IPv6 subnets\"",
    ),
    (
        "completions",
        "Install a static script (commands and options; then open a new shell):\n\
         bash:  agb completions bash > ~/.local/share/bash-completion/completions/agb\n\
         zsh:   agb completions zsh > ~/.zfunc/_agb   (with fpath+=(~/.zfunc) before compinit in ~/.zshrc)\n\
         fish:  agb completions fish > ~/.config/fish/completions/agb.fish\n\
         PowerShell:  agb completions powershell >> $PROFILE\n\
         \n\
         Or register agb itself as the completer, which also completes the data: module paths\n\
         and versions for `factory check|show|import|compare` (from the factory cache, never\n\
         the network), the source's plugins for `new` and `adopt --plugin`, and error codes\n\
         for `explain`:\n\
         bash:  echo 'source <(COMPLETE=bash agb)' >> ~/.bashrc\n\
         zsh:   echo 'source <(COMPLETE=zsh agb)' >> ~/.zshrc\n\
         fish:  echo 'COMPLETE=fish agb | source' >> ~/.config/fish/config.fish\n\
         bash splits words at : and @: add COMP_WORDBREAKS=${COMP_WORDBREAKS//[:@]} after the\n\
         source line to complete full codes and MODULE@VERSION (last parts of codes need nothing)",
    ),
    ("man", "agb man | man -l -               read agb(1)\nagb man --out ~/.local/share/man/man1   install every page (then `man agb-build`)"),
];

/// The examples of the command at `path` (`"factory check"`), if the table has them.
pub fn examples(path: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(p, _)| *p == path).map(|(_, e)| *e)
}

/// `cmd` with the table's examples as the `after_help` of every subcommand that has none.
pub fn with_examples(cmd: clap::Command) -> clap::Command {
    decorate(cmd, "")
}

fn decorate(mut cmd: clap::Command, path: &str) -> clap::Command {
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub_path = if path.is_empty() { name.clone() } else { format!("{path} {name}") };
        cmd = cmd.mut_subcommand(&name, |sub| {
            let sub = match examples(&sub_path) {
                Some(text) if sub.get_after_help().is_none() => {
                    sub.after_help(format!("Examples:\n{}", indent(text)))
                }
                _ => sub,
            };
            decorate(sub, &sub_path)
        });
    }
    cmd
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {}", l.trim_start())).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_has_examples() {
        fn check(cmd: &clap::Command, path: &str) {
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let p = if path.is_empty() {
                    sub.get_name().to_string()
                } else {
                    format!("{path} {}", sub.get_name())
                };
                let help = sub.get_after_help().map(|h| h.to_string()).unwrap_or_default();
                assert!(help.contains("agb "), "`agb {p}` has no examples");
                check(sub, &p);
            }
        }
        check(&crate::cli::command(), "");
    }
}
