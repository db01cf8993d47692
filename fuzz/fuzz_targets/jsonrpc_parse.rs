//! JSON-RPC parsing, then the engine, in every protocol revision.
//!
//! Invariants: parsing never panics; a parsed message serializes and parses back to the
//! same bytes; a refused message gets -32700 or -32600; in each revision (after its
//! handshake, for the legacy ones) the engine answers a request with exactly its id, and
//! never answers a notification or a response.
#![no_main]

use coder_mcp_fuzz::{HANG, initialize, revisions, runtime, server};
use libfuzzer_sys::fuzz_target;
use mcp_protocol::jsonrpc::Message;
use mcp_protocol::method::ClientRequest;
use mcp_protocol::{Era, TransportContext};

fuzz_target!(|data: &[u8]| {
    let message = match Message::parse(data) {
        Ok(m) => m,
        Err(refusal) => {
            let code = refusal.error.code.0;
            assert!(
                code == -32700 || code == -32600,
                "unexpected refusal code {code}"
            );
            return;
        }
    };
    let bytes = message.to_bytes();
    let again = Message::parse(&bytes).expect("a serialized message parses");
    assert_eq!(again.to_bytes(), bytes, "serialization is stable");

    if let Message::Request(req) = &message {
        // Typed parameters: an error, never a panic.
        let _ = ClientRequest::parse(&req.method, req.params.as_deref());
    }

    runtime().block_on(async {
        for version in revisions() {
            let connection = server().connect();
            if version.era() == Era::Legacy {
                let init = Message::parse(&initialize(version)).expect("valid initialize");
                let _ = connection.handle(init, TransportContext::new()).await;
                let done =
                    Message::parse(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
                        .expect("valid notification");
                let _ = connection.handle(done, TransportContext::new()).await;
            }
            let reply = tokio::time::timeout(
                HANG,
                connection.handle(again.clone(), TransportContext::new()),
            )
            .await
            .expect("the engine answered in time");
            match (&again, reply) {
                (Message::Request(req), Some(Message::Response(r))) => assert_eq!(r.id, req.id),
                (Message::Request(req), Some(Message::Error(e))) => {
                    assert_eq!(e.id.as_ref(), Some(&req.id));
                }
                (Message::Request(_), Some(other)) => panic!("a request answered with {other:?}"),
                (Message::Request(_), None) => panic!("a request went unanswered"),
                (_, Some(other)) => panic!("a non-request was answered with {other:?}"),
                (_, None) => {}
            }
            connection.close();
        }
    });
});
