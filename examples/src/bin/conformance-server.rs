//! `conformance-server`: the fixture server of the official MCP conformance suites, over
//! Streamable HTTP at `http://127.0.0.1:PORT/mcp`.
//!
//! One endpoint serves every revision: legacy clients get sessions, the GET stream and
//! resumable SSE, 2026-07-28 clients the stateless protocol. The port comes from `--port`
//! or `PORT` (default 3000; 0 lets the OS choose). The first line on stdout is the endpoint
//! URL, so a script that asked for port 0 learns the real one.

use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use clap::Parser;
use examples::conformance::conformance_server;
use mcp_transport_http::{HttpConfig, router, serve};
use tokio::net::TcpListener;

/// Serves the conformance fixtures on loopback.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The TCP port on 127.0.0.1; 0 picks a free one.
    #[arg(long, env = "PORT", default_value_t = 3000)]
    port: u16,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port))).await?;
    let addr = listener.local_addr()?;
    let app = Router::new().nest_service("/mcp", router(conformance_server(), HttpConfig::new()));
    announce(&format!("http://{addr}/mcp"));
    serve(listener, app).await?;
    Ok(())
}

/// Prints the endpoint on stdout, the one line scripts read.
#[allow(clippy::print_stdout)]
fn announce(url: &str) {
    println!("{url}");
}
