//! `coder-sim`: the simulated Coder deployment of `coder-mcp --demo`, in a process of its own.
//!
//! Useful when the simulator should outlive one `coder-mcp` (several servers or clients
//! against the same deployment), when something other than `coder-mcp` should talk to it
//! (`curl`, the `coder` CLI, your own program), and for benchmarks that must not count the
//! simulator in the MCP server's memory. It binds `127.0.0.1` on a port the OS picks, prints
//! shell assignments on stdout, then serves until SIGTERM or Ctrl-C:
//!
//! ```text
//! $ coder-sim
//! CODER_URL=http://127.0.0.1:40123
//! CODER_SESSION_TOKEN=...
//! CODER_AGENT_TOKEN=...
//! ```
//!
//! so `eval "$(coder-sim | head -n 3)"` in one shell (or reading the lines from a pipe) and
//! then `coder-mcp server` picks the deployment up from the environment. The session token
//! belongs to the owner `admin` of the demo seed; the agent token to the agent of workspace
//! `dev` (for `coder_report_task`). These are throwaway credentials of a loopback simulator,
//! which is why this program, unlike `coder-mcp`, prints them.
//!
//! The simulator's PTY runs commands in a real local shell (see `coder_sdk::testing`): keep it
//! on a developer machine or CI runner.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use coder_sdk::testing::{Seed, SimulatedCoder};

/// Run the simulated Coder deployment alone: print its URL and tokens, serve until killed.
#[derive(Debug, Parser)]
#[command(name = "coder-sim", version)]
struct Args {
    /// Start with only the users and the organization, instead of the demo templates,
    /// workspaces and task.
    #[arg(long)]
    empty: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let seed = if args.empty {
        Seed::empty()
    } else {
        Seed::demo()
    };
    let sim = match SimulatedCoder::builder().seed(seed).start().await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("coder-sim: could not start the simulated deployment: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut lines = format!(
        "CODER_URL={}\nCODER_SESSION_TOKEN={}\n",
        sim.url(),
        sim.session_token()
    );
    if let Some(agent) = sim.agent_token() {
        lines.push_str(&format!("CODER_AGENT_TOKEN={agent}\n"));
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(lines.as_bytes()).and_then(|()| out.flush()) {
        eprintln!("coder-sim: cannot write to stdout: {e}");
        return ExitCode::FAILURE;
    }
    drop(out);
    eprintln!("coder-sim: serving {} until SIGTERM or Ctrl-C", sim.url());
    examples::app::http::shutdown_signal().await;
    // Dropping the simulator stops the server and ends the shells it started.
    drop(sim);
    ExitCode::SUCCESS
}
