//! Runs both official MCP conformance suites (`scripts/conformance`) against the
//! `conformance-server` and `conformance-client` fixtures, so the workspace test command
//! covers them. Needs the tools `scripts/install-tools` installs; `scripts/test` sets
//! `MCP_TOOLS_DIR` to them. Without it the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

#[test]
fn both_conformance_suites_pass() {
    let Some(tools) = std::env::var_os("MCP_TOOLS_DIR") else {
        eprintln!(
            "skipped: MCP_TOOLS_DIR is not set, so the conformance suites are not installed \
             (run scripts/test, or scripts/install-tools and set MCP_TOOLS_DIR=.tools)"
        );
        return;
    };
    let root = repo_root();
    let out = root.join("target").join("conformance-test");
    let output = Command::new(root.join("scripts").join("conformance"))
        .env("MCP_TOOLS_DIR", &tools)
        .env("CONFORMANCE_OUT", &out)
        .env(
            "CONFORMANCE_SERVER_BIN",
            env!("CARGO_BIN_EXE_conformance-server"),
        )
        .env(
            "CONFORMANCE_CLIENT_BIN",
            env!("CARGO_BIN_EXE_conformance-client"),
        )
        .output()
        .expect("scripts/conformance runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stdout}\n{stderr}");
    assert!(
        output.status.success(),
        "a server conformance scenario failed (see {})",
        out.display()
    );
    assert!(
        stdout.contains("server-0.1.16: Total: ") && stdout.contains("server-2026-07-28: Total: "),
        "both server suites must have reported totals"
    );
    assert!(stdout.contains("all server scenarios passed"));
}
