//! Property tests of JSON-RPC parsing and of the engine in every revision (the invariants
//! of the `jsonrpc_parse` fuzz target, in the normal test suite).
#![allow(clippy::unwrap_used)]

use mcp_protocol::jsonrpc::Message;
use mcp_protocol::method::ClientRequest;
use mcp_protocol::types::{ServerCapabilities, ToolsCapability};
use mcp_protocol::{Era, Handler, ProtocolVersion, Server, TransportContext, async_trait};
use proptest::prelude::*;
use serde_json::{Value, json};

struct Tools;

#[async_trait]
impl Handler for Tools {
    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            tools: Some(ToolsCapability::default()),
            ..ServerCapabilities::default()
        }
    }
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("ping".to_owned()),
        Just("tools/list".to_owned()),
        Just("tools/call".to_owned()),
        Just("resources/read".to_owned()),
        Just("prompts/get".to_owned()),
        Just("logging/setLevel".to_owned()),
        Just("completion/complete".to_owned()),
        Just("server/discover".to_owned()),
        Just("notifications/cancelled".to_owned()),
        "[a-z/_]{1,20}",
    ]
}

fn id() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        "\\PC{0,16}".prop_map(Value::from)
    ]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_parse_or_get_a_parse_or_invalid_request_error(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        if let Err(refusal) = Message::parse(&bytes) {
            prop_assert!([-32700, -32600].contains(&refusal.error.code.0));
            prop_assert!(refusal.id.is_none());
        }
    }

    #[test]
    fn any_json_value_parses_or_is_refused_as_invalid_request(v in json_value()) {
        let bytes = v.to_string().into_bytes();
        match Message::parse(&bytes) {
            Ok(m) => {
                let again = Message::parse(&m.to_bytes()).unwrap();
                prop_assert_eq!(again.to_bytes(), m.to_bytes());
            }
            Err(refusal) => prop_assert_eq!(refusal.error.code.0, -32600),
        }
    }

    #[test]
    fn requests_round_trip_and_get_exactly_one_answer_with_their_id_in_every_revision(
        id in id(),
        method in method(),
        params in proptest::option::of(proptest::collection::btree_map("[a-z_]{1,8}", json_value(), 0..4)),
    ) {
        let mut request = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if let Some(p) = params {
            request["params"] = Value::Object(p.into_iter().collect());
        }
        let bytes = request.to_string().into_bytes();
        let message = Message::parse(&bytes).unwrap();
        let Message::Request(req) = &message else {
            return Err(TestCaseError::fail("not a request"));
        };
        prop_assert_eq!(&serde_json::to_value(&req.id).unwrap(), &id);
        let _ = ClientRequest::parse(&req.method, req.params.as_deref());

        let rt = runtime();
        for version in ProtocolVersion::ALL {
            let connection = Server::new(Tools).connect();
            let reply = rt.block_on(async {
                if version.era() == Era::Legacy {
                    let init = json!({"jsonrpc":"2.0","id":"init","method":"initialize","params":{
                        "protocolVersion": version.as_str(), "capabilities": {},
                        "clientInfo": {"name": "p", "version": "1"}}});
                    let init = Message::parse(init.to_string().as_bytes()).unwrap();
                    connection.handle(init, TransportContext::new()).await;
                    let done = Message::parse(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap();
                    connection.handle(done, TransportContext::new()).await;
                }
                tokio::time::timeout(
                    std::time::Duration::from_secs(10),
                    connection.handle(message.clone(), TransportContext::new()),
                )
                .await
                .expect("the engine answered")
            });
            let answer = serde_json::to_value(reply.expect("a request is answered")).unwrap();
            prop_assert_eq!(&answer["id"], &id, "{} {}", version.as_str(), answer);
            prop_assert!(
                answer.get("result").is_some() != answer.get("error").is_some(),
                "{} {}", version.as_str(), answer
            );
        }
    }
}
