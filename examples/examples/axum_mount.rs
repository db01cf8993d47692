//! The Coder tools over Streamable HTTP, mounted inside an existing axum application next to
//! its own routes, behind its own middleware.
//!
//! ```sh
//! cargo run -p examples --example axum_mount   # then POST MCP to http://127.0.0.1:3000/mcp
//! ```

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use coder_sdk::testing::{Seed, SimulatedCoder};
use mcp_protocol::server::Server;
use mcp_transport_http::HttpConfig;

/// The application's own middleware: here it times every request.
async fn timing(request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    eprintln!("{path} -> {} in {:?}", response.status(), started.elapsed());
    response
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = SimulatedCoder::builder().seed(Seed::demo()).start().await?;
    let client = coder_sdk::Client::new(sim.url(), sim.session_token())?;
    let tools = coder_toolsdk::coder_tools(&client).toolset(coder_toolsdk::Toolset::Standard);

    // Safe defaults: loopback Host/Origin only, body limits, sessions capped and reaped.
    let mcp = mcp_transport_http::router(Server::new(tools.into_handler()), HttpConfig::new());

    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .nest_service("/mcp", mcp)
        .layer(middleware::from_fn(timing));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    eprintln!("MCP at http://127.0.0.1:3000/mcp, health at /healthz");
    mcp_transport_http::serve(listener, app).await?;
    Ok(())
}
