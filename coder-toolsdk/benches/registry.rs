//! Micro-benchmarks of registry dispatch: the Coder registry (35 tools with schemas) plus a
//! trivial `echo` tool, called directly and through the MCP engine, and listed. Nothing
//! reaches a network: `echo` does no I/O and listing only serializes definitions. Run with
//! `cargo bench -p coder-toolsdk --bench registry`.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use coder_toolsdk::{FnTool, ToolHandler, ToolRegistry, coder_tools};
use criterion::{Criterion, criterion_group, criterion_main};
use mcp_protocol::{Message, Server, TransportContext};
use serde_json::json;

fn registry() -> ToolRegistry {
    let client = coder_sdk::Client::new("http://127.0.0.1:9", "bench-token").unwrap();
    let echo = FnTool::new(
        "echo",
        "Returns its text argument.",
        json!({"type": "object", "properties": {"text": {"type": "string"}},
               "required": ["text"], "additionalProperties": false}),
        |args| async move { Ok(json!({ "text": args.get("text").cloned() })) },
    );
    coder_tools(&client).with(echo)
}

fn dispatch(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let registry = registry();
    let mut g = c.benchmark_group("registry");
    g.bench_function("call_echo", |b| {
        b.iter(|| {
            rt.block_on(registry.call(black_box("echo"), json!({"text": "hello"})))
                .unwrap()
        });
    });
    g.bench_function("call_invalid_arguments", |b| {
        b.iter(|| {
            rt.block_on(registry.call(black_box("echo"), json!({"text": 42})))
                .unwrap()
        });
    });
    g.bench_function("list_all", |b| b.iter(|| registry.list(None).unwrap()));
    g.finish();

    let server = Server::new(ToolHandler::new(registry));
    let conn = server.connect();
    let call = r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"#;
    let list = r#"{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"#;
    let mut g = c.benchmark_group("engine");
    for (name, line) in [("tools_call_echo", call), ("tools_list", list)] {
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

criterion_group!(benches, dispatch);
criterion_main!(benches);
