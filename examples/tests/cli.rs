//! `coder-mcp server` without credentials: a clear message saying how to log in, and a
//! non-zero exit instead of a server that cannot do anything.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};

const CODER_MCP: &str = env!("CARGO_BIN_EXE_coder-mcp");

/// Runs `coder-mcp server` in an empty home with no Coder variables set.
fn server_without_login(extra_env: &[(&str, &str)]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(CODER_MCP);
    cmd.arg("server")
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(extra_env.iter().copied())
        .stdin(Stdio::null());
    cmd.output().unwrap()
}

#[test]
fn no_credentials_is_a_clear_error_and_a_non_zero_exit() {
    let out = server_without_login(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("coder login"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "stdout is for protocol messages only"
    );
}

#[test]
fn a_dead_deployment_is_reported_not_waited_for() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = server_without_login(&[
        ("CODER_URL", &url),
        ("CODER_SESSION_TOKEN", "secret-token-1"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("Authentication : Failed"), "{stderr}");
    assert!(stderr.contains("coder login"), "{stderr}");
    assert!(
        !stderr.contains("secret-token-1"),
        "the token must never be printed: {stderr}"
    );
}
