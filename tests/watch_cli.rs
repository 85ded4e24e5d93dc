//! Black-box tests of `agb build --watch` (issue 11 point 5): the real binary is started,
//! files are edited, and the test waits for the effect by polling (with a generous deadline,
//! never a fixed sleep), then stops it with SIGINT as Ctrl-C would.

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::{isolate_tool, read, write, Sandbox};

/// Far more than a rebuild takes on a loaded machine; only reached when something is wrong.
const DEADLINE: Duration = Duration::from_secs(120);

/// A running `agb build --watch`, killed on drop (a failing test leaves no process behind).
struct Watching {
    child: Child,
    stderr: mpsc::Receiver<String>,
    seen: String,
}

impl Watching {
    fn start(dir: &Sandbox, root: &PathBuf) -> Watching {
        let mut cmd = dir.agb_std();
        cmd.current_dir(root).args(["build", "--watch"]).stdout(Stdio::null()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start agb build --watch");
        let pipe = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watching { child, stderr: rx, seen: String::new() }
    }

    /// Wait until stderr has had a line containing `text`.
    fn wait_for_stderr(&mut self, text: &str) {
        self.wait_for_stderr_times(text, 1);
    }

    /// Wait until stderr has said `text` `times` times.
    fn wait_for_stderr_times(&mut self, text: &str, times: usize) {
        let end = Instant::now() + DEADLINE;
        while self.seen.matches(text).count() < times {
            let left = end.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push_str(&line);
                    self.seen.push('\n');
                }
                Err(_) => panic!("no {text:?} on stderr; it said:\n{}", self.seen),
            }
        }
    }

    /// Send SIGINT (what Ctrl-C sends) and wait for the exit status.
    fn interrupt(mut self) -> std::process::ExitStatus {
        let mut kill = std::process::Command::new("kill");
        isolate_tool(&mut kill).args(["-INT", &self.child.id().to_string()]);
        assert!(kill.status().expect("run kill").success());
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                self.wait_for_stderr("stopped watching");
                return status;
            }
            assert!(Instant::now() < end, "agb did not stop on SIGINT");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Poll `path` until `done` holds for its text.
fn wait_for_file(path: &PathBuf, done: impl Fn(&str) -> bool) {
    let end = Instant::now() + DEADLINE;
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if done(&text) {
            return;
        }
        assert!(Instant::now() < end, "{} never changed as expected; it holds:\n{text}", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A source with one command, and a Claude Code project selecting it.
fn project() -> (Sandbox, PathBuf, PathBuf) {
    let dir = Sandbox::new();
    let source_file = dir.path().join("source/plugins/p/commands/c.md");
    write(&source_file, "---\ndescription: C\n---\nOld text.\n");
    let root = dir.path().join("project/.claude");
    write(
        &root.join("agb.yaml"),
        "source: ../../source\ntarget: claude-code\nresources:\n  commands: [p:c]\n",
    );
    (dir, root, source_file)
}

#[test]
fn a_source_edit_is_rebuilt_and_ctrl_c_stops_the_watch_cleanly() {
    let (dir, root, source_file) = project();
    let output = root.join("commands/c.md");
    let mut w = Watching::start(&dir, &root);
    w.wait_for_stderr("watching");
    assert!(read(&output).contains("Old text."), "the first build ran before watching");
    write(&source_file, "---\ndescription: C\n---\nNew text.\n");
    wait_for_file(&output, |t| t.contains("New text."));
    // agb.yaml is watched too: deselecting the command removes its output.
    write(&root.join("agb.yaml"), "source: ../../source\ntarget: claude-code\n");
    wait_for_file(&output, |_| !output.exists());
    let status = w.interrupt();
    assert!(status.success(), "Ctrl-C ends the watch with exit code 0, got {status:?}");
}

#[test]
fn an_output_edited_in_the_project_is_not_overwritten_by_a_rebuild() {
    let (dir, root, source_file) = project();
    let output = root.join("commands/c.md");
    let mut w = Watching::start(&dir, &root);
    w.wait_for_stderr("watching");
    write(&output, "---\ndescription: C\n---\nMy own edit.\n");
    write(&source_file, "---\ndescription: C\n---\nNew text.\n");
    w.wait_for_stderr("were edited in the project since the last build");
    assert_eq!(read(&output), "---\ndescription: C\n---\nMy own edit.\n");
    // The watch goes on after the refusal: the next change is seen, and refused the same way.
    write(&source_file, "---\ndescription: C\n---\nNewer text.\n");
    w.wait_for_stderr_times("were edited in the project since the last build", 2);
    assert_eq!(read(&output), "---\ndescription: C\n---\nMy own edit.\n");
    assert!(w.child.try_wait().expect("wait").is_none(), "a refused rebuild does not end the watch");
}
