//! `agb build --watch`: build, then rebuild whenever the source or agb.yaml changes, until
//! Ctrl-C (or SIGTERM).
//!
//! Each rebuild is exactly `agb build` (the caller passes its one-shot run): the same plan and
//! apply, the same report, and the same refusal when an output was edited in the project (the
//! message is printed and the watch goes on; nothing is overwritten). File events come from
//! `notify` through `notify-debouncer-mini`, so a burst of saves (an editor's temp file +
//! rename, a `git checkout`) gives one rebuild. Errors of a rebuild are printed, not fatal: the
//! user fixes the file and saves again.
//!
//! What counts as a change: any file under the source root except hidden ones (`.git/`,
//! editors' swap files — the source scanner ignores them too), and agb.yaml itself (watched
//! through its directory, because editors replace the file). agb.yaml is re-read before every
//! rebuild; when its `source:` moves, the new source is watched instead.
//!
//! Not here: the build (`ops::build`), its printing (`cli::build`).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_mini::notify::{RecursiveMode, Watcher};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};

use crate::cli::output::errln;
use crate::cli::Global;
use crate::config::Config;
use crate::error::Exit;
use crate::source::is_hidden;

/// How long the file system must be quiet before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// What wakes the loop.
enum Wake {
    Changed(Vec<PathBuf>),
    WatchError(String),
    Stop,
}

/// The watcher could not start.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WatchError {
    #[error("cannot watch {path} for changes: {message}")]
    #[diagnostic(
        code(agb::watch::start),
        help("check that the directory exists and that the system's limit of watched files (inotify) is not reached; `agb build` without --watch still works")
    )]
    Start { path: String, message: String },
    #[error("cannot install the Ctrl-C handler: {message}")]
    #[diagnostic(code(agb::watch::signal), help("run `agb build` without --watch"))]
    Signal { message: String },
}

/// Build with `build_once`, then again on every change, until Ctrl-C. Exit code 0 when stopped.
pub fn run(global: &Global, build_once: &dyn Fn() -> miette::Result<Exit>) -> miette::Result<Exit> {
    let (tx, rx) = mpsc::channel::<Wake>();
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Wake::Stop);
    })
    .map_err(|e| WatchError::Signal { message: e.to_string() })?;
    let mut debouncer = new_debouncer(DEBOUNCE, move |res: DebounceEventResult| {
        let _ = tx.send(match res {
            Ok(events) => Wake::Changed(events.into_iter().map(|e| e.path).collect()),
            Err(e) => Wake::WatchError(e.to_string()),
        });
    })
    .map_err(|e| WatchError::Start { path: String::new(), message: e.to_string() })?;

    let config_path = global.config_path();
    // Watched before the first build, so that a change during it is not missed.
    let mut watched = Watched::start(debouncer.watcher(), &config_path)?;
    report(build_once());
    global.note(format_args!(
        "watching {} and {} for changes (Ctrl-C to stop)",
        watched.source_shown(),
        config_path.display()
    ));
    loop {
        match rx.recv() {
            Ok(Wake::Stop) | Err(_) => break,
            Ok(Wake::WatchError(message)) => global.warn(format_args!("file watching: {message}")),
            Ok(Wake::Changed(paths)) => {
                if !paths.iter().any(|p| watched.is_relevant(p)) {
                    continue;
                }
                // Coalesce what arrived while deciding, and stop promptly when asked.
                if drain(&rx) {
                    break;
                }
                report(build_once());
                watched.follow_source(debouncer.watcher(), global);
            }
        }
    }
    global.note("stopped watching");
    Ok(Exit::Ok)
}

/// Take what is queued; true when a stop request was among it.
fn drain(rx: &mpsc::Receiver<Wake>) -> bool {
    rx.try_iter().any(|w| matches!(w, Wake::Stop))
}

/// A rebuild's error is printed like agb prints any error; the watch goes on.
fn report(result: miette::Result<Exit>) {
    if let Err(report) = result {
        errln(format_args!("{report:?}"));
    }
}

/// What is being watched: agb.yaml (through its directory) and the source root.
struct Watched {
    config_path: PathBuf,
    /// The source root as agb.yaml named it when last read (`None` while agb.yaml is broken
    /// and nothing was watched yet).
    source: Option<PathBuf>,
}

impl Watched {
    fn start(watcher: &mut dyn Watcher, config_path: &Path) -> Result<Watched, WatchError> {
        let dir = config_path.parent().unwrap_or(Path::new("."));
        watch(watcher, dir, RecursiveMode::NonRecursive)?;
        let mut w = Watched { config_path: config_path.to_path_buf(), source: None };
        if let Ok(config) = Config::load(config_path) {
            watch(watcher, &config.source, RecursiveMode::Recursive)?;
            w.source = Some(config.source);
        }
        Ok(w)
    }

    fn source_shown(&self) -> String {
        self.source.as_ref().map_or_else(|| "(no source yet)".to_string(), |s| s.display().to_string())
    }

    fn is_relevant(&self, path: &Path) -> bool {
        is_relevant(path, &self.config_path, self.source.as_deref())
    }

    /// Watch the source agb.yaml names now, if it moved.
    fn follow_source(&mut self, watcher: &mut dyn Watcher, global: &Global) {
        let Ok(config) = Config::load(&self.config_path) else { return };
        if self.source.as_ref() == Some(&config.source) {
            return;
        }
        if let Some(old) = self.source.take() {
            let _ = watcher.unwatch(&old);
        }
        match watch(watcher, &config.source, RecursiveMode::Recursive) {
            Ok(()) => {
                global.note(format_args!("watching {}", config.source.display()));
                self.source = Some(config.source);
            }
            Err(e) => global.warn(e),
        }
    }
}

fn watch(watcher: &mut dyn Watcher, path: &Path, mode: RecursiveMode) -> Result<(), WatchError> {
    watcher
        .watch(path, mode)
        .map_err(|e| WatchError::Start { path: path.display().to_string(), message: e.to_string() })
}

/// Whether a changed `path` should trigger a rebuild: agb.yaml itself, or a file under the
/// source root none of whose components below the root is hidden.
fn is_relevant(path: &Path, config_path: &Path, source: Option<&Path>) -> bool {
    if path == config_path {
        return true;
    }
    let Some(rel) = source.and_then(|s| path.strip_prefix(s).ok()) else { return false };
    !rel.components().any(|c| c.as_os_str().to_str().is_some_and(is_hidden))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_agb_yaml_and_visible_source_files_trigger_a_rebuild() {
        let config = Path::new("/p/.claude/agb.yaml");
        let source = Some(Path::new("/src"));
        assert!(is_relevant(config, config, source));
        assert!(is_relevant(Path::new("/src/plugins/p/commands/c.md"), config, source));
        assert!(is_relevant(Path::new("/src/plugins"), config, source));
        assert!(!is_relevant(Path::new("/src/.git/index"), config, source));
        assert!(!is_relevant(Path::new("/src/plugins/p/commands/.c.md.swp"), config, source));
        assert!(!is_relevant(Path::new("/p/.claude/commands/c.md"), config, source));
        assert!(!is_relevant(Path::new("/p/.claude/agb.yaml.tmp"), config, source));
        assert!(!is_relevant(Path::new("/src/plugins/x.md"), config, None));
    }
}
