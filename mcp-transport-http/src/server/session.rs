//! Legacy sessions: creation with CSPRNG ids, lookup bound to the principal, idle expiry,
//! a cap on their number, and the SSE stream logs kept for resumption.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mcp_protocol::server::Connection;
use rand::RngCore as _;
use tokio_util::sync::CancellationToken;

use crate::stream_log::StreamLog;

/// How many finished POST streams a session keeps for replay.
const KEPT_STREAMS: usize = 32;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A fresh session id: 192 random bits from the OS-seeded CSPRNG, base64url (visible ASCII).
pub(crate) fn new_session_id() -> String {
    let mut bytes = [0_u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// One legacy client's session.
pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) connection: Connection,
    /// The id of the principal that opened the session, if authentication is on.
    pub(crate) principal: Option<String>,
    last_used: Mutex<Instant>,
    /// Requests and streams in progress: a busy session never idles out.
    active: AtomicUsize,
    next_stream: AtomicU64,
    streams: Mutex<Vec<Arc<StreamLog>>>,
    /// Stream 0: messages unrelated to any request, read by GET.
    pub(crate) get_log: Arc<StreamLog>,
    /// Cancelled to end the current GET reader when a newer one connects.
    pub(crate) get_reader: Mutex<Option<CancellationToken>>,
    pub(crate) closed: CancellationToken,
    replay_events: usize,
}

impl Session {
    fn new(connection: Connection, principal: Option<String>, replay_events: usize) -> Arc<Self> {
        let session = Arc::new(Self {
            id: new_session_id(),
            connection,
            principal,
            last_used: Mutex::new(Instant::now()),
            active: AtomicUsize::new(0),
            next_stream: AtomicU64::new(1),
            streams: Mutex::new(Vec::new()),
            get_log: Arc::new(StreamLog::new(0, true, replay_events)),
            get_reader: Mutex::new(None),
            closed: CancellationToken::new(),
            replay_events,
        });
        session.spawn_unsolicited_pump();
        session
    }

    /// Moves the connection's unsolicited messages into the GET stream's log.
    fn spawn_unsolicited_pump(self: &Arc<Self>) {
        let Some(mut rx) = self.connection.unsolicited() else {
            return;
        };
        let log = Arc::clone(&self.get_log);
        let closed = self.closed.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = closed.cancelled() => break,
                    msg = rx.recv() => match msg {
                        Some(m) => log.push_message(&m.to_bytes()),
                        None => break,
                    },
                }
            }
            log.finish();
        });
    }

    /// A new resumable log for one POST answer, registered for replay.
    pub(crate) fn new_stream(&self) -> Arc<StreamLog> {
        let n = self.next_stream.fetch_add(1, Ordering::Relaxed);
        let log = Arc::new(StreamLog::new(n, true, self.replay_events));
        let mut streams = lock(&self.streams);
        streams.push(Arc::clone(&log));
        if streams.len() > KEPT_STREAMS {
            // Forget the oldest finished stream; live ones stay resumable.
            if let Some(pos) = streams.iter().position(|s| s.is_done()) {
                streams.remove(pos);
            }
        }
        log
    }

    /// The log of stream `n` (0 is the GET stream).
    pub(crate) fn stream(&self, n: u64) -> Option<Arc<StreamLog>> {
        if n == 0 {
            return Some(Arc::clone(&self.get_log));
        }
        lock(&self.streams).iter().find(|s| s.stream == n).cloned()
    }

    /// Marks the session busy until the guard drops.
    pub(crate) fn busy(self: &Arc<Self>) -> BusyGuard {
        self.active.fetch_add(1, Ordering::AcqRel);
        self.touch();
        BusyGuard {
            session: Arc::clone(self),
        }
    }

    fn touch(&self) {
        *lock(&self.last_used) = Instant::now();
    }

    fn idle_for(&self, now: Instant) -> Option<Duration> {
        if self.active.load(Ordering::Acquire) > 0 {
            return None;
        }
        Some(now.saturating_duration_since(*lock(&self.last_used)))
    }

    /// Ends the session: cancels its requests and streams.
    pub(crate) fn close(&self) {
        self.closed.cancel();
        self.connection.close();
        self.get_log.finish();
        if let Some(reader) = lock(&self.get_reader).take() {
            reader.cancel();
        }
    }
}

/// Keeps a session from expiring while a request or stream uses it.
pub(crate) struct BusyGuard {
    session: Arc<Session>,
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.session.touch();
        self.session.active.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Why a session lookup failed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// No such session, it expired, or it belongs to another principal (all answered 404,
    /// so a guessed id reveals nothing).
    NotFound,
}

/// Why no session could be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Full {
    /// The store holds its most sessions.
    Store,
    /// The principal holds its most sessions.
    Principal,
}

/// All live sessions of one router.
pub(crate) struct SessionStore {
    sessions: Mutex<HashMap<String, Arc<Session>>>,
    idle_timeout: Duration,
    max: usize,
    max_per_principal: usize,
    replay_events: usize,
}

impl SessionStore {
    pub(crate) fn new(
        idle_timeout: Duration,
        max: usize,
        max_per_principal: usize,
        replay_events: usize,
    ) -> Arc<Self> {
        Arc::new(Self {
            sessions: Mutex::new(HashMap::new()),
            idle_timeout,
            max,
            max_per_principal,
            replay_events,
        })
    }

    /// Whether `sessions` has room for one more session of `principal`.
    fn room(
        &self,
        sessions: &HashMap<String, Arc<Session>>,
        principal: Option<&str>,
    ) -> Result<(), Full> {
        if sessions.len() >= self.max {
            return Err(Full::Store);
        }
        if let Some(principal) = principal {
            let held = sessions
                .values()
                .filter(|s| s.principal.as_deref() == Some(principal))
                .count();
            if held >= self.max_per_principal {
                return Err(Full::Principal);
            }
        }
        Ok(())
    }

    /// Starts a background sweeper that closes idle sessions; it stops when the store is
    /// dropped. Without a runtime (router built outside tokio) expiry still happens lazily.
    pub(crate) fn spawn_sweeper(self: &Arc<Self>) {
        let Ok(rt) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let weak: Weak<Self> = Arc::downgrade(self);
        let every =
            (self.idle_timeout / 4).clamp(Duration::from_millis(50), Duration::from_secs(60));
        rt.spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                match weak.upgrade() {
                    Some(store) => store.sweep(),
                    None => break,
                }
            }
        });
    }

    /// Closes and forgets idle sessions.
    pub(crate) fn sweep(&self) {
        let now = Instant::now();
        let expired: Vec<Arc<Session>> = {
            let mut map = lock(&self.sessions);
            let ids: Vec<String> = map
                .iter()
                .filter(|(_, s)| s.idle_for(now).is_some_and(|d| d >= self.idle_timeout))
                .map(|(id, _)| id.clone())
                .collect();
            ids.iter().filter_map(|id| map.remove(id)).collect()
        };
        for s in expired {
            s.close();
        }
    }

    /// A new session, unless the store or the principal's share of it is full.
    pub(crate) fn create(
        &self,
        connection: Connection,
        principal: Option<String>,
    ) -> Result<Arc<Session>, Full> {
        self.sweep();
        self.room(&lock(&self.sessions), principal.as_deref())?;
        Ok(Session::new(connection, principal, self.replay_events))
    }

    /// Makes a created session reachable (after its `initialize` succeeded), checking
    /// again for room: other sessions may have been opened meanwhile.
    pub(crate) fn insert(&self, session: &Arc<Session>) -> Result<(), Full> {
        let mut map = lock(&self.sessions);
        self.room(&map, session.principal.as_deref())?;
        map.insert(session.id.clone(), Arc::clone(session));
        Ok(())
    }

    /// The session `id` if it is live and belongs to `principal`.
    pub(crate) fn get(&self, id: &str, principal: Option<&str>) -> Result<Arc<Session>, Lookup> {
        let session = lock(&self.sessions)
            .get(id)
            .cloned()
            .ok_or(Lookup::NotFound)?;
        if session.principal.as_deref() != principal {
            return Err(Lookup::NotFound);
        }
        if session
            .idle_for(Instant::now())
            .is_some_and(|d| d >= self.idle_timeout)
        {
            self.remove(id);
            return Err(Lookup::NotFound);
        }
        Ok(session)
    }

    /// Ends and forgets a session.
    pub(crate) fn remove(&self, id: &str) -> Option<Arc<Session>> {
        let s = lock(&self.sessions).remove(id);
        if let Some(s) = &s {
            s.close();
        }
        s
    }
}

impl Drop for SessionStore {
    fn drop(&mut self) {
        for s in lock(&self.sessions).values() {
            s.close();
        }
    }
}
