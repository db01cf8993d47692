//! The timer behind hyper's header-read timeout: one Tokio timer per connection.
//!
//! hyper arms the header-read timeout for every request head (including the idle wait
//! for the next request on a kept-alive connection) and drops it once the head is in.
//! With hyper-util's `TokioTimer` each of those is a new entry in Tokio's timer wheel,
//! registered and removed under the wheel's lock; and whenever the wheel was empty, the
//! registration also wakes the thread parked on the I/O driver so it can shorten its
//! sleep: two lock round trips and sometimes a thread wake-up per request, on a server whose
//! own work per small request is a few microseconds.
//!
//! [`HeaderTimer`] keeps one Tokio [`Sleep`](tokio::time::Sleep) per connection and moves
//! its deadline later for each request, which Tokio does with one atomic operation and no
//! wake-up. The guard itself is unchanged: a head that is not complete by its deadline
//! still ends the connection.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// The connection's Tokio timer, made on first use.
type Slot = Arc<Mutex<Option<Pin<Box<tokio::time::Sleep>>>>>;

/// A [`hyper::rt::Timer`] for one connection (make one per connection).
#[derive(Clone, Default)]
pub(crate) struct HeaderTimer {
    slot: Slot,
}

impl hyper::rt::Timer for HeaderTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        // Tokio's clock, which tests can pause; the same as the system's otherwise.
        self.sleep_until((tokio::time::Instant::now() + duration).into_std())
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(HeaderSleep {
            deadline: deadline.into(),
            slot: Arc::clone(&self.slot),
        })
    }
}

/// One deadline, kept by the connection's shared timer while it is polled.
struct HeaderSleep {
    deadline: tokio::time::Instant,
    slot: Slot,
}

impl hyper::rt::Sleep for HeaderSleep {}

impl Future for HeaderSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let deadline = self.deadline;
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        let sleep = slot.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if sleep.deadline() != deadline {
            sleep.as_mut().reset(deadline);
        }
        sleep.as_mut().poll(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::rt::Timer as _;

    #[tokio::test(start_paused = true)]
    async fn a_sleep_ends_at_its_deadline_even_after_a_later_one_was_armed() {
        let timer = HeaderTimer::default();
        // A later deadline armed first (say, by a longer-lived caller), then an earlier one.
        let armed =
            tokio::time::timeout(Duration::from_secs(1), timer.sleep(Duration::from_secs(30)));
        assert!(armed.await.is_err());
        let start = tokio::time::Instant::now();
        timer.sleep(Duration::from_secs(5)).await;
        assert_eq!(start.elapsed(), Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn each_request_gets_its_own_full_timeout() {
        let timer = HeaderTimer::default();
        for _ in 0..3 {
            let start = tokio::time::Instant::now();
            // The head arrives after 4 s: the armed sleep is dropped unfinished.
            let first =
                tokio::time::timeout(Duration::from_secs(4), timer.sleep(Duration::from_secs(10)));
            assert!(first.await.is_err());
            let next = timer.sleep(Duration::from_secs(10));
            next.await;
            assert_eq!(start.elapsed(), Duration::from_secs(14));
        }
    }
}
