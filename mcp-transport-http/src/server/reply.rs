//! HTTP answers that carry a JSON-RPC error body.

use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};
use mcp_protocol::jsonrpc::ErrorResponse;
use mcp_protocol::{ErrorCode, ErrorObject, Message, RequestId};

/// Implementation-defined code for transport-level refusals (bad host, session problems).
pub(crate) const TRANSPORT_ERROR: ErrorCode = ErrorCode(-32000);

/// A JSON body with the given status.
pub(crate) fn json(status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// `status` with a JSON-RPC error response as body.
pub(crate) fn error(status: StatusCode, id: Option<RequestId>, error: ErrorObject) -> Response {
    json(
        status,
        Message::Error(ErrorResponse::new(id, error)).to_bytes(),
    )
}

/// `status` with a transport error (code -32000) and `message`.
pub(crate) fn transport(status: StatusCode, message: &str) -> Response {
    error(status, None, ErrorObject::new(TRANSPORT_ERROR, message))
}

/// 405 with the allowed methods.
pub(crate) fn method_not_allowed(allow: &'static str) -> Response {
    let mut r = transport(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    r
}

/// 202 with no body.
pub(crate) fn accepted() -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::ACCEPTED;
    r
}
