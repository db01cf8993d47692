//! The shared malformed-input corpus (`fuzz/common/malformed_corpus.rs`, 500+ cases)
//! replayed over stdio: every case gets the spec's answer or, for notifications and
//! responses, nothing; the server keeps reading, stays in sync, and its memory stays bounded
//! when the corpus is replayed again and again. Oversize lines are added here because the
//! limit is the transport's.
#![allow(clippy::unwrap_used)]

#[path = "../../fuzz/common/malformed_corpus.rs"]
mod corpus;

use std::time::Duration;

use async_trait::async_trait;
use corpus::Expect;
use mcp_protocol::context::RequestContext;
use mcp_protocol::server::{Handler, Server};
use mcp_protocol::types::{
    CallToolParams, CallToolResult, ListToolsResult, PaginatedParams, ServerCapabilities, Tool,
    ToolsCapability,
};
use mcp_transport_stdio::StdioServer;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines};

/// A safety net so a regression fails instead of hanging CI; no assertion depends on it.
const HANG: Duration = Duration::from_secs(20);

/// One `echo` tool, as the corpus expects.
struct Echo;

#[async_trait]
impl Handler for Echo {
    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            tools: Some(ToolsCapability::default()),
            ..ServerCapabilities::default()
        }
    }

    async fn list_tools(
        &self,
        _: &RequestContext,
        _: PaginatedParams,
    ) -> mcp_protocol::Result<ListToolsResult> {
        let Value::Object(schema) =
            json!({"type": "object", "properties": {"text": {"type": "string"}}})
        else {
            unreachable!()
        };
        Ok(ListToolsResult {
            tools: vec![Tool::new("echo", "Echoes its text", schema)],
            ..ListToolsResult::default()
        })
    }

    async fn call_tool(
        &self,
        _: &RequestContext,
        params: CallToolParams,
    ) -> mcp_protocol::Result<CallToolResult> {
        if params.name != "echo" {
            return Err(mcp_protocol::Error::invalid_params(format!(
                "unknown tool {}",
                params.name
            )));
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

const LIMIT: usize = 1024 * 1024;

struct Peer {
    to_server: DuplexStream,
    from_server: Lines<BufReader<DuplexStream>>,
}

impl Peer {
    async fn send(&mut self, bytes: &[u8]) {
        self.to_server.write_all(bytes).await.unwrap();
        self.to_server.write_all(b"\n").await.unwrap();
    }

    async fn recv(&mut self) -> Value {
        let line = tokio::time::timeout(HANG, self.from_server.next_line())
            .await
            .expect("the server went silent")
            .unwrap()
            .expect("the server closed its output");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    }

    /// Sends a ping and checks that the very next message is its answer: the server is
    /// alive and nothing unexpected was queued before it.
    async fn in_sync(&mut self, tag: &str) {
        self.send(
            json!({"jsonrpc":"2.0","id":tag,"method":"ping"})
                .to_string()
                .as_bytes(),
        )
        .await;
        let pong = self.recv().await;
        assert_eq!(pong["id"], tag, "stray message instead of the pong: {pong}");
        assert_eq!(pong["result"], json!({}));
    }
}

fn start() -> (Peer, tokio::task::JoinHandle<()>) {
    let (client_out, server_in) = tokio::io::duplex(1 << 20);
    let (server_out, client_in) = tokio::io::duplex(1 << 20);
    let task = tokio::spawn(async move {
        StdioServer::new(Server::new(Echo))
            .max_line_bytes(LIMIT)
            .serve_io(server_in, server_out)
            .await
            .unwrap();
    });
    let peer = Peer {
        to_server: client_out,
        from_server: BufReader::new(client_in).lines(),
    };
    (peer, task)
}

/// Why `answer` is not what `expect` asks for, if it is not.
fn mismatch(expect: &Expect, answer: &Value) -> Option<String> {
    let id_of = |id: &Option<Value>| id.clone().unwrap_or(Value::Null);
    let ok = answer["jsonrpc"] == "2.0"
        && match expect {
            Expect::Error { code, id } => {
                answer["error"]["code"] == *code && answer["id"] == id_of(id)
            }
            Expect::AnyError { id } => {
                answer["error"]["code"].is_i64() && answer["id"] == id_of(id)
            }
            Expect::Result { id } => answer.get("result").is_some() && answer["id"] == *id,
            Expect::AnyErrorOrResult { id } => {
                (answer.get("result").is_some() || answer["error"]["code"].is_i64())
                    && answer["id"] == *id
            }
            Expect::Silent => false,
        }
        && answer.get("error").is_none_or(|e| e["message"].is_string());
    (!ok).then(|| {
        let mut shown = answer.to_string();
        shown.truncate(300);
        format!("expected {expect:?}, got {shown}")
    })
}

/// Resident set size in KiB (Linux), to check memory stays bounded.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Replays every case; returns the cases whose answer was wrong.
async fn replay(peer: &mut Peer, cases: &[corpus::Case]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        peer.send(&case.bytes).await;
        if case.expect != Expect::Silent {
            let answer = peer.recv().await;
            if let Some(why) = mismatch(&case.expect, &answer) {
                wrong.push(format!("{}: {why}", case.name));
            }
        }
        peer.in_sync(&format!("sync-{i}")).await;
    }
    wrong
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_corpus_case_gets_the_spec_answer_over_stdio_and_memory_stays_bounded() {
    let cases = corpus::corpus();
    assert!(cases.len() >= 500, "only {} cases", cases.len());
    let (mut peer, task) = start();
    peer.send(br#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"corpus","version":"1"}}}"#).await;
    assert_eq!(peer.recv().await["result"]["protocolVersion"], "2025-11-25");
    peer.send(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        .await;

    let wrong = replay(&mut peer, &cases).await;
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );

    // Oversize lines, of several shapes: the transport's -32600, then back in sync.
    for (what, line) in [
        (
            "padding",
            format!(
                r#"{{"jsonrpc":"2.0","id":1,"method":"ping","pad":"{}"}}"#,
                "x".repeat(LIMIT)
            ),
        ),
        ("deep nesting", corpus::nested(LIMIT / 2 + 1, false)),
        ("garbage", "\u{7f}".repeat(LIMIT + 1)),
    ] {
        peer.send(line.as_bytes()).await;
        let answer = peer.recv().await;
        assert_eq!(answer["error"]["code"], -32600, "oversize {what}: {answer}");
        assert_eq!(answer["id"], Value::Null);
        peer.in_sync(&format!("after-oversize-{what}")).await;
    }

    // Memory: replaying the corpus again must not keep growing the process.
    let warm = rss_kib();
    for _ in 0..3 {
        assert!(replay(&mut peer, &cases).await.is_empty());
    }
    if let (Some(warm), Some(after)) = (warm, rss_kib()) {
        let growth = after.saturating_sub(warm);
        assert!(
            growth < 32 * 1024,
            "three more replays grew RSS by {growth} KiB (from {warm})"
        );
    }

    drop(peer);
    tokio::time::timeout(HANG, task)
        .await
        .expect("no clean exit")
        .unwrap();
}
