//! The JSON-RPC 2.0 envelope that carries every MCP message.
//!
//! Parameters and results stay as raw JSON ([`RawValue`]) until the engine knows which method
//! they belong to, so a message is parsed once and never walked twice.

use std::fmt;
use std::sync::Arc;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// The id of a request: a string or an integer, never null.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestId {
    /// A numeric id.
    Number(i64),
    /// A string id.
    String(Arc<str>),
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::String(s) => write!(f, "{s:?}"),
        }
    }
}

impl From<i64> for RequestId {
    fn from(n: i64) -> Self {
        Self::Number(n)
    }
}

impl From<&str> for RequestId {
    fn from(s: &str) -> Self {
        Self::String(s.into())
    }
}

impl From<String> for RequestId {
    fn from(s: String) -> Self {
        Self::String(s.into())
    }
}

impl Serialize for RequestId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(n) => serializer.serialize_i64(*n),
            Self::String(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for RequestId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(s) => Ok(Self::String(s.into())),
            Value::Number(n) => n
                .as_i64()
                .map(Self::Number)
                .ok_or_else(|| D::Error::custom("request id must be an integer or a string")),
            _ => Err(D::Error::custom(
                "request id must be an integer or a string",
            )),
        }
    }
}

/// A JSON-RPC error code.
///
/// A newtype rather than an enum: peers may send any integer, and implementations may define
/// their own codes in the -32000 to -32019 range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ErrorCode(pub i32);

impl ErrorCode {
    /// Invalid JSON was received.
    pub const PARSE_ERROR: Self = Self(-32700);
    /// The JSON sent is not a valid request object.
    pub const INVALID_REQUEST: Self = Self(-32600);
    /// The method does not exist or is not available.
    pub const METHOD_NOT_FOUND: Self = Self(-32601);
    /// Invalid method parameters (and, since 2026-07-28, an unknown resource).
    pub const INVALID_PARAMS: Self = Self(-32602);
    /// Internal error.
    pub const INTERNAL_ERROR: Self = Self(-32603);
    /// Legacy revisions (until 2025-11-25): the requested resource does not exist.
    pub const RESOURCE_NOT_FOUND: Self = Self(-32002);
    /// A URL-mode elicitation is required before the request can go on (2025-11-25).
    pub const URL_ELICITATION_REQUIRED: Self = Self(-32042);
    /// 2026-07-28: an HTTP header does not match the message body.
    pub const HEADER_MISMATCH: Self = Self(-32020);
    /// 2026-07-28: the request needs a client capability the client did not declare.
    pub const MISSING_REQUIRED_CLIENT_CAPABILITY: Self = Self(-32021);
    /// 2026-07-28: the protocol version in the request is not supported.
    pub const UNSUPPORTED_PROTOCOL_VERSION: Self = Self(-32022);
    /// Implementation-defined: the request was cancelled or timed out on our side.
    pub const REQUEST_CANCELLED: Self = Self(-32000);
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The `error` member of an error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("JSON-RPC error {code}: {message}")]
pub struct ErrorObject {
    /// The error code.
    pub code: ErrorCode,
    /// A short description, meant for people.
    pub message: String,
    /// Extra detail, meant for programs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl ErrorObject {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }

    /// Attaches machine-readable detail.
    #[must_use]
    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    /// -32700: the bytes were not JSON.
    pub fn parse_error(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::PARSE_ERROR, message)
    }

    /// -32600: JSON, but not a JSON-RPC message we accept.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::INVALID_REQUEST, message)
    }

    /// -32601, naming the method.
    pub fn method_not_found(method: &str) -> Self {
        Self::new(
            ErrorCode::METHOD_NOT_FOUND,
            format!("method not found: {method}"),
        )
    }

    /// -32602: the parameters do not fit the method.
    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::INVALID_PARAMS, message)
    }

    /// -32603.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::INTERNAL_ERROR, message)
    }
}

/// A request: a method call that expects a response.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    /// Always `"2.0"`.
    pub jsonrpc: JsonRpcVersion,
    /// The id the response will carry.
    pub id: RequestId,
    /// The method name, e.g. `tools/call`.
    pub method: String,
    /// The parameters, as raw JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Box<RawValue>>,
}

/// A notification: a method call with no id and no response.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    /// Always `"2.0"`.
    pub jsonrpc: JsonRpcVersion,
    /// The method name, e.g. `notifications/progress`.
    pub method: String,
    /// The parameters, as raw JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Box<RawValue>>,
}

/// A successful response.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// Always `"2.0"`.
    pub jsonrpc: JsonRpcVersion,
    /// The id of the request this answers.
    pub id: RequestId,
    /// The result, as raw JSON.
    pub result: Box<RawValue>,
}

/// An error response.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorResponse {
    /// Always `"2.0"`.
    pub jsonrpc: JsonRpcVersion,
    /// The id of the request this answers; absent when it could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<RequestId>,
    /// What went wrong.
    pub error: ErrorObject,
}

/// The `jsonrpc` member: always the string `"2.0"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JsonRpcVersion;

impl Serialize for JsonRpcVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("2.0")
    }
}

/// Any JSON-RPC message.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Message {
    /// A request.
    Request(Request),
    /// A notification.
    Notification(Notification),
    /// A successful response.
    Response(Response),
    /// An error response.
    Error(ErrorResponse),
}

/// Every member any JSON-RPC message may have; classified after parsing.
#[derive(Deserialize)]
struct Envelope {
    jsonrpc: Option<Box<RawValue>>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    method: Option<String>,
    params: Option<Box<RawValue>>,
    result: Option<Box<RawValue>>,
    error: Option<Value>,
}

/// Distinguishes an absent member from an explicit `null`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl Message {
    /// Reads one message from bytes.
    ///
    /// Returns the error response to send back when the bytes are not JSON (-32700) or not a
    /// single JSON-RPC message (-32600). The id of a bad request is kept when it can be read,
    /// so the peer can match the error to its request.
    pub fn parse(bytes: &[u8]) -> Result<Self, ErrorResponse> {
        let envelope: Envelope = match serde_json::from_slice(bytes) {
            Ok(e) => e,
            Err(e) if e.is_syntax() || e.is_eof() || e.is_io() => {
                return Err(ErrorResponse::new(
                    None,
                    ErrorObject::parse_error(format!("invalid JSON: {e}")),
                ));
            }
            Err(e) => {
                // Serde stops at the first type mismatch, before it sees trailing garbage
                // such as the `x10` of `0x10`: text that is not JSON at all is -32700.
                if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
                    && (syntax.is_syntax() || syntax.is_eof())
                {
                    return Err(ErrorResponse::new(
                        None,
                        ErrorObject::parse_error(format!("invalid JSON: {syntax}")),
                    ));
                }
                return Err(ErrorResponse::new(
                    None,
                    ErrorObject::invalid_request(format!("not a JSON-RPC message: {e}")),
                ));
            }
        };
        Self::classify(envelope)
    }

    /// Reads a message from an already-parsed JSON value (for batches and tests).
    pub fn from_value(value: Value) -> Result<Self, ErrorResponse> {
        let envelope: Envelope = serde_json::from_value(value).map_err(|e| {
            ErrorResponse::new(
                None,
                ErrorObject::invalid_request(format!("not a JSON-RPC message: {e}")),
            )
        })?;
        Self::classify(envelope)
    }

    fn classify(e: Envelope) -> Result<Self, ErrorResponse> {
        let id = match e.id {
            None => None,
            Some(Value::Null) if e.error.is_some() => None,
            Some(v) => match serde_json::from_value::<RequestId>(v) {
                Ok(id) => Some(id),
                Err(err) => {
                    return Err(ErrorResponse::new(
                        None,
                        ErrorObject::invalid_request(format!("invalid id: {err}")),
                    ));
                }
            },
        };
        let invalid = |id: Option<RequestId>, msg: &str| {
            Err(ErrorResponse::new(id, ErrorObject::invalid_request(msg)))
        };
        if e.jsonrpc.as_deref().map(RawValue::get) != Some("\"2.0\"") {
            return invalid(id, "the jsonrpc member must be \"2.0\"");
        }
        if let Some(params) = &e.params {
            let first = params.get().trim_start().as_bytes().first();
            if !matches!(first, Some(b'{' | b'[')) {
                return invalid(id, "params must be an object or an array");
            }
        }
        match (e.method, e.result, e.error) {
            (Some(method), None, None) => Ok(match id {
                Some(id) => Self::Request(Request {
                    jsonrpc: JsonRpcVersion,
                    id,
                    method,
                    params: e.params,
                }),
                None => Self::Notification(Notification {
                    jsonrpc: JsonRpcVersion,
                    method,
                    params: e.params,
                }),
            }),
            (None, Some(result), None) => match id {
                Some(id) => Ok(Self::Response(Response {
                    jsonrpc: JsonRpcVersion,
                    id,
                    result,
                })),
                None => invalid(None, "a response needs an id"),
            },
            (None, None, Some(error)) => match serde_json::from_value::<ErrorObject>(error) {
                Ok(error) => Ok(Self::Error(ErrorResponse {
                    jsonrpc: JsonRpcVersion,
                    id,
                    error,
                })),
                Err(err) => invalid(id, &format!("invalid error object: {err}")),
            },
            _ => invalid(
                id,
                "a message must have exactly one of method, result and error",
            ),
        }
    }

    /// Serializes the message to compact JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serializing these types cannot fail: every member is a string, a number, raw JSON
        // that was validated when it was built, or a `Value`.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The method name of a request or notification.
    pub fn method(&self) -> Option<&str> {
        match self {
            Self::Request(r) => Some(&r.method),
            Self::Notification(n) => Some(&n.method),
            Self::Response(_) | Self::Error(_) => None,
        }
    }
}

impl Request {
    /// A request with typed parameters.
    pub fn new<P: Serialize>(
        id: RequestId,
        method: impl Into<String>,
        params: &P,
    ) -> serde_json::Result<Self> {
        Ok(Self {
            jsonrpc: JsonRpcVersion,
            id,
            method: method.into(),
            params: Some(serde_json::value::to_raw_value(params)?),
        })
    }
}

impl Notification {
    /// A notification with typed parameters.
    pub fn new<P: Serialize>(method: impl Into<String>, params: &P) -> serde_json::Result<Self> {
        Ok(Self {
            jsonrpc: JsonRpcVersion,
            method: method.into(),
            params: Some(serde_json::value::to_raw_value(params)?),
        })
    }
}

impl Response {
    /// A response with a typed result.
    pub fn new<R: Serialize>(id: RequestId, result: &R) -> serde_json::Result<Self> {
        Ok(Self {
            jsonrpc: JsonRpcVersion,
            id,
            result: serde_json::value::to_raw_value(result)?,
        })
    }
}

impl ErrorResponse {
    /// An error response.
    pub fn new(id: Option<RequestId>, error: ErrorObject) -> Self {
        Self {
            jsonrpc: JsonRpcVersion,
            id,
            error,
        }
    }
}

impl From<Request> for Message {
    fn from(m: Request) -> Self {
        Self::Request(m)
    }
}

impl From<Notification> for Message {
    fn from(m: Notification) -> Self {
        Self::Notification(m)
    }
}

impl From<Response> for Message {
    fn from(m: Response) -> Self {
        Self::Response(m)
    }
}

impl From<ErrorResponse> for Message {
    fn from(m: ErrorResponse) -> Self {
        Self::Error(m)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn classifies_messages() {
        let m = Message::parse(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).unwrap();
        assert!(matches!(m, Message::Request(ref r) if r.id == RequestId::Number(1)));
        let m = Message::parse(br#"{"jsonrpc":"2.0","method":"n","params":{}}"#).unwrap();
        assert!(matches!(m, Message::Notification(_)));
        let m = Message::parse(br#"{"jsonrpc":"2.0","id":"a","result":{}}"#).unwrap();
        assert!(matches!(m, Message::Response(_)));
        let m =
            Message::parse(br#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}"#)
                .unwrap();
        assert!(matches!(m, Message::Error(ErrorResponse { id: None, .. })));
    }

    #[test]
    fn rejects_bad_input_with_the_right_code() {
        let cases: [(&[u8], ErrorCode); 7] = [
            (b"{", ErrorCode::PARSE_ERROR),
            (b"\xff\xfe", ErrorCode::PARSE_ERROR),
            (b"[]", ErrorCode::INVALID_REQUEST),
            (br#"{"id":1,"method":"x"}"#, ErrorCode::INVALID_REQUEST),
            (
                br#"{"jsonrpc":"2.0","id":null,"method":"x"}"#,
                ErrorCode::INVALID_REQUEST,
            ),
            (
                br#"{"jsonrpc":"2.0","id":1,"method":"x","params":3}"#,
                ErrorCode::INVALID_REQUEST,
            ),
            (
                br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
                ErrorCode::INVALID_REQUEST,
            ),
        ];
        for (input, code) in cases {
            let err = Message::parse(input).unwrap_err();
            assert_eq!(err.error.code, code, "{}", String::from_utf8_lossy(input));
        }
        let err = Message::parse(br#"{"jsonrpc":"1.0","id":7,"method":"x"}"#).unwrap_err();
        assert_eq!(err.id, Some(RequestId::Number(7)));
    }

    #[test]
    fn serializes_compactly() {
        let r = Response::new(RequestId::from("x"), &serde_json::json!({})).unwrap();
        assert_eq!(
            Message::from(r).to_bytes(),
            br#"{"jsonrpc":"2.0","id":"x","result":{}}"#
        );
    }
}
