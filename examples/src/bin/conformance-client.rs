//! `conformance-client`: the client under test of the official MCP conformance suites.
//!
//! The suite runs `conformance-client <server-url>` with the scenario in
//! `MCP_CONFORMANCE_SCENARIO`, optional scenario data in `MCP_CONFORMANCE_CONTEXT` (JSON)
//! and, since 0.2, the revision in `MCP_CONFORMANCE_PROTOCOL_VERSION`. It starts a mock
//! server, lets this client talk to it, and judges what the mock saw. The exit status says
//! whether the client itself thinks it succeeded.

use std::collections::BTreeMap;
use std::process::ExitCode;

use examples::conformance::client::{ScenarioPlan, run};

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let Some(url) = std::env::args().skip(1).last() else {
        eprintln!("usage: MCP_CONFORMANCE_SCENARIO=<scenario> conformance-client <server-url>");
        return ExitCode::from(2);
    };
    let env: BTreeMap<String, String> = std::env::vars()
        .filter(|(k, _)| k.starts_with("MCP_CONFORMANCE_"))
        .collect();
    let plan = match ScenarioPlan::from_env(&env) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("conformance-client: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&plan, &url).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("conformance-client: scenario {} failed: {e}", plan.scenario);
            ExitCode::FAILURE
        }
    }
}
