//! Turns a [`StreamLog`] into an SSE response body.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use bytes::Bytes;
use tokio::sync::watch;
use tokio_util::sync::{CancellationToken, DropGuard};

use crate::sse;
use crate::stream_log::{Batch, StreamLog};

/// How a body reads its log.
pub(crate) struct BodyOptions {
    /// The first sequence number to send.
    pub(crate) from: u64,
    /// Keep-alive comment interval.
    pub(crate) keep_alive: Option<Duration>,
    /// When cancelled, the body sends `retry:` and ends, leaving the stream resumable.
    pub(crate) close: Option<CancellationToken>,
    /// The `retry:` value sent before such a close, in milliseconds.
    pub(crate) retry_ms: u64,
    /// When cancelled, the body just ends (a newer reader took over, or the session ended).
    pub(crate) end: Option<CancellationToken>,
    /// Dropped with the body: cancels the request when the client goes away.
    #[allow(dead_code, reason = "held only for its Drop")]
    pub(crate) guard: Option<DropGuard>,
    /// Kept alive as long as the body (marks the session busy).
    #[allow(dead_code, reason = "held only for its Drop")]
    pub(crate) hold: Option<super::session::BusyGuard>,
}

struct State {
    log: Arc<StreamLog>,
    rx: watch::Receiver<u64>,
    cursor: u64,
    pending: VecDeque<Bytes>,
    finished: bool,
    keep_alive: Option<tokio::time::Interval>,
    opts: BodyOptions,
}

/// An SSE body that follows `log` from `opts.from`.
pub(crate) fn log_body(log: Arc<StreamLog>, opts: BodyOptions) -> Body {
    let keep_alive = opts.keep_alive.map(|every| {
        let mut i = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        i
    });
    let state = State {
        rx: log.subscribe(),
        log,
        cursor: opts.from,
        pending: VecDeque::new(),
        finished: false,
        keep_alive,
        opts,
    };
    let stream = futures::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(b) = st.pending.pop_front() {
                return Some((Ok::<_, std::convert::Infallible>(b), st));
            }
            if st.finished {
                return None;
            }
            st.rx.borrow_and_update();
            match st.log.next_batch(st.cursor) {
                Batch::Events(events, next) => {
                    st.pending.extend(events);
                    st.cursor = next;
                    continue;
                }
                Batch::Done => return None,
                Batch::Empty => {}
            }
            let close = st.opts.close.clone();
            let end = st.opts.end.clone();
            tokio::select! {
                biased;
                () = wait(close.as_ref()) => {
                    st.pending.push_back(sse::retry_only(st.opts.retry_ms));
                    st.finished = true;
                }
                () = wait(end.as_ref()) => {
                    st.finished = true;
                }
                changed = st.rx.changed() => {
                    if changed.is_err() {
                        st.finished = true;
                    }
                }
                () = tick(st.keep_alive.as_mut()) => {
                    st.pending.push_back(sse::keep_alive());
                }
            }
        }
    });
    Body::from_stream(stream)
}

/// Waits for `token`, or forever when there is none.
pub(crate) async fn wait(token: Option<&CancellationToken>) {
    match token {
        Some(t) => t.cancelled().await,
        None => std::future::pending().await,
    }
}

async fn tick(interval: Option<&mut tokio::time::Interval>) {
    match interval {
        Some(i) => {
            i.tick().await;
        }
        None => std::future::pending().await,
    }
}
