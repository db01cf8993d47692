//! The official TypeScript and Python MCP clients against our servers, over real pipes and
//! real loopback sockets: `bench-server` (stdio and HTTP) and `coder-mcp --demo` (stdio,
//! and HTTP with a bearer token), plus the HTTP server's refusals (401, 403).
//!
//! The clients come from `scripts/install-tools` (via `MCP_TOOLS_DIR`, set by
//! `scripts/test`). Without them these tests say so and pass, so a plain `cargo test` still
//! works offline; `scripts/test` and CI always run them.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const BENCH: &str = env!("CARGO_BIN_EXE_bench-server");
const CODER_MCP: &str = env!("CARGO_BIN_EXE_coder-mcp");
const DEMO_TOKEN: &str = "interop-demo-token";

fn tools_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MCP_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.tools"));
    if dir.join("bin/node").exists() && dir.join("bin/python-mcp").exists() {
        Some(dir)
    } else {
        eprintln!("interop: official clients not installed; run scripts/install-tools");
        None
    }
}

#[derive(Clone, Copy, Debug)]
enum Sdk {
    TypeScript,
    Python,
}

/// Runs one client script with a spec; returns what it printed.
fn run_client(tools: &PathBuf, sdk: Sdk, spec: &Value) -> Value {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
    let mut cmd = match sdk {
        Sdk::TypeScript => {
            let mut c = Command::new(tools.join("bin/node"));
            c.arg(dir.join("ts_client.mjs"));
            c
        }
        Sdk::Python => {
            let mut c = Command::new(tools.join("bin/python-mcp"));
            c.arg(dir.join("py_client.py"));
            c
        }
    };
    let output = cmd
        .arg(spec.to_string())
        .env("MCP_TOOLS_DIR", tools)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{sdk:?} client failed on {spec}\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{sdk:?} printed no JSON ({e}): {stdout}"))
}

/// A server process on 127.0.0.1 with an OS-chosen port, killed on drop.
struct HttpServer {
    child: Child,
    base: String,
}

impl HttpServer {
    /// Starts `program args`, reading the listening URL from the line on stderr that
    /// contains `marker`.
    fn start(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Self {
        let mut child = Command::new(program)
            .args(args)
            .envs(envs.iter().copied())
            .env_remove("CODER_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let base = lines
            .by_ref()
            .take(50)
            .map_while(Result::ok)
            .find_map(|line| {
                let start = line.find("http://127.0.0.1:")?;
                let rest = &line[start..];
                let end = rest[7..].find('/').map_or(rest.len(), |i| i + 7);
                Some(rest[..end].to_owned())
            })
            .expect("the server printed its address");
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self { child, base }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn texts(call: &Value) -> String {
    call["text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_bench(result: &Value) {
    let names: Vec<_> = result["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["echo", "blob"]);
    assert_eq!(texts(&result["calls"][0]), "héllo 👋");
    assert_eq!(texts(&result["calls"][1]).len(), 2048);
}

fn bench_calls() -> Value {
    json!([["echo", {"text": "héllo 👋"}], ["blob", {"kb": 2}]])
}

#[test]
fn official_clients_call_bench_server_over_stdio() {
    let Some(tools) = tools_dir() else { return };
    for (sdk, mode) in [
        (Sdk::TypeScript, "legacy"),
        (Sdk::Python, "auto"),
        (Sdk::Python, "legacy"),
    ] {
        let spec = json!({"transport": "stdio", "command": BENCH, "args": ["--stdio"],
                          "mode": mode, "calls": bench_calls()});
        let result = run_client(&tools, sdk, &spec);
        check_bench(&result);
        if matches!(sdk, Sdk::Python) && mode == "auto" {
            assert_eq!(
                result["protocol"], "2026-07-28",
                "Python probes the newest first"
            );
        }
    }
}

#[test]
fn official_clients_call_bench_server_over_http() {
    let Some(tools) = tools_dir() else { return };
    for stateless in [false, true] {
        let mut args = vec!["--http", "127.0.0.1:0"];
        if stateless {
            args.push("--stateless");
        }
        let server = HttpServer::start(BENCH, &args, &[]);
        let url = format!("{}/mcp", server.base);
        for (sdk, mode) in [
            (Sdk::TypeScript, "legacy"),
            (Sdk::Python, "auto"),
            (Sdk::Python, "legacy"),
        ] {
            let spec =
                json!({"transport": "http", "url": url, "mode": mode, "calls": bench_calls()});
            check_bench(&run_client(&tools, sdk, &spec));
        }
    }
}

/// The calls every end-to-end run makes against the demo deployment.
fn coder_calls() -> Value {
    json!([
        ["coder_get_authenticated_user", {}],
        ["coder_workspace_bash", {"workspace": "dev", "command": "echo interop-$((6*7))"}],
        ["coder_workspace_write_file", {"workspace": "dev", "path": "/tmp/coder-mcp-interop.txt",
                                         "content": "aW50ZXJvcCBmaWxlCg=="}],
        ["coder_workspace_read_file", {"workspace": "dev", "path": "/tmp/coder-mcp-interop.txt"}]
    ])
}

fn check_coder(result: &Value, sdk: Sdk) {
    let tools = result["tools"].as_array().unwrap();
    assert!(tools.len() >= 30, "{sdk:?} saw {} tools", tools.len());
    for tool in tools {
        assert_eq!(tool["inputSchema"]["type"], "object", "{}", tool["name"]);
    }
    let calls = result["calls"].as_array().unwrap();
    for call in calls {
        assert_eq!(call["isError"], false, "{sdk:?}: {call}");
    }
    assert!(texts(&calls[0]).contains("admin"), "{}", calls[0]);
    assert_eq!(calls[1]["structured"]["exit_code"], 0);
    assert!(texts(&calls[1]).contains("interop-42"));
    assert_eq!(calls[3]["structured"]["content"], "aW50ZXJvcCBmaWxlCg==");
}

#[test]
fn official_clients_use_coder_mcp_demo_over_stdio() {
    let Some(tools) = tools_dir() else { return };
    for (sdk, mode) in [(Sdk::TypeScript, "legacy"), (Sdk::Python, "auto")] {
        let spec = json!({"transport": "stdio", "command": CODER_MCP, "args": ["server", "--demo"],
                          "mode": mode, "calls": coder_calls()});
        check_coder(&run_client(&tools, sdk, &spec), sdk);
    }
}

#[test]
fn official_clients_use_coder_mcp_demo_over_http_with_a_bearer_token() {
    let Some(tools) = tools_dir() else { return };
    let server = HttpServer::start(
        CODER_MCP,
        &["serve-http", "--demo", "--listen", "127.0.0.1:0"],
        &[("CODER_SESSION_TOKEN", DEMO_TOKEN)],
    );
    for path in ["/mcp", "/api/experimental/mcp/http"] {
        let url = format!("{}{path}", server.base);
        for (sdk, mode) in [(Sdk::TypeScript, "legacy"), (Sdk::Python, "auto")] {
            let spec = json!({"transport": "http", "url": url, "token": DEMO_TOKEN,
                              "mode": mode, "calls": coder_calls()});
            check_coder(&run_client(&tools, sdk, &spec), sdk);
        }
    }
}

#[tokio::test]
async fn coder_mcp_http_refuses_missing_tokens_and_foreign_hosts() {
    let server = HttpServer::start(
        CODER_MCP,
        &["serve-http", "--demo", "--listen", "127.0.0.1:0"],
        &[("CODER_SESSION_TOKEN", DEMO_TOKEN)],
    );
    let http = reqwest::Client::new();
    let url = format!("{}/mcp", server.base);
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"}}});
    let post = |token: Option<&str>, host: Option<&str>| {
        let mut req = http
            .post(&url)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .body(init.to_string());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(h) = host {
            req = req.header("host", h);
        }
        req.send()
    };

    let missing = post(None, None).await.unwrap();
    assert_eq!(missing.status(), 401);
    let challenge = missing.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    let metadata_url = format!("{}/.well-known/oauth-protected-resource/mcp", server.base);
    assert!(
        challenge.contains(&format!("resource_metadata=\"{metadata_url}\"")),
        "{challenge}"
    );

    let wrong = post(Some("not-the-token"), None).await.unwrap();
    assert_eq!(wrong.status(), 401);

    let evil = post(Some(DEMO_TOKEN), Some("evil.example.com"))
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);

    let ok = post(Some(DEMO_TOKEN), None).await.unwrap();
    assert_eq!(ok.status(), 200);

    // The metadata names the MCP URL (not the root) and the deployment as issuer.
    let metadata: Value = http
        .get(&metadata_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(metadata["resource"], url);
    assert_eq!(
        metadata["authorization_servers"].as_array().unwrap().len(),
        1
    );

    let bad_toolset = http
        .post(format!("{url}?toolset=everything"))
        .bearer_auth(DEMO_TOKEN)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(init.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(bad_toolset.status(), 400);
}
