//! A simulated Coder deployment for tests and demos (feature `testing`).
//!
//! [`SimulatedCoder`] is an in-process HTTP and WebSocket server on `127.0.0.1` that answers
//! Coder's REST API the way a small deployment would: users and organizations, templates with
//! versions, rich parameters and presets, file uploads, workspaces and builds that move
//! through `pending`, `starting`/`stopping`, `running`/`stopped` (or `failed`) with logs,
//! agents that connect and run their startup scripts, logs as JSON or followed over
//! WebSocket, listening ports, app status reports, tasks, and the reconnecting PTY, which runs
//! commands in a real local shell inside a per-workspace temporary home directory.
//!
//! The PTY really runs commands on this machine, as the current user (in a temporary home
//! directory, but without any sandbox): the simulator is meant for tests and demos on a
//! developer machine or CI runner, listens on loopback only and requires a token.
//!
//! Tests drive it through the REST API like any client, then look inside with the getters
//! ([`SimulatedCoder::requests`], [`SimulatedCoder::app_statuses`]) and wait for background
//! work without sleeping ([`SimulatedCoder::wait_for_build`]). [`Faults`] makes it misbehave
//! on purpose: latency, forced 5xx answers, dropped connections, malformed JSON and expiring
//! tokens.
//!
//! ```no_run
//! use coder_sdk::testing::{Seed, SimulatedCoder};
//!
//! # async fn demo() -> std::io::Result<()> {
//! let sim = SimulatedCoder::builder().seed(Seed::demo()).start().await?;
//! let workspace = sim.workspace_id("dev").expect("the demo seed has a `dev` workspace");
//!
//! // Any HTTP client works; the token goes in Coder's header.
//! let body = reqwest::Client::new()
//!     .get(format!("{}/api/v2/workspaces/{workspace}", sim.url()))
//!     .header("Coder-Session-Token", sim.session_token())
//!     .send()
//!     .await
//!     .and_then(|r| r.error_for_status())
//!     .map_err(std::io::Error::other)?
//!     .text()
//!     .await
//!     .map_err(std::io::Error::other)?;
//! assert!(body.contains("\"name\":\"dev\""));
//!
//! // Make the next request fail with a 503, then look at what was received.
//! sim.faults().fail_next(1, 503);
//! assert!(!sim.requests().is_empty());
//! # Ok(())
//! # }
//! ```

mod api_error;
mod auth;
mod faults;
mod jobs;
mod ops;
mod pty;
mod recorder;
mod render;
mod routes;
mod seed;
mod server;
mod shared;
mod state;
mod tarscan;

pub use faults::{Faults, InjectedFault};
pub use recorder::{REDACTED, RecordedRequest};
pub use seed::Seed;
pub use server::{AppStatusReport, JobOutcome, SimulatedCoder, SimulatedCoderBuilder};
