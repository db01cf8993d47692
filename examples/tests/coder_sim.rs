#![allow(clippy::unwrap_used, missing_docs)]
//! `coder-sim` prints a working URL and tokens, and `coder-mcp server` can use them.

use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

const CODER_SIM: &str = env!("CARGO_BIN_EXE_coder-sim");
const CODER_MCP: &str = env!("CARGO_BIN_EXE_coder-mcp");

/// Starts `coder-sim` and reads its `KEY=value` lines.
async fn start_sim() -> (tokio::process::Child, Vec<(String, String)>) {
    let mut child = Command::new(CODER_SIM)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut vars = Vec::new();
    while vars.len() < 3 {
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("coder-sim printed its variables");
        let (k, v) = line.split_once('=').unwrap();
        vars.push((k.to_owned(), v.to_owned()));
    }
    (child, vars)
}

fn var<'a>(vars: &'a [(String, String)], key: &str) -> &'a str {
    &vars.iter().find(|(k, _)| k == key).unwrap().1
}

#[tokio::test]
async fn coder_sim_serves_the_demo_deployment_with_the_printed_credentials() {
    let (mut sim, vars) = start_sim().await;
    let names: Vec<&str> = vars.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["CODER_URL", "CODER_SESSION_TOKEN", "CODER_AGENT_TOKEN"]
    );
    let url = var(&vars, "CODER_URL");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let client = reqwest::Client::new();
    let me: serde_json::Value = client
        .get(format!("{url}/api/v2/users/me"))
        .header("Coder-Session-Token", var(&vars, "CODER_SESSION_TOKEN"))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "admin");
    let refused = client
        .get(format!("{url}/api/v2/users/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    // coder-mcp pointed at it with the printed credentials lists the demo workspaces.
    let mut mcp = Command::new(CODER_MCP)
        .args(["server", "--url", url, "--token"])
        .arg(var(&vars, "CODER_SESSION_TOKEN"))
        .env_remove("CODER_AGENT_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = mcp.stdin.take().unwrap();
    let mut out = BufReader::new(mcp.stdout.take().unwrap()).lines();
    let requests = [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}"#,
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"coder_list_workspaces","arguments":{}}}"#,
    ];
    for r in requests {
        stdin.write_all(r.as_bytes()).await.unwrap();
        stdin.write_all(b"\n").await.unwrap();
    }
    stdin.flush().await.unwrap();
    let mut answer = None;
    for _ in 0..10 {
        let line = out.next_line().await.unwrap().expect("coder-mcp answered");
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        if v["id"] == 2 {
            answer = Some(v);
            break;
        }
    }
    let answer = answer.expect("an answer to tools/call");
    assert_eq!(answer["result"]["isError"], serde_json::Value::Null);
    let text = answer["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("\"dev\""), "{text}");
    drop(stdin);
    mcp.wait().await.unwrap();
    sim.kill().await.unwrap();
}
