//! Micro-benchmarks of the per-message hot path: parsing a JSON-RPC line, serializing a
//! reply, and one `tools/call` through the engine (both eras). Run with
//! `cargo bench -p mcp-protocol --bench messages`.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mcp_protocol::context::{RequestContext, TransportContext};
use mcp_protocol::jsonrpc::Message;
use mcp_protocol::server::{Handler, Server};
use mcp_protocol::types::{
    CallToolParams, CallToolResult, ListToolsResult, PaginatedParams, ServerCapabilities,
    ToolsCapability,
};
use mcp_protocol::{Result, async_trait};

const ECHO_CALL: &str = r#"{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"echo","arguments":{"text":"the quick brown fox jumps over the lazy dog"}}}"#;
const MODERN_CALL: &str = r#"{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"echo","arguments":{"text":"the quick brown fox jumps over the lazy dog"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"0"}}}}"#;

/// Echoes `text`; `blob` returns `kb` KiB.
struct Echo;

#[async_trait]
impl Handler for Echo {
    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            tools: Some(ToolsCapability::default()),
            ..ServerCapabilities::default()
        }
    }

    async fn list_tools(&self, _: &RequestContext, _: PaginatedParams) -> Result<ListToolsResult> {
        Ok(ListToolsResult::default())
    }

    async fn call_tool(&self, _: &RequestContext, p: CallToolParams) -> Result<CallToolResult> {
        let arg = |k: &str| p.arguments.as_ref().and_then(|a| a.get(k));
        Ok(match p.name.as_str() {
            "blob" => {
                let kb = arg("kb").and_then(serde_json::Value::as_u64).unwrap_or(0);
                CallToolResult::text("x".repeat(kb as usize * 1024))
            }
            _ => CallToolResult::text(arg("text").and_then(|v| v.as_str()).unwrap_or_default()),
        })
    }
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (name, line) in [("legacy_call", ECHO_CALL), ("modern_call", MODERN_CALL)] {
        g.throughput(Throughput::Bytes(line.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| Message::parse(black_box(line.as_bytes())).unwrap());
        });
    }
    g.finish();
}

/// A `tools/call` reply with a result of `kb` KiB of text, written the way the transports
/// write replies (`Outgoing::write_json`, the result still typed), next to the same result
/// through `serde_json::to_writer`.
fn serialize(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let conn = Server::new(Echo).connect();
    let mut g = c.benchmark_group("serialize");
    for kb in [0u64, 64, 1024] {
        let line = format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"blob","arguments":{{"kb":{kb}}},"_meta":{{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{{}}}}}}}}"#
        );
        let reply = rt
            .block_on(conn.respond(
                Message::parse(line.as_bytes()).unwrap(),
                TransportContext::new(),
            ))
            .unwrap();
        let result = CallToolResult::text("x".repeat(kb as usize * 1024));
        let mut out = Vec::with_capacity(kb as usize * 1024 + 256);
        g.throughput(Throughput::Bytes(kb * 1024 + 64));
        g.bench_with_input(BenchmarkId::new("reply_kib", kb), &reply, |b, reply| {
            b.iter(|| {
                out.clear();
                black_box(reply).write_json(&mut out).unwrap();
                out.len()
            });
        });
        g.bench_with_input(
            BenchmarkId::new("serde_json_kib", kb),
            &result,
            |b, result| {
                b.iter(|| {
                    out.clear();
                    serde_json::to_writer(&mut out, black_box(result)).unwrap();
                    out.len()
                });
            },
        );
    }
    g.finish();
}

fn engine(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let server = Server::new(Echo);
    let legacy = server.connect();
    let init = r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"0"}}}"#;
    rt.block_on(legacy.handle(
        Message::parse(init.as_bytes()).unwrap(),
        TransportContext::new(),
    ));
    let done = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
    rt.block_on(legacy.handle(
        Message::parse(done.as_bytes()).unwrap(),
        TransportContext::new(),
    ));
    let modern = server.connect();

    let mut g = c.benchmark_group("engine_tools_call");
    for (name, conn, line) in [
        ("legacy", &legacy, ECHO_CALL),
        ("modern", &modern, MODERN_CALL),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let msg = Message::parse(line.as_bytes()).unwrap();
                let reply = rt
                    .block_on(conn.handle(msg, TransportContext::new()))
                    .unwrap();
                serde_json::to_vec(&reply).unwrap()
            });
        });
    }
    g.finish();
}

criterion_group!(benches, parse, serialize, engine);
criterion_main!(benches);
