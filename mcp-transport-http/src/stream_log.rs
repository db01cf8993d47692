//! A replayable log of SSE events: live readers follow it, reconnecting readers replay it.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use tokio::sync::watch;

use crate::sse::SseEvent;

/// The events of one SSE stream (a POST answer or a session's GET stream), numbered from 0.
///
/// Writers append; any number of readers follow from a position. Only the newest `cap`
/// events are kept, which bounds memory per stream: a client that reconnects later than
/// that misses the oldest events, the price of not holding unbounded state per client.
#[derive(Debug)]
pub(crate) struct StreamLog {
    /// The stream's number within its session, the prefix of every event id.
    pub(crate) stream: u64,
    /// Whether events carry ids (only streams that can be resumed do).
    pub(crate) with_ids: bool,
    inner: Mutex<Inner>,
    changed: watch::Sender<u64>,
    /// The first sequence number no reader has been given yet (the GET stream starts new
    /// readers here, so nothing queued while no reader was connected is lost).
    delivered: AtomicU64,
}

#[derive(Debug)]
struct Inner {
    events: VecDeque<(u64, Bytes)>,
    next: u64,
    done: bool,
    cap: usize,
}

/// What a reader got from [`StreamLog::next_batch`].
pub(crate) enum Batch {
    /// New events and the position after them.
    Events(Vec<Bytes>, u64),
    /// The stream ended and everything was read.
    Done,
    /// Nothing new yet.
    Empty,
}

impl StreamLog {
    pub(crate) fn new(stream: u64, with_ids: bool, cap: usize) -> Self {
        Self {
            stream,
            with_ids,
            inner: Mutex::new(Inner {
                events: VecDeque::new(),
                next: 0,
                done: false,
                cap: cap.max(1),
            }),
            changed: watch::channel(0).0,
            delivered: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave the log inconsistent (every write is
        // a single push), so a poisoned lock is still usable.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The id of event `seq`, or `None` for streams without ids.
    pub(crate) fn event_id(&self, seq: u64) -> Option<String> {
        self.with_ids.then(|| format!("{}-{seq}", self.stream))
    }

    /// Appends a JSON-RPC message (already serialized) as an event.
    pub(crate) fn push_message(&self, json: &[u8]) {
        let data = String::from_utf8_lossy(json).into_owned();
        self.push_with(|id| SseEvent::message(id, data).encode());
    }

    /// Appends the priming event: an id and empty data, so the client has something to
    /// resume from before the first real message, and the reconnection delay to use.
    pub(crate) fn push_priming(&self, retry_ms: Option<u64>) {
        self.push_with(|id| {
            SseEvent {
                id,
                event: None,
                data: String::new(),
                retry: retry_ms,
            }
            .encode()
        });
    }

    fn push_with(&self, make: impl FnOnce(Option<String>) -> Bytes) {
        let mut inner = self.lock();
        if inner.done {
            return;
        }
        let seq = inner.next;
        let bytes = make(self.event_id(seq));
        inner.next += 1;
        inner.events.push_back((seq, bytes));
        while inner.events.len() > inner.cap {
            inner.events.pop_front();
        }
        drop(inner);
        self.changed.send_modify(|v| *v += 1);
    }

    /// Marks the end of the stream: readers finish after the last event.
    pub(crate) fn finish(&self) {
        self.lock().done = true;
        self.changed.send_modify(|v| *v += 1);
    }

    /// True once [`finish`](Self::finish) was called.
    pub(crate) fn is_done(&self) -> bool {
        self.lock().done
    }

    /// Events from `from` on.
    pub(crate) fn next_batch(&self, from: u64) -> Batch {
        let inner = self.lock();
        let batch: Vec<Bytes> = inner
            .events
            .iter()
            .filter(|(seq, _)| *seq >= from)
            .map(|(_, b)| b.clone())
            .collect();
        if batch.is_empty() {
            if inner.done {
                Batch::Done
            } else {
                Batch::Empty
            }
        } else {
            let next = inner.next;
            drop(inner);
            self.delivered.fetch_max(next, Ordering::AcqRel);
            Batch::Events(batch, next)
        }
    }

    /// A receiver that wakes up on every change.
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// Where a new reader without `Last-Event-ID` starts.
    pub(crate) fn undelivered(&self) -> u64 {
        self.delivered.load(Ordering::Acquire)
    }
}

/// Parses an event id made by [`StreamLog::event_id`] into (stream, sequence).
pub(crate) fn parse_event_id(id: &str) -> Option<(u64, u64)> {
    let (stream, seq) = id.trim().split_once('-')?;
    Some((stream.parse().ok()?, seq.parse().ok()?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_events_and_ends() {
        let log = StreamLog::new(3, true, 2);
        log.push_priming(None);
        log.push_message(b"{}");
        log.push_message(b"[]");
        let Batch::Events(events, next) = log.next_batch(0) else {
            panic!("expected events");
        };
        assert_eq!(events.len(), 2);
        assert_eq!(next, 3);
        assert!(String::from_utf8_lossy(&events[0]).starts_with("id: 3-1\n"));
        assert!(matches!(log.next_batch(3), Batch::Empty));
        log.finish();
        assert!(matches!(log.next_batch(3), Batch::Done));
        assert_eq!(parse_event_id("3-17"), Some((3, 17)));
        assert_eq!(parse_event_id("x"), None);
    }
}
