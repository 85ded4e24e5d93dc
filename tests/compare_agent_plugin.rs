//! The `iac-factory` demo plugin (agent `factory-sync`, skills `generate-infra`, `import-module`,
//! `publish-module`) builds for every target, and what each agent receives tells it to use the
//! factory commands instead of guessing.

mod support;

const TARGETS: [&str; 4] = ["claude-code", "gemini-cli", "opencode", "codex"];

fn source() -> String {
    support::fixture("demo/source").display().to_string()
}

#[test]
fn the_factory_workflow_reaches_all_four_agents() {
    for target in TARGETS {
        let tmp = support::Sandbox::new();
        let root = tmp.path().join("project/.agent");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(
            root.join("agb.yaml"),
            format!(
                "source: {}\ntarget: {target}\nresources:\n  agents: [iac-factory:factory-sync]\n  skills: [iac-factory:generate-infra, iac-factory:import-module, iac-factory:publish-module]\n",
                source()
            ),
        )
        .unwrap();
        tmp.agb_in(&root).arg("build").assert().success();
        // Everything the build wrote, wherever the target puts it (codex: ../.agents/skills).
        let mut text = String::new();
        for e in walkdir::WalkDir::new(tmp.path().join("project")).into_iter().filter_map(Result::ok) {
            if e.file_type().is_file() && !e.path().components().any(|c| c.as_os_str() == ".agb") {
                text.push_str(&std::fs::read_to_string(e.path()).unwrap());
            }
        }
        for needle in [
            "agb factory check",
            "agb factory validate",
            "agb factory compare",
            "agb factory import",
            "agb publish",
            "--json",
            "Exit `5`",
        ] {
            assert!(text.contains(needle), "{target}: the built agent files lack {needle:?}");
        }
    }
}
