//! Coder-shaped error responses (`codersdk.Response`).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// An error answer in Coder's shape: `{message, detail?, validations?}`.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    pub(crate) detail: Option<String>,
    pub(crate) validations: Vec<(String, String)>,
    pub(crate) www_authenticate: Option<String>,
}

/// What every handler returns.
pub(crate) type ApiResult<T = Response> = std::result::Result<T, ApiError>;

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            detail: None,
            validations: Vec::new(),
            www_authenticate: None,
        }
    }

    pub(crate) fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub(crate) fn validation(
        mut self,
        field: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        self.validations.push((field.into(), detail.into()));
        self
    }

    /// Coder's generic 404, which also hides resources the caller may not see.
    pub(crate) fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Resource not found or you do not have access to this resource",
        )
    }

    pub(crate) fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden.")
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// A 400 for a request body that failed validation.
    pub(crate) fn invalid(field: &str, detail: impl Into<String>) -> Self {
        Self::bad_request("Validation failed.").validation(field, detail)
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// A 400 for a path segment that is not a UUID.
    pub(crate) fn invalid_uuid(param: &str, value: &str) -> Self {
        Self::bad_request(format!("Invalid UUID {value:?}."))
            .detail(format!("invalid {param} id: not a UUID"))
    }

    /// The body as JSON (also used by the fault injector).
    pub(crate) fn body(&self) -> Value {
        let mut body = json!({ "message": self.message });
        if let Some(detail) = &self.detail {
            body["detail"] = json!(detail);
        }
        if !self.validations.is_empty() {
            body["validations"] = self
                .validations
                .iter()
                .map(|(field, detail)| json!({ "field": field, "detail": detail }))
                .collect();
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, Json(self.body())).into_response();
        if let Some(value) = self
            .www_authenticate
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, value);
        }
        resp
    }
}

/// Parses a JSON request body into `T`, answering Coder's 400 on failure.
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request("Request body must be valid JSON.").detail(e.to_string())
    })
}

/// Parses a UUID path segment.
pub(crate) fn parse_uuid(param: &str, value: &str) -> ApiResult<uuid::Uuid> {
    uuid::Uuid::parse_str(value).map_err(|_| ApiError::invalid_uuid(param, value))
}

/// A JSON answer with a status.
pub(crate) fn json_response(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// A 200 JSON answer.
pub(crate) fn ok(body: Value) -> ApiResult {
    Ok(json_response(StatusCode::OK, body))
}
