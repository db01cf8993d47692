//! The stdio transport end to end: server and client engines over in-process pipes, the
//! malformed-input set, end of input with work in flight, and child-process lifecycle.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use async_trait::async_trait;
use mcp_protocol::client::ClientOptions;
use mcp_protocol::context::RequestContext;
use mcp_protocol::server::{Handler, Server};
use mcp_protocol::types::{
    CallToolParams, CallToolResult, ListToolsResult, PaginatedParams, ServerCapabilities, Tool,
    ToolsCapability,
};
use mcp_protocol::{ProtocolVersion, Result};
use mcp_transport_stdio::{IoClient, ServerCommand, StdioClient, StdioServer};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};

/// Tools: `echo {text}` answers at once; `slow` waits until released or cancelled;
/// `progress` reports three steps, then answers.
struct TestHandler {
    release: tokio::sync::Semaphore,
}

#[async_trait]
impl Handler for TestHandler {
    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            tools: Some(ToolsCapability::default()),
            ..ServerCapabilities::default()
        }
    }

    async fn list_tools(&self, _: &RequestContext, _: PaginatedParams) -> Result<ListToolsResult> {
        let schema = json!({"type": "object", "properties": {"text": {"type": "string"}}});
        let Value::Object(schema) = schema else {
            unreachable!()
        };
        Ok(ListToolsResult {
            tools: vec![
                Tool::new("echo", "Echoes its text", schema.clone()),
                Tool::new("slow", "Waits", schema),
            ],
            ..ListToolsResult::default()
        })
    }

    async fn call_tool(
        &self,
        ctx: &RequestContext,
        params: CallToolParams,
    ) -> Result<CallToolResult> {
        match params.name.as_str() {
            "echo" => {}
            "progress" => {
                for step in 1..=3 {
                    ctx.progress(f64::from(step), Some(3.0), None).await;
                }
            }
            "slow" => drop(self.release.acquire().await),
            other => {
                return Err(mcp_protocol::Error::invalid_params(format!(
                    "no tool {other}"
                )));
            }
        }
        let text = params
            .arguments
            .as_ref()
            .and_then(|a| a.get("text"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        Ok(CallToolResult::text(text))
    }
}

fn server() -> Server {
    Server::new(TestHandler {
        release: tokio::sync::Semaphore::new(0),
    })
}

/// Starts a server on in-memory pipes; returns the client's ends.
fn start(server: StdioServer) -> (DuplexStream, DuplexStream, tokio::task::JoinHandle<()>) {
    let (client_out, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, client_in) = tokio::io::duplex(1 << 16);
    let task = tokio::spawn(async move {
        server.serve_io(server_in, server_out).await.unwrap();
    });
    (client_out, client_in, task)
}

fn args(text: &str) -> serde_json::Map<String, Value> {
    let Value::Object(map) = json!({ "text": text }) else {
        unreachable!()
    };
    map
}

#[tokio::test]
async fn client_and_server_talk_in_both_eras() {
    for version in [ProtocolVersion::V2026_07_28, ProtocolVersion::V2025_11_25] {
        let (to_server, from_server, task) = start(StdioServer::new(server()));
        let io = IoClient::new(
            from_server,
            to_server,
            ClientOptions::default().with_protocol_version(version),
        );
        let details = io.client().connect().await.unwrap();
        assert_eq!(details.version, version);
        let tools = io
            .client()
            .list_tools(PaginatedParams::default())
            .await
            .unwrap();
        let names: Vec<_> = tools.tools.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["echo", "slow"]);
        let result = io
            .client()
            .call_tool(CallToolParams::new("echo", args("hi")))
            .await
            .unwrap();
        assert_eq!(
            serde_json::to_value(&result.content).unwrap()[0]["text"],
            "hi"
        );
        io.close_input();
        task.await.unwrap();
    }
}

/// Sends raw lines and reads raw answers, one line each.
struct RawPeer {
    to_server: DuplexStream,
    from_server: tokio::io::Lines<BufReader<DuplexStream>>,
}

impl RawPeer {
    async fn send(&mut self, bytes: &[u8]) {
        self.to_server.write_all(bytes).await.unwrap();
        self.to_server.write_all(b"\n").await.unwrap();
    }

    async fn recv(&mut self) -> Value {
        let line = self.from_server.next_line().await.unwrap().unwrap();
        serde_json::from_str(&line).unwrap()
    }
}

fn raw_peer(server: StdioServer) -> (RawPeer, tokio::task::JoinHandle<()>) {
    let (to_server, from_server, task) = start(server);
    let peer = RawPeer {
        to_server,
        from_server: BufReader::new(from_server).lines(),
    };
    (peer, task)
}

#[tokio::test]
async fn progress_notifications_reach_the_client_before_the_answer() {
    let (mut peer, task) = raw_peer(StdioServer::new(server()));
    peer.send(INIT).await;
    assert_eq!(peer.recv().await["id"], 0);
    for id in 1..=20 {
        let call = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {
            "name": "progress", "arguments": {}, "_meta": {"progressToken": id}}});
        peer.send(call.to_string().as_bytes()).await;
        for step in 1..=3 {
            let note = peer.recv().await;
            assert_eq!(
                note["method"], "notifications/progress",
                "call {id}: {note}"
            );
            assert_eq!(note["params"]["progress"], f64::from(step));
            assert_eq!(note["params"]["progressToken"], id);
        }
        assert_eq!(peer.recv().await["id"], id);
    }
    drop(peer);
    task.await.unwrap();
}

const INIT: &[u8] = br#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#;

#[tokio::test]
async fn malformed_input_gets_the_spec_answer_and_the_server_keeps_reading() {
    let (mut peer, task) = raw_peer(StdioServer::new(server()).max_line_bytes(1024));
    peer.send(INIT).await;
    assert_eq!(peer.recv().await["result"]["protocolVersion"], "2025-11-25");
    peer.send(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        .await;

    let huge = format!(
        r#"{{"jsonrpc":"2.0","id":9,"method":"ping","pad":"{}"}}"#,
        "x".repeat(4096)
    );
    let cases: Vec<(Vec<u8>, i64)> = vec![
        (b"{not json".to_vec(), -32700),
        (b"\xff\xfe\xfd".to_vec(), -32700),
        (
            br#"{"jsonrpc":"2.0","id":1,"method":"ping""#.to_vec(),
            -32700,
        ),
        (b"42".to_vec(), -32600),
        (br#"{"id":2,"method":"ping"}"#.to_vec(), -32600),
        (
            br#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#.to_vec(),
            -32600,
        ),
        (
            br#"{"jsonrpc":"2.0","id":3,"method":"no/such/method"}"#.to_vec(),
            -32601,
        ),
        (
            br#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":7}}"#.to_vec(),
            -32602,
        ),
        (
            br#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"nope"}}"#.to_vec(),
            -32602,
        ),
        (huge.into_bytes(), -32600),
    ];
    for (input, code) in cases {
        peer.send(&input).await;
        let answer = peer.recv().await;
        assert_eq!(
            answer["error"]["code"],
            code,
            "{} -> {answer}",
            String::from_utf8_lossy(&input[..input.len().min(80)])
        );
        // The server is still there and in sync.
        peer.send(br#"{"jsonrpc":"2.0","id":"alive","method":"ping"}"#)
            .await;
        assert_eq!(peer.recv().await["id"], "alive");
    }
    // A response to a request the server never sent is ignored, not answered.
    peer.send(br#"{"jsonrpc":"2.0","id":12345,"result":{}}"#)
        .await;
    peer.send(br#"{"jsonrpc":"2.0","id":"last","method":"ping"}"#)
        .await;
    assert_eq!(peer.recv().await["id"], "last");
    drop(peer);
    task.await.unwrap();
}

#[tokio::test]
async fn a_request_before_initialize_gets_an_error_not_a_hang() {
    let (mut peer, task) = raw_peer(StdioServer::new(server()));
    peer.send(br#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#)
        .await;
    let answer = peer.recv().await;
    assert!(answer["error"]["code"].is_i64(), "{answer}");
    drop(peer);
    task.await.unwrap();
}

#[tokio::test]
async fn end_of_input_lets_in_flight_work_finish_then_exits() {
    let handler = std::sync::Arc::new(TestHandler {
        release: tokio::sync::Semaphore::new(0),
    });
    struct Shared(std::sync::Arc<TestHandler>);
    #[async_trait]
    impl Handler for Shared {
        fn capabilities(&self) -> ServerCapabilities {
            self.0.capabilities()
        }
        async fn call_tool(&self, c: &RequestContext, p: CallToolParams) -> Result<CallToolResult> {
            self.0.call_tool(c, p).await
        }
    }
    let stdio = StdioServer::new(Server::new(Shared(handler.clone())));
    let (mut peer, task) = raw_peer(stdio);
    peer.send(INIT).await;
    peer.recv().await;
    peer.send(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        .await;
    peer.send(br#"{"jsonrpc":"2.0","id":"slow","method":"tools/call","params":{"name":"slow","arguments":{"text":"done"}}}"#).await;
    // Close our end while the call is still running, then let it finish.
    peer.to_server.shutdown().await.unwrap();
    handler.release.add_permits(1);
    let answer = peer.recv().await;
    assert_eq!(answer["id"], "slow");
    assert_eq!(answer["result"]["content"][0]["text"], "done");
    task.await.unwrap();
    assert!(
        peer.from_server.next_line().await.unwrap().is_none(),
        "stdout closed"
    );
}

#[tokio::test]
async fn in_flight_work_is_cancelled_after_the_grace_period() {
    let stdio = StdioServer::new(server()).shutdown_grace(Duration::from_millis(50));
    let (mut peer, task) = raw_peer(stdio);
    peer.send(INIT).await;
    peer.recv().await;
    peer.send(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        .await;
    peer.send(br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow"}}"#)
        .await;
    peer.to_server.shutdown().await.unwrap();
    // The slow tool is never released: the server must still exit.
    task.await.unwrap();
}

#[tokio::test]
async fn shutdown_closes_stdin_and_reaps_the_process() {
    let cmd = ServerCommand::new("sh").args(["-c", "cat >/dev/null"]);
    let child = StdioClient::spawn(&cmd, ClientOptions::default()).unwrap();
    let status = child.shutdown().await.unwrap();
    assert!(status.success(), "{status:?}");
}

#[cfg(unix)]
#[tokio::test]
async fn shutdown_escalates_to_sigterm_then_sigkill() {
    use std::os::unix::process::ExitStatusExt;
    let step = Duration::from_millis(100);
    // Ignores end of input: SIGTERM ends it.
    let cmd = ServerCommand::new("sh")
        .args(["-c", "exec sleep 30"])
        .shutdown_step(step);
    let status = StdioClient::spawn(&cmd, ClientOptions::default())
        .unwrap()
        .shutdown()
        .await
        .unwrap();
    assert_eq!(status.signal(), Some(15));
    // Ignores SIGTERM too: SIGKILL ends it.
    let cmd = ServerCommand::new("sh")
        .args(["-c", "trap '' TERM; while :; do sleep 1; done"])
        .shutdown_step(step);
    let status = StdioClient::spawn(&cmd, ClientOptions::default())
        .unwrap()
        .shutdown()
        .await
        .unwrap();
    assert_eq!(status.signal(), Some(9));
}

#[tokio::test]
async fn spawning_a_missing_program_is_a_clear_error() {
    let cmd = ServerCommand::new("/nonexistent/mcp-server");
    let err = StdioClient::spawn(&cmd, ClientOptions::default()).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/mcp-server"), "{err}");
}

#[tokio::test]
async fn requests_fail_at_once_when_the_server_process_dies() {
    // A "server" that exits without answering: the pending request must not wait for a timeout.
    let cmd = ServerCommand::new("sh").args(["-c", "read line; exit 0"]);
    let child = StdioClient::spawn(&cmd, ClientOptions::default()).unwrap();
    let err = child.client().ping().await.unwrap_err();
    assert!(
        matches!(err, mcp_protocol::Error::Closed),
        "expected Closed, got {err:?}"
    );
    child.shutdown().await.unwrap();
}
