//! The channels that carry a request's related messages, kept for reuse.
//!
//! Every request gets a channel for what its handler sends while it runs (progress, logs,
//! server-to-client requests). Tokio allocates a channel's first block of slots, about
//! 3 KB, when the channel is made: a size glibc's allocator serves from its slow path, on
//! every request, though most requests send nothing. A channel that comes back empty, with
//! no sender left but the pool's own, is as good as new, so the next request takes it.

use std::sync::{Mutex, PoisonError};

use mcp_protocol::Message;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

/// How many unused channels are kept: enough for the requests in flight on a busy server,
/// few enough (about 3 KB each) to be no memory to speak of.
const KEEP: usize = 64;

/// One channel: the sender the pool keeps (requests get clones) and the receiver.
pub(crate) type Channel = (UnboundedSender<Message>, UnboundedReceiver<Message>);

/// Unused channels, ready for the next request.
#[derive(Default)]
pub(crate) struct RelatedPool {
    free: Mutex<Vec<Channel>>,
}

impl RelatedPool {
    /// A channel with nothing in it and no sender but the one returned.
    pub(crate) fn take(&self) -> Channel {
        self.lock().pop().unwrap_or_else(mpsc::unbounded_channel)
    }

    /// Keeps a channel for reuse if nothing can ever come out of it that the next request
    /// did not send: it is empty and no sender other than `channel.0` is left (a handler
    /// that kept a clone makes it unusable, and it is dropped).
    pub(crate) fn give_back(&self, channel: Channel) {
        let rx = &channel.1;
        let unused = rx.is_empty()
            && !rx.is_closed()
            && rx.sender_strong_count() == 1
            && rx.sender_weak_count() == 0;
        if unused {
            let mut free = self.lock();
            if free.len() < KEEP {
                free.push(channel);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Channel>> {
        self.free.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use mcp_protocol::jsonrpc::Notification;

    use super::*;

    fn message() -> Message {
        Message::Notification(Notification::new("notifications/message", &()).unwrap())
    }

    fn kept(pool: &RelatedPool) -> usize {
        pool.lock().len()
    }

    #[test]
    fn an_unused_channel_is_reused() {
        let pool = RelatedPool::default();
        let (tx, rx) = pool.take();
        let clone = tx.clone();
        drop(clone);
        pool.give_back((tx, rx));
        assert_eq!(kept(&pool), 1);
        let (tx, mut rx) = pool.take();
        assert_eq!(kept(&pool), 0);
        tx.send(message()).unwrap();
        assert!(rx.try_recv().is_ok());
    }

    #[test]
    fn a_channel_with_messages_or_other_senders_is_dropped() {
        let pool = RelatedPool::default();
        let (tx, rx) = pool.take();
        tx.send(message()).unwrap();
        pool.give_back((tx, rx));
        let (tx, rx) = pool.take();
        let kept_clone = tx.clone();
        pool.give_back((tx, rx));
        let (tx, rx) = pool.take();
        let weak = tx.downgrade();
        pool.give_back((tx, rx));
        assert_eq!(kept(&pool), 0);
        drop((kept_clone, weak));
    }

    #[test]
    fn at_most_keep_channels_are_kept() {
        let pool = RelatedPool::default();
        for _ in 0..KEEP + 3 {
            pool.give_back(mpsc::unbounded_channel());
        }
        assert_eq!(kept(&pool), KEEP);
    }
}
