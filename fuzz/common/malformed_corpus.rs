//! The malformed-input corpus: more than 500 byte strings a hostile or broken client might
//! send as one message, each with the answer JSON-RPC 2.0 and MCP require.
//!
//! Shared by the transport tests (`tests/reliability_malformed_corpus.rs` of the stdio and
//! HTTP crates, through `#[path]`) and by `fuzz/` (as seeds). The cases assume a session
//! that negotiated 2025-11-25 with a server offering the tools capability and an `echo`
//! tool taking `{ "text": string }`.
#![allow(dead_code, unreachable_pub, missing_docs)]

use serde_json::{Value, json};

/// What the server must answer to one case.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// An error response with exactly this code, carrying `id` (`None`: `"id": null`).
    Error { code: i64, id: Option<Value> },
    /// An error response carrying `id`; the spec leaves the exact code open.
    AnyError { id: Option<Value> },
    /// A successful result for request `id`.
    Result { id: Value },
    /// One answer to request `id`, result or error (limits such as nesting depth are the
    /// implementation's choice).
    AnyErrorOrResult { id: Value },
    /// Nothing at all: notifications and responses are never answered.
    Silent,
}

/// One malformed (or merely unusual) message.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// The message bytes, without any newline.
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;

fn case(name: impl Into<String>, bytes: impl Into<Vec<u8>>, expect: Expect) -> Case {
    let bytes = bytes.into();
    debug_assert!(!bytes.contains(&b'\n'), "cases are single lines");
    Case {
        name: name.into(),
        bytes,
        expect,
    }
}

fn err(code: i64, id: Option<Value>) -> Expect {
    Expect::Error { code, id }
}

/// `depth` nested arrays (or `{"a":…}` objects) around `1`.
pub fn nested(depth: usize, object: bool) -> String {
    let (open, close) = if object { ("{\"a\":", "}") } else { ("[", "]") };
    let mut s = String::with_capacity(depth * (open.len() + 1) + 1);
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push('1');
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

/// Well-formed messages whose every proper prefix is a truncated message.
fn base_messages() -> Vec<Value> {
    vec![
        json!({"jsonrpc":"2.0","id":1,"method":"ping"}),
        json!({"jsonrpc":"2.0","id":"call-7","method":"tools/call","params":{"name":"echo","arguments":{"text":"h\u{e9}llo \u{1F600}"}}}),
        json!({"jsonrpc":"2.0","id":3,"method":"tools/list","params":{}}),
        json!({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1.5,"total":2}}),
        json!({"jsonrpc":"2.0","id":5,"result":{"content":[]}}),
    ]
}

/// The whole corpus, deterministic and in a stable order.
pub fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    truncated(&mut cases);
    invalid_utf8(&mut cases);
    not_objects(&mut cases);
    envelope_types(&mut cases);
    params_types(&mut cases);
    huge_numbers(&mut cases);
    deep_nesting(&mut cases);
    duplicates(&mut cases);
    batches(&mut cases);
    unsolicited(&mut cases);
    unknown_methods(&mut cases);
    odd_but_valid(&mut cases);
    cases
}

fn truncated(cases: &mut Vec<Case>) {
    for (m, message) in base_messages().iter().enumerate() {
        let bytes = message.to_string().into_bytes();
        for len in 1..bytes.len() {
            // Cutting inside a multi-byte character also makes invalid UTF-8: still -32700.
            cases.push(case(
                format!("truncated message {m} at {len}"),
                bytes[..len].to_vec(),
                err(PARSE_ERROR, None),
            ));
        }
    }
}

fn invalid_utf8(cases: &mut Vec<Case>) {
    let bad: &[(&str, &[u8])] = &[
        ("lone continuation byte", b"\x80"),
        ("0xff", b"\xff"),
        ("0xfe 0xff", b"\xfe\xff"),
        ("truncated two-byte sequence", b"\xc3"),
        ("bad second byte", b"\xc3\x28"),
        ("overlong slash", b"\xc0\xaf"),
        ("overlong NUL", b"\xc0\x80"),
        ("encoded surrogate", b"\xed\xa0\x80"),
        ("above U+10FFFF", b"\xf4\x90\x80\x80"),
        ("truncated four-byte sequence", b"\xf0\x9f\x98"),
        ("five-byte form", b"\xf8\x88\x80\x80\x80"),
        ("latin-1 e-acute", b"\xe9"),
    ];
    for (what, bytes) in bad {
        let mut in_value = br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":""#.to_vec();
        in_value.extend_from_slice(bytes);
        in_value.extend_from_slice(br#""}}}"#);
        cases.push(case(
            format!("invalid UTF-8 in a value: {what}"),
            in_value,
            err(PARSE_ERROR, None),
        ));

        let mut in_key = br#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{""#.to_vec();
        in_key.extend_from_slice(bytes);
        in_key.extend_from_slice(br#"":1}}"#);
        cases.push(case(
            format!("invalid UTF-8 in a key: {what}"),
            in_key,
            err(PARSE_ERROR, None),
        ));

        let mut in_method = br#"{"jsonrpc":"2.0","id":1,"method":"pi"#.to_vec();
        in_method.extend_from_slice(bytes);
        in_method.extend_from_slice(br#"ng"}"#);
        cases.push(case(
            format!("invalid UTF-8 in the method: {what}"),
            in_method,
            err(PARSE_ERROR, None),
        ));

        let mut bare = bytes.to_vec();
        bare.extend_from_slice(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#);
        cases.push(case(
            format!("invalid UTF-8 before the message: {what}"),
            bare,
            err(PARSE_ERROR, None),
        ));
    }
    cases.push(case(
        "UTF-8 byte order mark",
        b"\xef\xbb\xbf{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}".to_vec(),
        err(PARSE_ERROR, None),
    ));
    cases.push(case(
        "UTF-16 encoded message",
        "{\"jsonrpc\":\"2.0\"}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>(),
        err(PARSE_ERROR, None),
    ));
}

fn not_objects(cases: &mut Vec<Case>) {
    for text in [
        "null", "true", "false", "0", "-1", "42", "1.5", "\"ping\"", "\"\"", "{}",
    ] {
        cases.push(case(
            format!("not a message: {text}"),
            text,
            err(INVALID_REQUEST, None),
        ));
    }
    for text in [
        "{",
        "}",
        "[",
        "]",
        "{]",
        "[}",
        "nul",
        "tru",
        "{\"a\"}",
        "{\"a\":}",
        "{,}",
        "{'jsonrpc':'2.0'}",
        "{jsonrpc:\"2.0\"}",
        "NaN",
        "Infinity",
        "-",
        "01",
        "0x10",
        "\"unterminated",
        "\u{1}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} x",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"p\u{0}ing\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\t\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\\x41\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\\u12\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1e999,\"method\":\"ping\"}",
        "/* comment */{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
    ] {
        cases.push(case(
            format!("not JSON: {text:?}"),
            text,
            err(PARSE_ERROR, None),
        ));
    }
}

fn envelope_types(cases: &mut Vec<Case>) {
    // Grammatically JSON, but not Unicode: an error that names the request.
    cases.push(case(
        "lone surrogate escape in params",
        r#"{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"echo\ud800"}}"#,
        Expect::AnyError {
            id: Some(json!(12)),
        },
    ));
    let with = |member: &str, value: &str| {
        let mut base = json!({"jsonrpc":"2.0","id":11,"method":"ping"});
        base.as_object_mut().map(|o| o.remove(member));
        let rest = base.to_string();
        let rest = rest.trim_start_matches('{').trim_end_matches('}');
        if rest.is_empty() {
            format!("{{\"{member}\":{value}}}")
        } else {
            format!("{{{rest},\"{member}\":{value}}}")
        }
    };
    let id = || Some(json!(11));
    for v in [
        "\"1.0\"",
        "\"2\"",
        "\"2.0 \"",
        "2.0",
        "2",
        "null",
        "true",
        "[\"2.0\"]",
        "{}",
    ] {
        cases.push(case(
            format!("jsonrpc is {v}"),
            with("jsonrpc", v),
            err(INVALID_REQUEST, id()),
        ));
    }
    cases.push(case(
        "jsonrpc missing",
        r#"{"id":11,"method":"ping"}"#,
        err(INVALID_REQUEST, id()),
    ));
    for v in [
        "true",
        "false",
        "{}",
        "[]",
        "[1]",
        "1.5",
        "-0.5",
        "{\"id\":1}",
    ] {
        cases.push(case(
            format!("id is {v}"),
            with("id", v),
            err(INVALID_REQUEST, None),
        ));
    }
    cases.push(case(
        "id is null",
        with("id", "null"),
        err(INVALID_REQUEST, None),
    ));
    for v in ["5", "null", "true", "[]", "{}", "[\"ping\"]"] {
        cases.push(case(
            format!("method is {v}"),
            with("method", v),
            err(INVALID_REQUEST, (v == "null").then(|| json!(11))),
        ));
    }
    // `params: null` is not a structured value, but common enough to be tolerated.
    cases.push(case(
        "params is null",
        r#"{"jsonrpc":"2.0","id":11,"method":"ping","params":null}"#,
        Expect::AnyErrorOrResult { id: json!(11) },
    ));
    for v in ["5", "\"x\"", "true", "false", "-1"] {
        let text = format!(r#"{{"jsonrpc":"2.0","id":11,"method":"ping","params":{v}}}"#);
        cases.push(case(
            format!("params is {v}"),
            text,
            err(INVALID_REQUEST, id()),
        ));
    }
    for (what, text) in [
        (
            "method and result",
            r#"{"jsonrpc":"2.0","id":11,"method":"ping","result":{}}"#,
        ),
        (
            "method and error",
            r#"{"jsonrpc":"2.0","id":11,"method":"ping","error":{"code":1,"message":"m"}}"#,
        ),
        (
            "result and error",
            r#"{"jsonrpc":"2.0","id":11,"result":{},"error":{"code":1,"message":"m"}}"#,
        ),
        ("only jsonrpc and id", r#"{"jsonrpc":"2.0","id":11}"#),
        (
            "error object without code",
            r#"{"jsonrpc":"2.0","id":11,"error":{"message":"m"}}"#,
        ),
        (
            "error object as string",
            r#"{"jsonrpc":"2.0","id":11,"error":"boom"}"#,
        ),
        (
            "error code as string",
            r#"{"jsonrpc":"2.0","id":11,"error":{"code":"1","message":"m"}}"#,
        ),
    ] {
        cases.push(case(
            format!("envelope: {what}"),
            text,
            err(INVALID_REQUEST, id()),
        ));
    }
    cases.push(case(
        "only jsonrpc",
        r#"{"jsonrpc":"2.0"}"#,
        err(INVALID_REQUEST, None),
    ));
    cases.push(case(
        "response without id",
        r#"{"jsonrpc":"2.0","result":{}}"#,
        err(INVALID_REQUEST, None),
    ));
}

fn params_types(cases: &mut Vec<Case>) {
    let call = |id: i64, params: Value| {
        json!({"jsonrpc":"2.0","id":id,"method":"tools/call","params":params}).to_string()
    };
    let bad_calls = [
        json!({}),
        json!({"name": 5}),
        json!({"name": null}),
        json!({"name": ["echo"]}),
        json!({"name": {"echo": true}}),
        json!({"name": "echo", "arguments": "text"}),
        json!({"name": "echo", "arguments": [1, 2]}),
        json!({"name": "echo", "arguments": 5}),
        json!({"name": "echo", "_meta": "x"}),
        json!({"name": "no-such-tool"}),
        json!({"name": ""}),
        json!({"name": "echo\u{0}"}),
        json!({"name": "x".repeat(10_000)}),
        json!([]),
        json!(["echo", {}]),
    ];
    for (n, params) in bad_calls.into_iter().enumerate() {
        let id = 100 + i64::try_from(n).unwrap_or(0);
        cases.push(case(
            format!("tools/call params {n}"),
            call(id, params),
            err(INVALID_PARAMS, Some(json!(id))),
        ));
    }
    for (n, params) in [
        json!({"cursor": 5}),
        json!({"cursor": {}}),
        json!({"_meta": 5}),
    ]
    .into_iter()
    .enumerate()
    {
        let id = 200 + i64::try_from(n).unwrap_or(0);
        let text =
            json!({"jsonrpc":"2.0","id":id,"method":"tools/list","params":params}).to_string();
        cases.push(case(
            format!("tools/list params {n}"),
            text,
            err(INVALID_PARAMS, Some(json!(id))),
        ));
    }
    for (n, params) in [
        json!({"protocolVersion": 5, "capabilities": {}, "clientInfo": {"name": "c", "version": "1"}}),
        json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": "c"}),
        json!({"capabilities": {}}),
    ]
    .into_iter()
    .enumerate()
    {
        let id = 300 + i64::try_from(n).unwrap_or(0);
        let text = json!({"jsonrpc":"2.0","id":id,"method":"initialize","params":params}).to_string();
        cases.push(case(format!("initialize params {n}"), text, Expect::AnyError { id: Some(json!(id)) }));
    }
    // Serde reads a struct from an array too; tolerated or refused, it is answered.
    let text = json!({"jsonrpc":"2.0","id":310,"method":"initialize","params":{"protocolVersion": "2025-11-25", "capabilities": [], "clientInfo": {"name": "c", "version": "1"}}}).to_string();
    cases.push(case(
        "initialize with capabilities as an array",
        text,
        Expect::AnyErrorOrResult { id: json!(310) },
    ));
    for (n, params) in [json!({"level": "loud"}), json!({"level": 3}), json!({})]
        .into_iter()
        .enumerate()
    {
        let id = 400 + i64::try_from(n).unwrap_or(0);
        let text = json!({"jsonrpc":"2.0","id":id,"method":"logging/setLevel","params":params})
            .to_string();
        cases.push(case(
            format!("logging/setLevel params {n}"),
            text,
            Expect::AnyError {
                id: Some(json!(id)),
            },
        ));
    }
}

fn huge_numbers(cases: &mut Vec<Case>) {
    for (what, id) in [
        ("u64 max + 1", "18446744073709551616"),
        ("i64 max + 1", "9223372036854775808"),
        ("i64 min - 1", "-9223372036854775809"),
        ("exponent", "1e3"),
        ("fraction", "0.1"),
        ("long mantissa", "123456789012345678901234567890"),
    ] {
        let text = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#);
        cases.push(case(format!("id {what}"), text, err(INVALID_REQUEST, None)));
    }
    for (what, id) in [
        ("i64 max", i64::MAX),
        ("i64 min", i64::MIN),
        ("zero", 0),
        ("minus one", -1),
    ] {
        let text = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#);
        cases.push(case(
            format!("id {what}"),
            text,
            Expect::Result { id: json!(id) },
        ));
    }
    for (n, number) in [
        "1e308",
        "-1e308",
        "123456789012345678901234567890",
        "5e-324",
        "0.0000000000000000000001",
    ]
    .into_iter()
    .enumerate()
    {
        let id = 500 + i64::try_from(n).unwrap_or(0);
        let text = format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"echo","arguments":{{"text":"n","n":{number}}}}}}}"#
        );
        cases.push(case(
            format!("huge number in arguments: {number}"),
            text,
            Expect::Result { id: json!(id) },
        ));
    }
    // Lenient parts of the message: the server may accept or refuse, but must answer.
    for (n, meta) in [
        json!({"progressToken": {"a": 1}}),
        json!({"progressToken": 1.5}),
        json!({"progressToken": null}),
    ]
    .into_iter()
    .enumerate()
    {
        let id = 550 + i64::try_from(n).unwrap_or(0);
        let text = json!({"jsonrpc":"2.0","id":id,"method":"tools/call","params":{"name":"echo","_meta":meta}}).to_string();
        cases.push(case(
            format!("odd progress token {n}"),
            text,
            Expect::AnyErrorOrResult { id: json!(id) },
        ));
    }
    let text = json!({"jsonrpc":"2.0","id":560,"method":"tools/list","params":{"cursor":"not-a-cursor-we-issued"}}).to_string();
    cases.push(case(
        "foreign cursor",
        text,
        Expect::AnyErrorOrResult { id: json!(560) },
    ));
    // Numbers JSON allows but no float holds: the request's id is known, so the error is
    // -32602 naming the request.
    for number in ["1e400", "-1e400", "1e999999999"] {
        let text = format!(
            r#"{{"jsonrpc":"2.0","id":600,"method":"tools/call","params":{{"name":"echo","arguments":{{"text":"n","n":{number}}}}}}}"#
        );
        cases.push(case(
            format!("out-of-range number in arguments: {number}"),
            text,
            err(INVALID_PARAMS, Some(json!(600))),
        ));
    }
    cases.push(case(
        "progress token out of range",
        r#"{"jsonrpc":"2.0","id":601,"method":"tools/call","params":{"name":"echo","_meta":{"progressToken":1e400}}}"#,
        err(INVALID_PARAMS, Some(json!(601))),
    ));
    cases.push(case(
        "huge id string",
        format!(
            r#"{{"jsonrpc":"2.0","id":"{}","method":"ping"}}"#,
            "7".repeat(100_000)
        ),
        Expect::Result {
            id: json!("7".repeat(100_000)),
        },
    ));
}

fn deep_nesting(cases: &mut Vec<Case>) {
    for depth in [64, 126, 127, 128, 129, 130, 1_000, 100_000] {
        for object in [false, true] {
            let deep = nested(depth, object);
            let kind = if object { "objects" } else { "arrays" };
            // As the whole message: never a valid envelope.
            let whole_expect = if depth >= 128 {
                None
            } else {
                Some(INVALID_REQUEST)
            };
            let whole = match whole_expect {
                Some(code) => err(code, None),
                None => Expect::AnyError { id: None },
            };
            cases.push(case(
                format!("{depth} nested {kind} as the message"),
                deep.clone(),
                whole,
            ));
            // As the id: never a valid id.
            let text = format!(r#"{{"jsonrpc":"2.0","id":{deep},"method":"ping"}}"#);
            cases.push(case(
                format!("{depth} nested {kind} as the id"),
                text,
                Expect::AnyError { id: None },
            ));
            // Inside tool arguments: the echo tool ignores unknown members, but the depth
            // may be refused; either way one answer with the request's id.
            let id = 700 + i64::try_from(depth).unwrap_or(0);
            let text = format!(
                r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"echo","arguments":{{"text":"deep","deep":{deep}}}}}}}"#
            );
            let expect = if depth < 100 {
                Expect::Result { id: json!(id) }
            } else {
                Expect::AnyErrorOrResult { id: json!(id) }
            };
            cases.push(case(
                format!("{depth} nested {kind} in arguments"),
                text,
                expect,
            ));
            // Inside a notification's params: silence, whatever the depth.
            let text = format!(
                r#"{{"jsonrpc":"2.0","method":"notifications/progress","params":{{"progressToken":"t","progress":1,"deep":{deep}}}}}"#
            );
            cases.push(case(
                format!("{depth} nested {kind} in a notification"),
                text,
                Expect::Silent,
            ));
        }
    }
}

fn duplicates(cases: &mut Vec<Case>) {
    cases.push(case(
        "duplicate id member",
        r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}"#,
        Expect::AnyError { id: None },
    ));
    cases.push(case(
        "duplicate method member",
        r#"{"jsonrpc":"2.0","id":1,"method":"ping","method":"tools/list"}"#,
        Expect::AnyError { id: None },
    ));
    cases.push(case(
        "duplicate jsonrpc member",
        r#"{"jsonrpc":"2.0","jsonrpc":"2.0","id":1,"method":"ping"}"#,
        Expect::AnyError { id: None },
    ));
    cases.push(case(
        "duplicate argument key",
        r#"{"jsonrpc":"2.0","id":801,"method":"tools/call","params":{"name":"echo","arguments":{"text":"a","text":"b"}}}"#,
        Expect::AnyErrorOrResult { id: json!(801) },
    ));
    // Reusing an id that already completed is answered again (the earlier request is over).
    for _ in 0..3 {
        cases.push(case(
            "reused id of a finished request",
            r#"{"jsonrpc":"2.0","id":"same","method":"ping"}"#,
            Expect::Result { id: json!("same") },
        ));
    }
}

fn batches(cases: &mut Vec<Case>) {
    let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    for (what, text) in [
        ("empty batch", "[]".to_owned()),
        ("batch of one", format!("[{ping}]")),
        ("batch of two", format!("[{ping},{ping}]")),
        (
            "batch of notifications",
            r#"[{"jsonrpc":"2.0","method":"notifications/initialized"}]"#.to_owned(),
        ),
        ("batch of junk", "[1,2,3]".to_owned()),
        ("batch of nulls", "[null]".to_owned()),
        ("nested batch", format!("[[{ping}]]")),
        ("large batch", format!("[{}]", vec![ping; 1000].join(","))),
    ] {
        cases.push(case(
            format!("batch: {what}"),
            text,
            Expect::AnyError { id: None },
        ));
    }
}

fn unsolicited(cases: &mut Vec<Case>) {
    for (what, text) in [
        (
            "result to unknown number id",
            r#"{"jsonrpc":"2.0","id":424242,"result":{}}"#,
        ),
        (
            "result to unknown string id",
            r#"{"jsonrpc":"2.0","id":"never-sent","result":{"x":1}}"#,
        ),
        (
            "error to unknown id",
            r#"{"jsonrpc":"2.0","id":424243,"error":{"code":-32603,"message":"boom"}}"#,
        ),
        (
            "error with null id",
            r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse"}}"#,
        ),
        (
            "error without id",
            r#"{"jsonrpc":"2.0","error":{"code":-32600,"message":"x"}}"#,
        ),
        (
            "unknown notification",
            r#"{"jsonrpc":"2.0","method":"notifications/no_such_thing"}"#,
        ),
        (
            "unknown non-notification method without id",
            r#"{"jsonrpc":"2.0","method":"tools/list"}"#,
        ),
        (
            "cancel an unknown request",
            r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":999}}"#,
        ),
        (
            "cancel with a bad request id",
            r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":{"a":1}}}"#,
        ),
        (
            "cancelled without params",
            r#"{"jsonrpc":"2.0","method":"notifications/cancelled"}"#,
        ),
        (
            "progress for an unknown token",
            r#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"zzz","progress":1}}"#,
        ),
        (
            "progress with wrong types",
            r#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":[],"progress":"x"}}"#,
        ),
        (
            "initialized again",
            r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        ),
        (
            "roots changed",
            r#"{"jsonrpc":"2.0","method":"notifications/roots/list_changed","params":{"x":[1,2]}}"#,
        ),
        (
            "notification with array params",
            r#"{"jsonrpc":"2.0","method":"notifications/initialized","params":[1]}"#,
        ),
    ] {
        cases.push(case(format!("unsolicited: {what}"), text, Expect::Silent));
    }
}

fn unknown_methods(cases: &mut Vec<Case>) {
    for (n, method) in [
        "no/such/method",
        "",
        " ",
        "tools/call/",
        "TOOLS/LIST",
        "rpc.discover",
        "notifications/initialized",
        "\u{1F600}",
        "x".repeat(5_000).as_str(),
        "../../etc/passwd",
        "resources/list",
        "prompts/list",
    ]
    .into_iter()
    .enumerate()
    {
        let id = 900 + i64::try_from(n).unwrap_or(0);
        let text = json!({"jsonrpc":"2.0","id":id,"method":method}).to_string();
        cases.push(case(
            format!("unknown method {n}"),
            text,
            err(METHOD_NOT_FOUND, Some(json!(id))),
        ));
    }
}

fn odd_but_valid(cases: &mut Vec<Case>) {
    for (n, text) in [
        r#"  {"jsonrpc":"2.0","id":1000,"method":"ping"}  "#.to_owned(),
        "{\"jsonrpc\":\"2.0\",\r\"id\":1001,\t\"method\":\"ping\"}".to_owned(),
        r#"{"method":"ping","id":1002,"jsonrpc":"2.0"}"#.to_owned(),
        r#"{"jsonrpc":"2.0","id":1003,"method":"ping","params":{}}"#.to_owned(),
        r#"{"jsonrpc":"2.0","id":1004,"method":"ping","extra":{"member":[1,2,3]}}"#.to_owned(),
        r#"{"jsonrpc":"2.0","id":1005,"method":"p\u0069ng"}"#.to_owned(),
        r#"{"jsonrpc":"2.0","id":1006,"method":"tools/call","params":{"name":"echo","arguments":{"text":"\u0000\ud83d\ude00"}}}"#.to_owned(),
        format!(r#"{{"jsonrpc":"2.0","id":1007,"method":"tools/call","params":{{"name":"echo","arguments":{{"text":"{}"}}}}}}"#, "y".repeat(200_000)),
    ]
    .into_iter()
    .enumerate()
    {
        let id = 1000 + i64::try_from(n).unwrap_or(0);
        cases.push(case(format!("odd but valid {n}"), text, Expect::Result { id: json!(id) }));
    }
}
