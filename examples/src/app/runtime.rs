//! The Tokio runtime each server runs on.

use std::future::Future;

/// Runs `server` to completion on a runtime of the given kind: worker threads for HTTP
/// (many callers at once), one thread for stdio (one client over one pipe, where a hand-off
/// between workers only adds a wake-up and allocator arenas).
///
/// The runtime is dropped without waiting for its blocking threads: when stdin is not a
/// pipe, a blocking read of it may still be pending there.
///
/// # Errors
/// The server's own error, or the runtime failing to start.
pub fn run_on(
    multi_thread: bool,
    server: impl Future<Output = Result<(), String>>,
) -> Result<(), String> {
    let mut builder = if multi_thread {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let rt = builder
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let outcome = rt.block_on(server);
    rt.shutdown_background();
    outcome
}
