//! `Client::exec` over the simulated deployment's reconnecting PTY (a real local shell).
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use coder_sdk::testing::SimulatedCoder;
use coder_sdk::{Client, ExecOptions, PtyOptions, WorkspaceAgentId};

/// Typed (large) stdin needs a real terminal; the simulator has one when util-linux
/// `script` is installed, and otherwise runs commands on pipes.
fn has_real_terminal() -> bool {
    std::path::Path::new("/usr/bin/script").exists() || std::path::Path::new("/bin/script").exists()
}

async fn setup() -> (SimulatedCoder, Client, WorkspaceAgentId) {
    let sim = SimulatedCoder::start().await.unwrap();
    let client = Client::new(sim.url(), sim.session_token()).unwrap();
    let agent = WorkspaceAgentId::new(sim.agent_id("dev").unwrap());
    (sim, client, agent)
}

#[tokio::test]
async fn exit_code_zero_and_one() {
    let (_sim, client, agent) = setup().await;
    let out = client
        .exec(agent, "echo hello; echo to-stderr >&2", &ExecOptions::new())
        .await
        .unwrap();
    assert_eq!(out.exit_code, 0, "{out:?}");
    assert_eq!(out.output, "hello\nto-stderr\n");
    assert!(!out.truncated && !out.timed_out);

    let out = client
        .exec(agent, "echo failing; exit 1", &ExecOptions::new())
        .await
        .unwrap();
    assert_eq!(out.exit_code, 1);
    assert_eq!(out.output, "failing\n");
}

#[tokio::test]
async fn never_ending_command_times_out_with_124() {
    let (_sim, client, agent) = setup().await;
    let out = client
        .exec(
            agent,
            "echo started; while :; do sleep 1; done",
            &ExecOptions::new().with_timeout(Duration::from_secs(1)),
        )
        .await
        .unwrap();
    assert_eq!(out.exit_code, 124, "{out:?}");
    assert!(out.timed_out);
    assert_eq!(out.output, "started\n");
}

#[tokio::test]
async fn output_over_a_mebibyte_keeps_head_and_tail() {
    let (_sim, client, agent) = setup().await;
    let out = client
        .exec(
            agent,
            "echo FIRST; yes abcdefghij | head -c 1500000; echo; echo LAST",
            &ExecOptions::new().with_max_output(32 * 1024),
        )
        .await
        .unwrap();
    assert_eq!(out.exit_code, 0);
    assert!(out.truncated);
    assert!(out.output.starts_with("FIRST\n"));
    assert!(out.output.ends_with("LAST\n"));
    assert!(out.output.contains("bytes of output omitted"));
    assert!(out.output.len() < 40 * 1024);
}

#[tokio::test]
async fn binary_output_is_survived() {
    let (_sim, client, agent) = setup().await;
    let out = client
        .exec(
            agent,
            "head -c 65536 /dev/urandom; printf '\\033]0;never terminated'; echo; echo done",
            &ExecOptions::new().with_max_output(1 << 20),
        )
        .await
        .unwrap();
    assert_eq!(out.exit_code, 0);
    assert!(
        out.output.ends_with("done\n"),
        "{:?}",
        &out.output[out.output.len().saturating_sub(80)..]
    );
}

#[tokio::test]
async fn workdir_env_and_stdin() {
    let (sim, client, agent) = setup().await;
    let home = sim
        .workspace_home(sim.workspace_id("dev").unwrap())
        .unwrap();
    std::fs::create_dir_all(home.join("sub dir")).unwrap();
    let out = client
        .exec(
            agent,
            "basename \"$PWD\"; printf '%s\\n' \"$GREETING\"; cat",
            &ExecOptions::new()
                .with_workdir(home.join("sub dir").to_string_lossy())
                .with_env("GREETING", "it's me")
                .with_stdin(b"from stdin\n".to_vec()),
        )
        .await
        .unwrap();
    assert_eq!(out.exit_code, 0, "{out:?}");
    assert_eq!(out.output, "sub dir\nit's me\nfrom stdin\n");

    let out = client
        .exec(
            agent,
            "true",
            &ExecOptions::new().with_workdir("/definitely/not/here"),
        )
        .await
        .unwrap();
    assert_eq!(out.exit_code, 1);
}

#[tokio::test]
async fn file_round_trip_through_base64() {
    let (sim, client, agent) = setup().await;
    let home = sim
        .workspace_home(sim.workspace_id("dev").unwrap())
        .unwrap();
    let path = home.join("blob.bin");
    let data: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    client
        .exec_write_file(agent, &path.to_string_lossy(), &data)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), data);
    let back = client
        .exec_read_file(agent, &path.to_string_lossy(), 0, 1 << 20)
        .await
        .unwrap();
    assert_eq!(back, data);
    let part = client
        .exec_read_file(agent, &path.to_string_lossy(), 256, 10)
        .await
        .unwrap();
    assert_eq!(part, data[256..266].to_vec());
    let err = client
        .exec_read_file(agent, &home.join("missing").to_string_lossy(), 0, 10)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

#[tokio::test]
async fn unknown_agent_is_not_found() {
    let (_sim, client, _agent) = setup().await;
    let err = client
        .exec(WorkspaceAgentId::random(), "true", &ExecOptions::new())
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn raw_pty_echoes_typed_input() {
    let (_sim, client, agent) = setup().await;
    let mut pty = client
        .workspace_agent_reconnecting_pty(agent, &PtyOptions::new().with_command("cat"))
        .await
        .unwrap();
    pty.write("ping\n").await.unwrap();
    let mut seen = Vec::new();
    while let Some(chunk) = pty.read().await {
        seen.extend_from_slice(&chunk.unwrap());
        if String::from_utf8_lossy(&seen).matches("ping").count() >= 1 {
            break;
        }
    }
    assert!(String::from_utf8_lossy(&seen).contains("ping"));
    pty.close().await.unwrap();
}

#[tokio::test]
async fn large_file_is_written_in_one_command() {
    if !has_real_terminal() {
        return;
    }
    let (sim, client, agent) = setup().await;
    let home = sim
        .workspace_home(sim.workspace_id("dev").unwrap())
        .unwrap();
    let path = home.join("new/nested dir/large.bin");
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    client
        .exec_write_file(agent, &path.to_string_lossy(), &data)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), data);
    client
        .exec_write_file(agent, &path.to_string_lossy(), b"")
        .await
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"");
}

#[tokio::test]
async fn large_stdin_is_typed_into_the_terminal() {
    if !has_real_terminal() {
        return;
    }
    let (_sim, client, agent) = setup().await;
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    let out = client
        .exec(
            agent,
            "wc -c | tr -d ' '; echo \"$MARK\"",
            &ExecOptions::new().with_stdin(data).with_env("MARK", "end"),
        )
        .await
        .unwrap();
    assert_eq!(out.exit_code, 0, "{out:?}");
    assert_eq!(out.output, "1000000\nend\n");
}

#[tokio::test]
async fn oversized_command_is_refused_before_connecting() {
    let (sim, client, agent) = setup().await;
    sim.clear_requests();
    let command = format!("echo {}", "x".repeat(100_000));
    let err = client
        .exec(agent, &command, &ExecOptions::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("terminal URL"), "{err}");
    assert!(sim.requests().is_empty());
}
