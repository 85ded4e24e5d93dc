//! Clone/fetch progress on stderr: an indicatif spinner whose message follows the gix task that
//! was started last ("receiving pack 1234/5678 objects"). gix reports through `prodash` traits and
//! often bumps shared atomic counters directly, so a small ticker thread polls the active task
//! instead of waiting for calls. Shown only when asked for and stderr is a terminal.
//!
//! Not here: deciding whether to show progress (the CLI: not with `--quiet`/`--json`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use gix::progress::{AtomicStep, Count, Id, MessageLevel, NestedProgress, Progress, Step, StepShared, Unit};

/// One task of gix's progress tree.
#[derive(Debug, Default)]
struct Task {
    name: Mutex<String>,
    max: Mutex<Option<Step>>,
    counter: StepShared,
}

#[derive(Default)]
struct Shared {
    active: Mutex<Option<Arc<Task>>>,
}

/// A node handed to gix; children share the display.
#[derive(Clone)]
pub struct GixProgress {
    shared: Arc<Shared>,
    task: Arc<Task>,
}

impl GixProgress {
    fn child(&self, name: String) -> Self {
        let task =
            Arc::new(Task { name: Mutex::new(name), max: Mutex::new(None), counter: StepShared::default() });
        GixProgress { shared: Arc::clone(&self.shared), task }
    }

    fn activate(&self) {
        if let Ok(mut a) = self.shared.active.lock() {
            *a = Some(Arc::clone(&self.task));
        }
    }
}

impl Count for GixProgress {
    fn set(&self, step: Step) {
        self.task.counter.store(step, Ordering::Relaxed);
    }
    fn step(&self) -> Step {
        self.task.counter.load(Ordering::Relaxed)
    }
    fn inc_by(&self, step: Step) {
        self.task.counter.fetch_add(step, Ordering::Relaxed);
    }
    fn counter(&self) -> StepShared {
        Arc::clone(&self.task.counter)
    }
}

impl Progress for GixProgress {
    fn init(&mut self, max: Option<Step>, _unit: Option<Unit>) {
        if let Ok(mut m) = self.task.max.lock() {
            *m = max;
        }
        self.task.counter.store(0, Ordering::Relaxed);
        self.activate();
    }
    fn set_name(&mut self, name: String) {
        if let Ok(mut n) = self.task.name.lock() {
            *n = name;
        }
        self.activate();
    }
    fn name(&self) -> Option<String> {
        self.task.name.lock().ok().map(|n| n.clone())
    }
    fn id(&self) -> Id {
        *b"agb0"
    }
    fn message(&self, _level: MessageLevel, _message: String) {}
}

impl NestedProgress for GixProgress {
    type SubProgress = GixProgress;
    fn add_child(&mut self, name: impl Into<String>) -> Self::SubProgress {
        self.child(name.into())
    }
    fn add_child_with_id(&mut self, name: impl Into<String>, _id: Id) -> Self::SubProgress {
        self.child(name.into())
    }
}

/// The spinner and its ticker; [`Reporter::finish`] (or drop) clears it.
pub struct Reporter {
    root: GixProgress,
    stop: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
    bar: Option<indicatif::ProgressBar>,
}

impl Reporter {
    /// Start a spinner with `what` ("cloning <url>") when `show` and stderr is a terminal;
    /// otherwise a silent reporter (gix still gets a valid progress tree).
    pub fn start(what: String, show: bool) -> Self {
        let shared = Arc::new(Shared::default());
        let root = GixProgress {
            shared: Arc::clone(&shared),
            task: Arc::new(Task { name: Mutex::new(what.clone()), ..Task::default() }),
        };
        let stop = Arc::new(AtomicBool::new(false));
        if !show || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return Reporter { root, stop, ticker: None, bar: None };
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.set_message(what.clone());
        bar.enable_steady_tick(Duration::from_millis(100));
        let (bar2, stop2) = (bar.clone(), Arc::clone(&stop));
        let ticker = std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                let active = shared.active.lock().ok().and_then(|a| a.clone());
                if let Some(task) = active {
                    let name = task.name.lock().map(|n| n.clone()).unwrap_or_default();
                    let n = task.counter.load(Ordering::Relaxed);
                    let max = task.max.lock().ok().and_then(|m| *m);
                    let count = match max {
                        Some(max) if max > 0 => format!("{n}/{max}"),
                        _ => n.to_string(),
                    };
                    bar2.set_message(format!("{what}: {name} {count}"));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        Reporter { root, stop, ticker: Some(ticker), bar: Some(bar) }
    }

    /// The progress tree to hand to gix.
    pub fn gix(&self) -> GixProgress {
        self.root.clone()
    }

    pub fn finish(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.stop_now();
    }
}

// `AtomicStep` is what `StepShared` wraps; named here so a prodash upgrade that changes it fails
// to compile in this file rather than somewhere less obvious.
const _: fn(&AtomicStep) = |_| {};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silent_reporter_still_counts() {
        let r = Reporter::start("cloning x".into(), false);
        let mut p = r.gix();
        let mut child = p.add_child("receiving");
        child.init(Some(10), None);
        child.inc_by(3);
        child.counter().fetch_add(2, Ordering::Relaxed);
        assert_eq!(child.step(), 5);
        assert_eq!(child.name().as_deref(), Some("receiving"));
        r.finish();
    }
}
