//! 2026-07-28 requests: no sessions; headers must mirror the body (SEP-2243).

use std::borrow::Cow;
use std::sync::Arc;

use axum::response::Response;
use http::StatusCode;
use http::request::Parts;
use mcp_protocol::context::TransportContext;
use mcp_protocol::jsonrpc::Request;
use mcp_protocol::meta::keys;
use mcp_protocol::{ErrorCode, ErrorObject, Extensions, Message, ProtocolVersion, RequestId};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::Shared;
use super::reply;
use super::run::{self, Plan};
use crate::auth::Principal;
use crate::headers::{self, ParamHeader};

/// The parts of `params` the transport looks at, in one pass: `_meta`'s checked members,
/// the name, and the arguments. All borrowed from the body: the checks only compare them
/// (and arguments are read further only when a tool declares parameter headers).
#[derive(Deserialize, Default)]
#[serde(bound = "M: Deserialize<'de>")]
struct Peek<'a, M = MetaPeek<'a>> {
    #[serde(rename = "_meta", default)]
    meta: Option<M>,
    #[serde(borrow, default)]
    name: Option<&'a RawValue>,
    #[serde(borrow, default)]
    uri: Option<&'a RawValue>,
    #[serde(borrow, default)]
    arguments: Option<&'a RawValue>,
}

/// The `_meta` members the transport checks.
#[derive(Deserialize, Default)]
struct MetaPeek<'a> {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion", borrow)]
    version: Option<&'a RawValue>,
    #[serde(rename = "io.modelcontextprotocol/clientCapabilities")]
    capabilities: Option<IgnoredAny>,
}

/// The text of a JSON string (borrowed unless it has escapes); `None` for other values.
fn text(raw: &RawValue) -> Option<Cow<'_, str>> {
    match serde_json::from_str::<&str>(raw.get()) {
        Ok(s) => Some(Cow::Borrowed(s)),
        Err(_) => serde_json::from_str::<String>(raw.get())
            .ok()
            .map(Cow::Owned),
    }
}

fn peek(message: &Message) -> Peek<'_> {
    let params = match message {
        Message::Request(r) => r.params.as_deref(),
        Message::Notification(n) => n.params.as_deref(),
        _ => None,
    };
    let Some(params) = params else {
        return Peek::default();
    };
    serde_json::from_str(params.get())
        .or_else(|_| {
            // A `_meta` that is not an object: read the rest, and let the checks report
            // `_meta`'s members missing.
            serde_json::from_str::<Peek<'_, IgnoredAny>>(params.get()).map(|p| Peek {
                meta: None,
                name: p.name,
                uri: p.uri,
                arguments: p.arguments,
            })
        })
        .unwrap_or_default()
}

/// The first required `_meta` field a 2026-07-28 request lacks. Such a request is
/// malformed, which HTTP reports with 400; the engine would answer the same -32602 inside
/// a 200.
fn missing_meta(meta: Option<&MetaPeek<'_>>) -> Option<&'static str> {
    if meta.is_none_or(|m| m.version.is_none()) {
        Some(keys::PROTOCOL_VERSION)
    } else if meta.is_some_and(|m| m.capabilities.is_none()) {
        Some(keys::CLIENT_CAPABILITIES)
    } else {
        None
    }
}

/// True when the message belongs to the 2026-07-28 era: the header says 2026-07-28, or
/// its `_meta` names a protocol version.
pub(crate) fn is_modern(parts: &Parts, message: &Message) -> bool {
    let header_says = header(parts, headers::PROTOCOL_VERSION).is_some_and(|v| {
        v.trim()
            .parse::<ProtocolVersion>()
            .is_ok_and(|v| !v.is_legacy())
    });
    header_says || peek(message).meta.is_some_and(|m| m.version.is_some())
}

fn header<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

fn mismatch(id: Option<RequestId>, message: &str) -> Response {
    reply::error(
        StatusCode::BAD_REQUEST,
        id,
        ErrorObject::new(
            ErrorCode::HEADER_MISMATCH,
            format!("Header mismatch: {message}"),
        ),
    )
}

pub(crate) async fn post(
    shared: &Shared,
    parts: &Parts,
    message: Message,
    extensions: Extensions,
) -> Response {
    let id = match &message {
        Message::Request(r) => Some(r.id.clone()),
        _ => None,
    };
    if matches!(message, Message::Response(_) | Message::Error(_)) {
        return reply::error(
            StatusCode::BAD_REQUEST,
            None,
            ErrorObject::invalid_request(
                "clients must not send responses in protocol revision 2026-07-28",
            ),
        );
    }
    let p = peek(&message);
    if let Err(e) = check_headers(shared, parts, &message, &p, &extensions).await {
        return mismatch(id, &e);
    }
    if let (Message::Request(_), Some(field)) = (&message, missing_meta(p.meta.as_ref())) {
        return reply::error(
            StatusCode::BAD_REQUEST,
            id,
            ErrorObject::invalid_params(format!(
                "missing _meta.{field}: 2026-07-28 requests carry the protocol version and \
                 client capabilities in _meta"
            )),
        );
    }
    let connection = shared.server.connect();
    match message {
        Message::Request(_) => {
            run::run_request(
                shared,
                connection,
                message,
                extensions,
                Plan {
                    session: None,
                    cancel_on_drop: true,
                    modern: true,
                },
            )
            .await
        }
        other => {
            connection
                .handle(other, TransportContext::new().with_extensions(extensions))
                .await;
            reply::accepted()
        }
    }
}

/// Validates `MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name` and `Mcp-Param-*`.
async fn check_headers(
    shared: &Shared,
    parts: &Parts,
    message: &Message,
    p: &Peek<'_>,
    extensions: &Extensions,
) -> Result<(), String> {
    let version_header = header(parts, headers::PROTOCOL_VERSION)
        .ok_or_else(|| "the MCP-Protocol-Version header is missing".to_owned())?;
    if let Some(body_version) = p.meta.as_ref().and_then(|m| m.version.as_ref())
        && text(body_version).as_deref() != Some(version_header.trim())
    {
        return Err(format!(
            "MCP-Protocol-Version header value '{version_header}' does not match body value {body_version}"
        ));
    }
    let Message::Request(request) = message else {
        return Ok(());
    };
    let method = header(parts, headers::METHOD)
        .ok_or_else(|| "the Mcp-Method header is missing".to_owned())?;
    if method != request.method {
        return Err(format!(
            "Mcp-Method header value '{method}' does not match body value '{}'",
            request.method
        ));
    }
    let name_source = match request.method.as_str() {
        "tools/call" | "prompts/get" => Some(&p.name),
        "resources/read" => Some(&p.uri),
        _ => None,
    };
    if let Some(source) = name_source {
        let raw = header(parts, headers::NAME)
            .ok_or_else(|| "the Mcp-Name header is missing".to_owned())?;
        let decoded = headers::decode_header_value(raw.trim())
            .ok_or_else(|| "the Mcp-Name header has an invalid Base64 value".to_owned())?;
        if source.and_then(text).as_deref() != Some(decoded.as_str()) {
            return Err(format!(
                "Mcp-Name header value '{raw}' does not match body value {}",
                source.map_or("(none)", RawValue::get)
            ));
        }
    }
    if request.method == "tools/call" {
        let tool = p.name.and_then(text).unwrap_or_default();
        let declared = tool_param_headers(shared, &tool, extensions).await;
        if !declared.is_empty() {
            let arguments = p
                .arguments
                .and_then(|a| serde_json::from_str(a.get()).ok())
                .unwrap_or(Value::Null);
            check_params(parts, &declared, &arguments)?;
        }
    }
    Ok(())
}

/// Checks every declared `Mcp-Param-*` header against the arguments.
fn check_params(parts: &Parts, declared: &[ParamHeader], arguments: &Value) -> Result<(), String> {
    for d in declared {
        let name = format!("{}{}", headers::PARAM_PREFIX, d.name);
        let sent = parts.headers.get(name.as_str());
        let body = headers::value_at(arguments, &d.path);
        match (sent, body) {
            (None, None) => {}
            (None, Some(_)) => return Err(format!("the Mcp-Param-{} header is missing", d.name)),
            (Some(_), None) => {
                return Err(format!(
                    "the Mcp-Param-{} header is sent but the argument is absent",
                    d.name
                ));
            }
            (Some(sent), Some(body)) => {
                if !headers::valid_field_value(sent.as_bytes()) {
                    return Err(format!(
                        "the Mcp-Param-{} header has invalid characters",
                        d.name
                    ));
                }
                let raw = sent
                    .to_str()
                    .map_err(|_| format!("the Mcp-Param-{} header is not ASCII", d.name))?;
                let decoded = headers::decode_header_value(raw.trim()).ok_or_else(|| {
                    format!(
                        "the Mcp-Param-{} header has an invalid Base64 value",
                        d.name
                    )
                })?;
                if !same_value(&decoded, body) {
                    return Err(format!(
                        "Mcp-Param-{} header value '{raw}' does not match body value {body}",
                        d.name
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Compares a header text with an argument; numbers compare numerically.
fn same_value(header: &str, body: &Value) -> bool {
    match body {
        Value::Number(n) => match (header.trim().parse::<f64>(), n.as_f64()) {
            (Ok(h), Some(b)) => h == b,
            _ => false,
        },
        other => headers::header_text(other).is_some_and(|t| t == header),
    }
}

/// The `x-mcp-header` declarations of `tool`, read from the server's own `tools/list`
/// (so a tool added at run time is covered too) and remembered until the server announces
/// a tool-list change.
async fn tool_param_headers(
    shared: &Shared,
    tool: &str,
    extensions: &Extensions,
) -> Arc<[ParamHeader]> {
    let principal = extensions.get::<Principal>().map(Principal::id);
    if let Some(known) = shared
        .param_headers
        .get(&shared.server, principal, tool)
        .await
    {
        return known;
    }
    match list_param_headers(shared, tool, extensions).await {
        Some(found) => {
            let found: Arc<[ParamHeader]> = found.into();
            shared
                .param_headers
                .put(&shared.server, principal, tool, Arc::clone(&found))
                .await;
            found
        }
        None => Arc::from(Vec::new()),
    }
}

/// Looks `tool` up in the server's `tools/list`; `None` when it is not listed.
async fn list_param_headers(
    shared: &Shared,
    tool: &str,
    extensions: &Extensions,
) -> Option<Vec<ParamHeader>> {
    let connection = shared.server.connect();
    let mut cursor: Option<String> = None;
    for page in 0..64 {
        let mut params = json!({"_meta": {
            keys::PROTOCOL_VERSION: ProtocolVersion::V2026_07_28.as_str(),
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "mcp-transport-http", "version": env!("CARGO_PKG_VERSION")},
        }});
        if let Some(c) = &cursor {
            params["cursor"] = json!(c);
        }
        let Ok(req) = Request::new(
            RequestId::from(format!("header-check-{page}")),
            "tools/list",
            &params,
        ) else {
            break;
        };
        let ctx = TransportContext::new().with_extensions(extensions.clone());
        let Some(Message::Response(resp)) = connection.handle(req.into(), ctx).await else {
            break;
        };
        let Ok(result) = serde_json::from_str::<Value>(resp.result.get()) else {
            break;
        };
        if let Some(found) = result
            .get("tools")
            .and_then(Value::as_array)
            .and_then(|tools| {
                tools
                    .iter()
                    .find(|t| t.get("name").and_then(Value::as_str) == Some(tool))
            })
        {
            let schema = found.get("inputSchema").cloned().unwrap_or(Value::Null);
            connection.close();
            return Some(headers::param_headers(&schema).unwrap_or_default());
        }
        match result.get("nextCursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    connection.close();
    None
}
