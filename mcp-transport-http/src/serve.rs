//! Serving a router on a TCP listener with the socket options SSE needs.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::error::Result;
use crate::header_timer::HeaderTimer;

/// Connection-level options of [`serve_with`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServeOptions {
    /// How long a client may take to send the request headers (slowloris protection).
    pub header_read_timeout: Duration,
    /// After the shutdown signal, how long requests in progress may take to finish before
    /// their connections are dropped (open SSE streams never finish on their own).
    pub shutdown_grace: Duration,
}

impl ServeOptions {
    /// Sets how long a client may take to send the request headers.
    #[must_use]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Serves `router` on `listener` until the process ends.
///
/// Sets `TCP_NODELAY` on every accepted socket: SSE events are small writes, and without
/// it Nagle's algorithm holds each one back for about 40 ms on loopback.
pub async fn serve(listener: TcpListener, router: Router) -> Result<()> {
    serve_with(
        listener,
        router,
        ServeOptions::default(),
        std::future::pending(),
    )
    .await
}

/// Like [`serve`], with options and a shutdown signal: when `shutdown` completes the
/// listener stops accepting and open connections are closed gracefully: requests in
/// progress are answered (within [`ServeOptions::shutdown_grace`]) before this returns.
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    let stop = CancellationToken::new();
    let connections = TaskTracker::new();
    let grace = options.shutdown_grace;
    tokio::pin!(shutdown);
    loop {
        let (stream, _peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Per-connection failures (the peer reset before accept) must not stop
                // the server.
                Err(e) if is_transient(&e) => {
                    if e.raw_os_error().is_some_and(|c| c == 24 || c == 23) {
                        // Out of file descriptors: give open connections a moment to end.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
                Err(e) => return Err(e.into()),
            },
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!("could not set TCP_NODELAY: {e}");
        }
        let service = TowerToHyperService::new(router.clone());
        let options = options.clone();
        let stop = stop.clone();
        connections.spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(HeaderTimer::default())
                .header_read_timeout(options.header_read_timeout)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                res = conn.as_mut() => {
                    if let Err(e) = res {
                        tracing::debug!("connection ended with an error: {e}");
                    }
                }
                () = stop.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    stop.cancel();
    connections.close();
    if tokio::time::timeout(grace, connections.wait())
        .await
        .is_err()
    {
        tracing::warn!(
            "{} connection(s) still open {grace:?} after shutdown; dropping them",
            connections.len()
        );
    }
    Ok(())
}

fn is_transient(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted, WouldBlock};
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    ) || e.raw_os_error().is_some_and(|c| c == 24 || c == 23)
}
