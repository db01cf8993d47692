//! Stdio line handling: arbitrary bytes (any number of lines, invalid UTF-8, oversize
//! lines, no final newline) into the stdio server.
//!
//! Invariants: the server never panics or hangs, ends cleanly at end of input, and every
//! line it writes is one JSON-RPC message.
#![no_main]

use std::time::Duration;

use coder_mcp_fuzz::{HANG, runtime, server};
use libfuzzer_sys::fuzz_target;
use mcp_transport_stdio::StdioServer;
use tokio::io::AsyncReadExt as _;

fuzz_target!(|data: &[u8]| {
    runtime().block_on(async {
        let (server_out, mut client_in) = tokio::io::duplex(64 * 1024);
        let reader = tokio::spawn(async move {
            let mut out = Vec::new();
            let _ = client_in.read_to_end(&mut out).await;
            out
        });
        let serve = StdioServer::new(server())
            .max_line_bytes(4096)
            .shutdown_grace(Duration::from_millis(100))
            .serve_io(data, server_out);
        tokio::time::timeout(HANG, serve)
            .await
            .expect("the server finished")
            .expect("the server ended cleanly");
        let out = tokio::time::timeout(HANG, reader)
            .await
            .expect("output closed")
            .expect("reader task");
        for line in out.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let v: serde_json::Value =
                serde_json::from_slice(line).expect("every output line is JSON");
            assert_eq!(v["jsonrpc"], "2.0", "{v}");
        }
    });
});
