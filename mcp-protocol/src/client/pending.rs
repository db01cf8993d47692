//! The map of requests we sent and are still waiting for, shared by the client engine and by
//! the server engine (for its server-to-client requests).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use serde_json::value::RawValue;
use tokio::sync::oneshot;

use crate::jsonrpc::{ErrorObject, RequestId};

/// What a peer answered: a raw result or an error object.
pub(crate) type Answer = Result<Box<RawValue>, ErrorObject>;

/// Outstanding requests by id.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    next: AtomicI64,
    waiting: Mutex<HashMap<RequestId, oneshot::Sender<Answer>>>,
}

impl Pending {
    /// Allocates a fresh id and registers a waiter for it.
    pub(crate) fn register(&self) -> (RequestId, oneshot::Receiver<Answer>, PendingGuard<'_>) {
        let id = RequestId::Number(self.next.fetch_add(1, Ordering::Relaxed) + 1);
        let (tx, rx) = oneshot::channel();
        self.lock().insert(id.clone(), tx);
        let guard = PendingGuard {
            pending: self,
            id: id.clone(),
        };
        (id, rx, guard)
    }

    /// Delivers an answer; returns false when nobody waits for this id (late or unknown).
    pub(crate) fn resolve(&self, id: &RequestId, answer: Answer) -> bool {
        let waiter = self.lock().remove(id);
        match waiter {
            Some(tx) => tx.send(answer).is_ok(),
            None => false,
        }
    }

    /// Fails every waiter (the connection closed).
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    /// How many requests are waiting.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<RequestId, oneshot::Sender<Answer>>> {
        // A poisoned lock only means another task panicked mid-insert; the map is still valid.
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Removes the entry when the waiting future is dropped (timeout, cancellation).
#[derive(Debug)]
pub(crate) struct PendingGuard<'a> {
    pending: &'a Pending,
    id: RequestId,
}

impl Drop for PendingGuard<'_> {
    fn drop(&mut self) {
        self.pending.lock().remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn resolves_and_forgets() {
        let p = Pending::default();
        let (id, rx, guard) = p.register();
        assert_eq!(p.len(), 1);
        let raw = serde_json::value::to_raw_value(&serde_json::json!({})).expect("raw");
        assert!(p.resolve(&id, Ok(raw.clone())));
        assert!(rx.await.expect("answered").is_ok());
        assert!(!p.resolve(&id, Ok(raw)));
        drop(guard);
        let (_id2, _rx2, guard2) = p.register();
        assert_eq!(p.len(), 1);
        drop(guard2);
        assert_eq!(p.len(), 0);
    }
}
