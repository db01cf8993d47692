//! A handle a request handler uses to steer its own SSE stream.

use tokio_util::sync::CancellationToken;

/// Lets a handler close the SSE stream of the request it is serving, for example to test
/// or exercise client resumption (SEP-1699), while the request keeps running.
///
/// The transport puts one in every request's extensions; read it with
/// `ctx.extensions().get::<StreamControl>()`. After [`close`](Self::close) the server
/// sends `retry:` and ends the HTTP response; later messages of the request, including its
/// response, are kept and delivered when the client reconnects with `GET` and
/// `Last-Event-ID`. Only legacy requests in a session are resumable: elsewhere closing the
/// stream would lose the answer, so `close` does nothing and returns `false`.
#[derive(Debug, Clone)]
pub struct StreamControl {
    /// Present only for resumable streams: nothing else may be closed.
    close: Option<CancellationToken>,
}

impl StreamControl {
    pub(crate) fn new(close: Option<CancellationToken>) -> Self {
        Self { close }
    }

    /// Asks the transport to close the current stream; returns whether it will (only
    /// resumable streams are closed).
    pub fn close(&self) -> bool {
        if let Some(close) = &self.close {
            close.cancel();
        }
        self.is_resumable()
    }

    /// True when the client can resume this request's stream after a close.
    pub fn is_resumable(&self) -> bool {
        self.close.is_some()
    }
}
