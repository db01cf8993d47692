//! The shipped servers as processes on loopback: SIGTERM lets an in-flight call finish and
//! the process exit 0 within a bound (`bench-server` and `coder-mcp`, over HTTP and stdio),
//! and the bearer token never appears in `coder-mcp`'s logs (at `trace` level), its audit
//! log or its answers.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BENCH: &str = env!("CARGO_BIN_EXE_bench-server");
const CODER_MCP: &str = env!("CARGO_BIN_EXE_coder-mcp");
const SECRET: &str = "reliability-secret-bearer-7f3a9c";
/// How long a server may take to stop after SIGTERM.
const STOP_BOUND: Duration = Duration::from_secs(15);
/// A safety net so a hang fails the test instead of CI.
const HANG: Duration = Duration::from_secs(30);

/// A server process; its stderr is collected in the background. Killed on drop.
struct Proc {
    child: Child,
    stderr: Arc<Mutex<String>>,
    url: Option<String>,
}

impl Proc {
    fn start(program: &str, args: &[&str], envs: &[(&str, &str)], stdio: bool) -> Self {
        let mut child = Command::new(program)
            .args(args)
            .envs(envs.iter().copied())
            .env_remove("CODER_URL")
            .env_remove("RUST_LOG")
            .stdin(if stdio { Stdio::piped() } else { Stdio::null() })
            .stdout(if stdio { Stdio::piped() } else { Stdio::null() })
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if let Some(start) = line.find("http://127.0.0.1:") {
                    let url = line[start..].split_whitespace().next().unwrap_or("");
                    let _ = tx.send(url.to_owned());
                }
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let url = (!stdio).then(|| rx.recv_timeout(HANG).expect("the server printed its URL"));
        Self { child, stderr, url }
    }

    fn sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits (bounded) for the process to exit.
    fn wait_exit(&mut self, bound: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < bound,
                "did not exit within {bound:?} of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The last JSON-RPC message of an answer, JSON or SSE.
fn last_message(content_type: &str, body: &str) -> Value {
    if content_type.starts_with("text/event-stream") {
        body.lines()
            .rev()
            .filter_map(|l| l.strip_prefix("data:"))
            .map(str::trim)
            .find(|d| !d.is_empty())
            .map(|d| serde_json::from_str(d).unwrap())
            .unwrap_or(Value::Null)
    } else {
        serde_json::from_str(body).unwrap_or(Value::Null)
    }
}

/// A legacy Streamable HTTP session.
struct HttpSession {
    http: reqwest::Client,
    url: String,
    token: Option<String>,
    session: Option<String>,
}

impl HttpSession {
    async fn post(&self, body: &Value) -> (u16, Value) {
        let mut r = self
            .http
            .post(&self.url)
            .header("accept", "application/json, text/event-stream")
            .header("content-type", "application/json")
            .json(body);
        if let Some(t) = &self.token {
            r = r.bearer_auth(t);
        }
        if let Some(s) = &self.session {
            r = r
                .header("mcp-session-id", s)
                .header("mcp-protocol-version", "2025-11-25");
        }
        let resp = tokio::time::timeout(HANG, r.send()).await.unwrap().unwrap();
        let status = resp.status().as_u16();
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let text = tokio::time::timeout(HANG, resp.text())
            .await
            .unwrap()
            .unwrap();
        (status, last_message(&ct, &text))
    }

    async fn open(url: &str, token: Option<&str>) -> Self {
        let mut s = Self {
            http: reqwest::Client::new(),
            url: url.to_owned(),
            token: token.map(str::to_owned),
            session: None,
        };
        let init = json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{
            "protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"reliability","version":"1"}}});
        let resp = s
            .http
            .post(url)
            .header("accept", "application/json, text/event-stream")
            .header("content-type", "application/json");
        let resp = match token {
            Some(t) => resp.bearer_auth(t),
            None => resp,
        };
        let resp = resp.json(&init).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 200, "initialize");
        s.session = resp
            .headers()
            .get("mcp-session-id")
            .map(|v| v.to_str().unwrap().to_owned());
        let (status, _) = s
            .post(&json!({"jsonrpc":"2.0","method":"notifications/initialized"}))
            .await;
        assert_eq!(status, 202);
        s
    }

    async fn call(&self, id: i64, tool: &str, args: Value) -> Value {
        let (status, answer) = self
            .post(&json!({"jsonrpc":"2.0","id":id,"method":"tools/call","params":{"name":tool,"arguments":args}}))
            .await;
        assert_eq!(status, 200, "{tool}: {answer}");
        answer
    }
}

/// Waits (bounded) for a file the in-flight command creates.
async fn wait_for_file(path: &Path) {
    for _ in 0..1500 {
        if path.exists() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{} never appeared", path.display());
}

/// A command for `coder_workspace_bash` that marks its start, then runs for a while.
fn slow_command(marker: &Path) -> String {
    format!(
        "touch {}; sleep 1; echo finished-in-flight",
        marker.display()
    )
}

fn result_text(answer: &Value) -> String {
    answer["result"]["content"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter_map(|b| b["text"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coder_mcp_http_finishes_in_flight_calls_on_sigterm_and_never_logs_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let marker = dir.path().join("started");
    let mut server = Proc::start(
        CODER_MCP,
        &[
            "serve-http",
            "--demo",
            "--listen",
            "127.0.0.1:0",
            "--log-level",
            "trace",
            "--audit-log",
            audit.to_str().unwrap(),
        ],
        &[("CODER_SESSION_TOKEN", SECRET)],
        false,
    );
    let url = server.url.clone().unwrap();
    let session = HttpSession::open(&url, Some(SECRET)).await;

    // Ordinary calls, a failing call and refused requests, all with the token around.
    let me = session
        .call(1, "coder_get_authenticated_user", json!({}))
        .await;
    assert!(me["result"].is_object(), "{me}");
    let bad = session
        .call(
            2,
            "coder_get_workspace",
            json!({"workspace_id": "no-such-ws"}),
        )
        .await;
    assert_eq!(bad["result"]["isError"], true, "{bad}");
    let wrong = HttpSession {
        http: reqwest::Client::new(),
        url: url.clone(),
        token: Some(format!("{SECRET}-wrong")),
        session: session.session.clone(),
    };
    let (status, _) = wrong
        .post(&json!({"jsonrpc":"2.0","id":3,"method":"ping"}))
        .await;
    assert_eq!(status, 401);
    let query = reqwest::Client::new()
        .post(format!("{url}?access_token={SECRET}"))
        .header("accept", "application/json, text/event-stream")
        .header("content-type", "application/json")
        .body(r#"{"jsonrpc":"2.0","id":4,"method":"ping"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        query.status().as_u16(),
        401,
        "query tokens are off by default"
    );

    // An in-flight call when SIGTERM arrives is finished and answered.
    let session = Arc::new(session);
    let in_flight = {
        let session = Arc::clone(&session);
        let command = slow_command(&marker);
        tokio::spawn(async move {
            session
                .call(
                    5,
                    "coder_workspace_bash",
                    json!({"workspace": "dev", "command": command}),
                )
                .await
        })
    };
    wait_for_file(&marker).await;
    server.sigterm();
    let answer = tokio::time::timeout(HANG, in_flight)
        .await
        .unwrap()
        .unwrap();
    assert!(
        result_text(&answer).contains("finished-in-flight"),
        "the in-flight call completed: {answer}"
    );
    let status = server.wait_exit(STOP_BOUND);
    assert!(status.success(), "exit status {status:?}");

    let logs = server.stderr();
    let audit = std::fs::read_to_string(&audit).unwrap();
    assert!(
        audit.lines().count() >= 3,
        "the audit log recorded the calls: {audit}"
    );
    assert!(!logs.is_empty());
    for (what, text) in [("stderr", &logs), ("audit log", &audit)] {
        assert!(!text.contains(SECRET), "{what} contains the bearer token");
    }
    for answer in [&me, &bad, &answer] {
        assert!(!answer.to_string().contains(SECRET));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_server_http_exits_0_on_sigterm_after_answering() {
    let mut server = Proc::start(BENCH, &["--http", "127.0.0.1:0"], &[], false);
    let url = server.url.clone().unwrap();
    let session = HttpSession::open(&url, None).await;
    let big = session.call(1, "blob", json!({"kb": 4096})).await;
    assert_eq!(result_text(&big).len(), 4096 * 1024);
    server.sigterm();
    let status = server.wait_exit(STOP_BOUND);
    assert!(status.success(), "exit status {status:?}");
}

/// A stdio peer of a child process.
struct StdioPeer {
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
}

impl StdioPeer {
    fn attach(proc: &mut Proc) -> Self {
        let stdin = proc.child.stdin.take().unwrap();
        let stdout = proc.child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self { stdin, lines: rx }
    }

    fn send(&mut self, message: &Value) {
        writeln!(self.stdin, "{message}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// The next message with this id (notifications are skipped).
    fn answer(&self, id: i64) -> Value {
        loop {
            let line = self.lines.recv_timeout(HANG).expect("no answer");
            let v: Value = serde_json::from_str(&line).unwrap();
            if v["id"] == id {
                return v;
            }
        }
    }

    fn initialize(&mut self) {
        self.send(&json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{
            "protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"reliability","version":"1"}}}));
        assert!(self.answer(0)["result"].is_object());
        self.send(&json!({"jsonrpc":"2.0","method":"notifications/initialized"}));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coder_mcp_stdio_finishes_in_flight_calls_on_sigterm_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("started");
    let mut server = Proc::start(CODER_MCP, &["server", "--demo"], &[], true);
    let mut peer = StdioPeer::attach(&mut server);
    peer.initialize();
    peer.send(&json!({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{
        "name":"coder_workspace_bash","arguments":{"workspace":"dev","command": slow_command(&marker)}}}));
    wait_for_file(&marker).await;
    server.sigterm();
    let answer = peer.answer(1);
    assert!(
        result_text(&answer).contains("finished-in-flight"),
        "the in-flight call completed: {answer}"
    );
    // The client keeps stdin open: SIGTERM alone must end the process.
    let status = server.wait_exit(STOP_BOUND);
    assert!(
        status.success(),
        "exit status {status:?}; stderr: {}",
        server.stderr()
    );
    drop(peer);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_server_stdio_exits_0_on_sigterm() {
    let mut server = Proc::start(BENCH, &["--stdio"], &[], true);
    let mut peer = StdioPeer::attach(&mut server);
    peer.initialize();
    peer.send(&json!({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}));
    assert_eq!(result_text(&peer.answer(1)), "hi");
    server.sigterm();
    let status = server.wait_exit(STOP_BOUND);
    assert!(
        status.success(),
        "exit status {status:?}; stderr: {}",
        server.stderr()
    );
    drop(peer);
}
