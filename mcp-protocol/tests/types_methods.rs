//! Method parsing: every method, -32601 for unknown ones, -32602 naming the failing field,
//! and which revision has which method.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use mcp_protocol::method::{
    ClientNotification, ClientRequest, ServerNotification, ServerRequest, available_in, names,
};
use mcp_protocol::types::{ElicitParams, LoggingLevel};
use mcp_protocol::{ErrorCode, ProtocolVersion};
use serde_json::value::RawValue;
use serde_json::{Value, json};

fn raw(v: &Value) -> Box<RawValue> {
    serde_json::value::to_raw_value(v).unwrap()
}

/// Minimal valid params for each method.
fn minimal(method: &str) -> Value {
    match method {
        names::INITIALIZE => json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "c", "version": "1"}
        }),
        names::TOOLS_CALL | names::PROMPTS_GET => json!({"name": "x"}),
        names::RESOURCES_READ
        | names::RESOURCES_SUBSCRIBE
        | names::RESOURCES_UNSUBSCRIBE
        | names::RESOURCES_UPDATED => json!({"uri": "file:///a"}),
        names::COMPLETION_COMPLETE => json!({
            "ref": {"type": "ref/prompt", "name": "p"},
            "argument": {"name": "a", "value": "b"}
        }),
        names::LOGGING_SET_LEVEL => json!({"level": "warning"}),
        names::SUBSCRIPTIONS_LISTEN | names::SUBSCRIPTIONS_ACKNOWLEDGED => {
            json!({"notifications": {"toolsListChanged": true}})
        }
        names::SAMPLING_CREATE_MESSAGE => json!({"messages": [], "maxTokens": 10}),
        names::ELICITATION_CREATE => json!({"message": "m", "requestedSchema": {"type": "object"}}),
        names::CANCELLED => json!({"requestId": 1}),
        names::PROGRESS => json!({"progressToken": "t", "progress": 1}),
        names::MESSAGE => json!({"level": "info", "data": "hello"}),
        names::ELICITATION_COMPLETE => json!({"elicitationId": "e"}),
        _ => json!({}),
    }
}

const CLIENT_REQUESTS: [&str; 15] = [
    names::INITIALIZE,
    names::PING,
    names::DISCOVER,
    names::TOOLS_LIST,
    names::TOOLS_CALL,
    names::RESOURCES_LIST,
    names::RESOURCES_TEMPLATES_LIST,
    names::RESOURCES_READ,
    names::RESOURCES_SUBSCRIBE,
    names::RESOURCES_UNSUBSCRIBE,
    names::PROMPTS_LIST,
    names::PROMPTS_GET,
    names::COMPLETION_COMPLETE,
    names::LOGGING_SET_LEVEL,
    names::SUBSCRIPTIONS_LISTEN,
];

const CLIENT_NOTIFICATIONS: [&str; 4] = [
    names::INITIALIZED,
    names::CANCELLED,
    names::PROGRESS,
    names::ROOTS_LIST_CHANGED,
];

const SERVER_REQUESTS: [&str; 4] = [
    names::PING,
    names::SAMPLING_CREATE_MESSAGE,
    names::ELICITATION_CREATE,
    names::ROOTS_LIST,
];

const SERVER_NOTIFICATIONS: [&str; 9] = [
    names::CANCELLED,
    names::PROGRESS,
    names::MESSAGE,
    names::RESOURCES_UPDATED,
    names::RESOURCES_LIST_CHANGED,
    names::TOOLS_LIST_CHANGED,
    names::PROMPTS_LIST_CHANGED,
    names::ELICITATION_COMPLETE,
    names::SUBSCRIPTIONS_ACKNOWLEDGED,
];

/// What `into_parts` returns.
type Parts = (&'static str, Box<RawValue>);

/// Parses, checks the method name survives, and checks the params survive a round trip.
fn round_trip<T>(
    method: &str,
    parse: fn(&str, Option<&RawValue>) -> Result<T, mcp_protocol::ErrorObject>,
    name: fn(&T) -> &'static str,
    parts: fn(T) -> serde_json::Result<Parts>,
) {
    let params = minimal(method);
    let parsed = parse(method, Some(&raw(&params))).unwrap_or_else(|e| panic!("{method}: {e}"));
    assert_eq!(name(&parsed), method);
    let (m, out) = parts(parsed).unwrap();
    assert_eq!(m, method);
    let back: Value = serde_json::from_str(out.get()).unwrap();
    assert_eq!(
        back.as_object().unwrap().len(),
        params.as_object().unwrap().len(),
        "{method}: {back} vs {params}"
    );
}

#[test]
fn parses_every_method() {
    for m in CLIENT_REQUESTS {
        round_trip(
            m,
            ClientRequest::parse,
            ClientRequest::method,
            ClientRequest::into_parts,
        );
    }
    for m in CLIENT_NOTIFICATIONS {
        round_trip(
            m,
            ClientNotification::parse,
            ClientNotification::method,
            ClientNotification::into_parts,
        );
    }
    for m in SERVER_REQUESTS {
        round_trip(
            m,
            ServerRequest::parse,
            ServerRequest::method,
            ServerRequest::into_parts,
        );
    }
    for m in SERVER_NOTIFICATIONS {
        round_trip(
            m,
            ServerNotification::parse,
            ServerNotification::method,
            ServerNotification::into_parts,
        );
    }
}

#[test]
fn typed_variants_hold_the_params() {
    let r = ClientRequest::parse(
        names::LOGGING_SET_LEVEL,
        Some(&raw(&minimal(names::LOGGING_SET_LEVEL))),
    )
    .unwrap();
    assert!(matches!(r, ClientRequest::SetLevel(p) if p.level == LoggingLevel::Warning));
    let r = ServerRequest::parse(
        names::ELICITATION_CREATE,
        Some(&raw(
            &json!({"mode": "url", "message": "m", "url": "https://x", "elicitationId": "e"}),
        )),
    )
    .unwrap();
    assert!(matches!(r, ServerRequest::Elicit(ElicitParams::Url(u)) if u.url == "https://x"));
    let r = ClientRequest::parse(
        names::TOOLS_CALL,
        Some(&raw(&json!({
            "name": "echo",
            "arguments": {"a": 1},
            "_meta": {"progressToken": 5, "io.modelcontextprotocol/protocolVersion": "2026-07-28"}
        }))),
    )
    .unwrap();
    let meta = r.meta().unwrap();
    assert_eq!(meta.protocol_version(), Some("2026-07-28"));
    assert_eq!(meta.progress_token(), Some(5.into()));
}

#[test]
fn unknown_methods_are_32601() {
    let e = ClientRequest::parse("tools/explode", None).unwrap_err();
    assert_eq!(e.code, ErrorCode::METHOD_NOT_FOUND);
    assert!(e.message.contains("tools/explode"));
    assert_eq!(
        ServerRequest::parse("tools/call", None).unwrap_err().code,
        ErrorCode::METHOD_NOT_FOUND
    );
    assert_eq!(
        ClientNotification::parse("notifications/message", None)
            .unwrap_err()
            .code,
        ErrorCode::METHOD_NOT_FOUND
    );
    assert_eq!(
        ServerNotification::parse("notifications/initialized", None)
            .unwrap_err()
            .code,
        ErrorCode::METHOD_NOT_FOUND
    );
}

#[test]
fn bad_params_are_32602_naming_the_field() {
    let cases = [
        (names::TOOLS_CALL, json!({"name": 5}), "name"),
        (
            names::TOOLS_CALL,
            json!({"name": "x", "arguments": [1]}),
            "arguments",
        ),
        (
            names::RESOURCES_READ,
            json!({"uri": "file:///a", "_meta": 3}),
            "_meta",
        ),
        (names::LOGGING_SET_LEVEL, json!({"level": "loud"}), "level"),
        (
            names::COMPLETION_COMPLETE,
            json!({"ref": {"type": "ref/prompt", "name": "p"}, "argument": {"name": "a", "value": 1}}),
            "argument.value",
        ),
        (
            names::PROMPTS_GET,
            json!({"name": "p", "arguments": {"a": 1}}),
            "arguments.a",
        ),
    ];
    for (method, params, path) in cases {
        let e = ClientRequest::parse(method, Some(&raw(&params))).unwrap_err();
        assert_eq!(e.code, ErrorCode::INVALID_PARAMS, "{method}");
        assert!(
            e.message.contains(&format!("`{path}`")),
            "{method}: {}",
            e.message
        );
        assert_eq!(e.data.unwrap()["path"], path);
    }
    let e = ServerRequest::parse(
        names::SAMPLING_CREATE_MESSAGE,
        Some(&raw(&json!({"maxTokens": 1, "messages": [{"role": "robot", "content": {"type": "text", "text": "x"}}]}))),
    )
    .unwrap_err();
    assert!(e.message.contains("`messages[0].role`"), "{}", e.message);
}

#[test]
fn missing_params_read_as_an_empty_object() {
    assert!(matches!(
        ClientRequest::parse(names::PING, None),
        Ok(ClientRequest::Ping(_))
    ));
    assert!(matches!(
        ClientRequest::parse(names::TOOLS_LIST, None),
        Ok(ClientRequest::ListTools(p)) if p.cursor.is_none()
    ));
    assert!(ClientNotification::parse(names::INITIALIZED, None).is_ok());
    // A method that needs params still says which field is missing.
    let e = ClientRequest::parse(names::TOOLS_CALL, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::INVALID_PARAMS);
    assert!(e.message.contains("name"), "{}", e.message);
}

#[test]
fn availability_table() {
    use ProtocolVersion as P;
    // (method, first revision, last revision)
    let table = [
        (names::INITIALIZE, P::V2024_11_05, P::V2025_11_25),
        (names::INITIALIZED, P::V2024_11_05, P::V2025_11_25),
        (names::PING, P::V2024_11_05, P::V2025_11_25),
        (names::LOGGING_SET_LEVEL, P::V2024_11_05, P::V2025_11_25),
        (names::RESOURCES_SUBSCRIBE, P::V2024_11_05, P::V2025_11_25),
        (names::RESOURCES_UNSUBSCRIBE, P::V2024_11_05, P::V2025_11_25),
        (names::ROOTS_LIST_CHANGED, P::V2024_11_05, P::V2025_11_25),
        (names::DISCOVER, P::V2026_07_28, P::V2026_07_28),
        (names::SUBSCRIPTIONS_LISTEN, P::V2026_07_28, P::V2026_07_28),
        (
            names::SUBSCRIPTIONS_ACKNOWLEDGED,
            P::V2026_07_28,
            P::V2026_07_28,
        ),
        (names::ELICITATION_CREATE, P::V2025_06_18, P::V2026_07_28),
        (names::ELICITATION_COMPLETE, P::V2025_11_25, P::V2025_11_25),
        (names::TOOLS_LIST, P::V2024_11_05, P::V2026_07_28),
        (names::TOOLS_CALL, P::V2024_11_05, P::V2026_07_28),
        (names::RESOURCES_LIST, P::V2024_11_05, P::V2026_07_28),
        (
            names::RESOURCES_TEMPLATES_LIST,
            P::V2024_11_05,
            P::V2026_07_28,
        ),
        (names::RESOURCES_READ, P::V2024_11_05, P::V2026_07_28),
        (names::PROMPTS_LIST, P::V2024_11_05, P::V2026_07_28),
        (names::PROMPTS_GET, P::V2024_11_05, P::V2026_07_28),
        (names::COMPLETION_COMPLETE, P::V2024_11_05, P::V2026_07_28),
        (
            names::SAMPLING_CREATE_MESSAGE,
            P::V2024_11_05,
            P::V2026_07_28,
        ),
        (names::ROOTS_LIST, P::V2024_11_05, P::V2026_07_28),
        (names::CANCELLED, P::V2024_11_05, P::V2026_07_28),
        (names::PROGRESS, P::V2024_11_05, P::V2026_07_28),
        (names::MESSAGE, P::V2024_11_05, P::V2026_07_28),
        (names::RESOURCES_UPDATED, P::V2024_11_05, P::V2026_07_28),
        (
            names::RESOURCES_LIST_CHANGED,
            P::V2024_11_05,
            P::V2026_07_28,
        ),
        (names::TOOLS_LIST_CHANGED, P::V2024_11_05, P::V2026_07_28),
        (names::PROMPTS_LIST_CHANGED, P::V2024_11_05, P::V2026_07_28),
    ];
    for (method, first, last) in table {
        for v in ProtocolVersion::ALL {
            assert_eq!(
                available_in(method, v),
                v >= first && v <= last,
                "{method} in {v}"
            );
        }
    }
    assert!(!available_in("tools/explode", ProtocolVersion::LATEST));
}

#[test]
fn availability_matches_the_schemas() {
    let all = CLIENT_REQUESTS
        .iter()
        .chain(&CLIENT_NOTIFICATIONS)
        .chain(&SERVER_REQUESTS)
        .chain(&SERVER_NOTIFICATIONS);
    for method in all {
        for v in ProtocolVersion::ALL {
            let in_schema = support::schema::definition_for_method(v.as_str(), method).is_some();
            assert_eq!(available_in(method, v), in_schema, "{method} in {v}");
        }
    }
}
