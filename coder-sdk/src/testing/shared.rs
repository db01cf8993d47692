//! The state shared by the server, the background jobs and the test handle.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tempfile::TempDir;
use tokio::sync::watch;
use uuid::Uuid;

use super::faults::Faults;
use super::recorder::Recorder;
use super::state::State;

/// Settings fixed when the simulator starts.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// How long each simulated job or agent step takes.
    pub(crate) step_delay: Duration,
    /// The wildcard application host, e.g. `*.apps.coder.test`.
    pub(crate) app_host: String,
    /// The access URL (`http://127.0.0.1:<port>`), known once the listener is bound.
    pub(crate) access_url: String,
    /// Whether PTY sessions may use util-linux `script` for a real terminal.
    pub(crate) real_pty: bool,
}

/// Locks a mutex, ignoring poisoning: a panicking test thread must not wedge the simulator.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The heart of the simulator; every handler and job holds an `Arc` of it.
#[derive(Debug)]
pub(crate) struct Shared {
    state: Mutex<State>,
    version: watch::Sender<u64>,
    closed: watch::Sender<bool>,
    pub(crate) config: Config,
    pub(crate) faults: Faults,
    pub(crate) recorder: Recorder,
    /// Process groups of running PTY sessions, killed when the simulator is dropped.
    pub(crate) pty_groups: Mutex<HashSet<u32>>,
    /// One home directory per workspace, created on first use.
    homes: Mutex<HashMap<Uuid, Arc<TempDir>>>,
}

impl Shared {
    pub(crate) fn new(state: State, config: Config) -> Self {
        Self {
            state: Mutex::new(state),
            version: watch::Sender::new(0),
            closed: watch::Sender::new(false),
            config,
            faults: Faults::default(),
            recorder: Recorder::default(),
            pty_groups: Mutex::new(HashSet::new()),
            homes: Mutex::new(HashMap::new()),
        }
    }

    /// Reads the state.
    pub(crate) fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&lock(&self.state))
    }

    /// Changes the state and wakes everyone waiting for a change.
    pub(crate) fn update<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let out = f(&mut lock(&self.state));
        self.version.send_modify(|v| *v = v.wrapping_add(1));
        out
    }

    /// A receiver that wakes on every state change.
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// Waits until `pred` holds (checked after every change); never sleeps.
    pub(crate) async fn wait_until(&self, mut pred: impl FnMut(&State) -> bool) {
        let mut rx = self.subscribe();
        loop {
            if self.read(&mut pred) || self.is_closed() {
                return;
            }
            if rx.changed().await.is_err() {
                return;
            }
        }
    }

    /// Marks the simulator as shut down; streams and waits end.
    pub(crate) fn close(&self) {
        self.closed.send_replace(true);
        self.version.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// Resolves once the simulator shuts down.
    pub(crate) async fn closed(&self) {
        let mut rx = self.closed.subscribe();
        // An error means the sender is gone, which also means shut down.
        let _ = rx.wait_for(|closed| *closed).await;
    }

    /// Whether the simulator has shut down.
    pub(crate) fn is_closed(&self) -> bool {
        *self.closed.borrow()
    }

    /// The home directory of a workspace, created on first use.
    pub(crate) fn home(&self, workspace_id: Uuid) -> std::io::Result<Arc<TempDir>> {
        let mut homes = lock(&self.homes);
        if let Some(dir) = homes.get(&workspace_id) {
            return Ok(Arc::clone(dir));
        }
        let dir = Arc::new(
            tempfile::Builder::new()
                .prefix("coder-sim-home-")
                .tempdir()?,
        );
        homes.insert(workspace_id, Arc::clone(&dir));
        Ok(dir)
    }
}
