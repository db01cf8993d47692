//! The crate's error type.
//!
//! Every failure a caller may want to act on has its own variant and a predicate in the style
//! of `reqwest::Error` (`is_not_found`, `is_timeout`...). Errors never carry the session token:
//! it travels in a header that is never formatted, and URLs lose their query string and
//! credentials before they are stored in an error.

use http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::serde_util::null_default;

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Boxed error used as the source of a few variants.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when talking to Coder.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Coder answered with a non-success status; the fields come from its error body.
    #[error("{}", format_api(*status, message, detail, validations))]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// Coder's message (or a fallback naming the status when the body had none).
        message: String,
        /// Coder's detail, or the raw body when it was not JSON.
        detail: String,
        /// Per-field validation failures.
        validations: Vec<ValidationError>,
    },
    /// A response body did not have the expected shape.
    #[error("cannot decode response at `{path}`: {source}")]
    Decode {
        /// The JSON path that failed (for example `workspaces[0].latest_build.job`).
        path: String,
        /// The underlying decode error.
        #[source]
        source: serde_json::Error,
    },
    /// The request or the operation took longer than allowed.
    #[error("request timed out")]
    Timeout {
        /// The transport error, when the timeout came from the HTTP client.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// The deployment could not be reached.
    #[error("cannot connect to Coder: {source}")]
    Connect {
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// Any other HTTP transport failure.
    #[error("HTTP request failed: {source}")]
    Request {
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// A WebSocket (log stream or terminal) failed.
    #[error("WebSocket error: {source}")]
    WebSocket {
        /// The WebSocket error.
        #[source]
        source: BoxError,
    },
    /// A URL could not be built or parsed.
    #[error("invalid URL: {message}")]
    InvalidUrl {
        /// What was wrong.
        message: String,
    },
    /// Credentials or settings could not be found or are malformed.
    #[error("configuration error: {message}")]
    Config {
        /// What was wrong.
        message: String,
        /// The I/O error, when reading a file failed.
        #[source]
        source: Option<std::io::Error>,
    },
    /// The server did something this client cannot follow (for example refused a WebSocket
    /// upgrade with a success status).
    #[error("protocol error: {message}")]
    Protocol {
        /// What happened.
        message: String,
    },
}

fn format_api(
    status: StatusCode,
    message: &str,
    detail: &str,
    validations: &[ValidationError],
) -> String {
    let mut out = format!("{message} (HTTP {})", status.as_u16());
    if !detail.is_empty() {
        out.push_str(": ");
        out.push_str(detail);
    }
    for v in validations {
        out.push_str(&format!("; {}: {}", v.field, v.detail));
    }
    out
}

impl Error {
    /// The HTTP status, for [`Error::Api`] and for transport errors that carry one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::Request { source } | Self::Connect { source } => source.status(),
            _ => None,
        }
    }

    /// Whether Coder said the object does not exist (HTTP 404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the token was missing, expired or wrong (HTTP 401).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Whether the caller lacks permission (HTTP 403).
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// Whether the deployment could not be reached at all.
    pub fn is_connect(&self) -> bool {
        matches!(self, Self::Connect { .. })
    }

    /// Whether a response could not be decoded.
    pub fn is_decode(&self) -> bool {
        matches!(self, Self::Decode { .. })
    }

    /// Builds [`Error::Api`] from a status and the raw error body.
    ///
    /// Coder's error body is `{message, detail?, validations?}`. When the body is empty or not
    /// that JSON, the message says so and `detail` keeps (the start of) the raw body.
    pub fn from_response_body(status: StatusCode, body: &[u8]) -> Self {
        let parsed = serde_json::from_slice::<ApiResponse>(body)
            .ok()
            .filter(|r| !r.message.is_empty());
        match parsed {
            Some(r) => Self::Api {
                status,
                message: r.message,
                detail: r.detail,
                validations: r.validations,
            },
            None => Self::Api {
                status,
                message: format!(
                    "unexpected status code {}, response has no message",
                    status.as_u16()
                ),
                detail: truncate_utf8(&String::from_utf8_lossy(body), MAX_RAW_DETAIL).to_owned(),
                validations: Vec::new(),
            },
        }
    }

    /// Classifies a transport error, removing secrets from its URL first.
    pub(crate) fn from_reqwest(err: reqwest::Error) -> Self {
        let err = scrub_reqwest(err);
        if err.is_timeout() {
            Self::Timeout { source: Some(err) }
        } else if err.is_connect() {
            Self::Connect { source: err }
        } else {
            Self::Request { source: err }
        }
    }

    /// Wraps a WebSocket failure.
    pub(crate) fn websocket(err: impl Into<BoxError>) -> Self {
        Self::WebSocket { source: err.into() }
    }

    /// Builds a [`Error::Protocol`].
    pub(crate) fn protocol(message: impl Into<String>) -> Self {
        Self::Protocol {
            message: message.into(),
        }
    }

    /// Builds a [`Error::Config`] without an I/O source.
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::Config {
            message: message.into(),
            source: None,
        }
    }
}

/// How much of a non-JSON error body is kept in `detail`.
const MAX_RAW_DETAIL: usize = 4096;

/// Cuts `s` to at most `max` bytes on a character boundary.
fn truncate_utf8(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Drops the query string and any credentials from the URL a reqwest error carries.
fn scrub_reqwest(mut err: reqwest::Error) -> reqwest::Error {
    if let Some(url) = err.url_mut() {
        url.set_query(None);
        url.set_fragment(None);
        // Both only fail for URLs that cannot carry credentials in the first place.
        let _ = url.set_password(None);
        let _ = url.set_username("");
    }
    err
}

/// Coder's generic response body (`codersdk.Response`): errors, and a few endpoints that only
/// acknowledge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiResponse {
    /// A human-readable message.
    #[serde(default)]
    pub message: String,
    /// More detail, often the internal error.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Per-field validation failures.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub validations: Vec<ValidationError>,
}

/// A validation failure on one request field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// The field's JSON name.
    pub field: String,
    /// What is wrong with it.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_coder_error_body() {
        let body = br#"{"message":"Workspace not found","detail":"sql: no rows","validations":[{"field":"name","detail":"taken"}]}"#;
        let err = Error::from_response_body(StatusCode::NOT_FOUND, body);
        assert!(err.is_not_found());
        match &err {
            Error::Api {
                message,
                detail,
                validations,
                ..
            } => {
                assert_eq!(message, "Workspace not found");
                assert_eq!(detail, "sql: no rows");
                assert_eq!(validations.len(), 1);
                assert_eq!(validations[0].field, "name");
            }
            other => panic!("unexpected {other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains("Workspace not found"), "{text}");
        assert!(text.contains("404"), "{text}");
        assert!(text.contains("name: taken"), "{text}");
    }

    #[test]
    fn empty_body_gets_fallback_message() {
        let err = Error::from_response_body(StatusCode::BAD_GATEWAY, b"");
        match err {
            Error::Api {
                status,
                message,
                detail,
                ..
            } => {
                assert_eq!(status, StatusCode::BAD_GATEWAY);
                assert_eq!(
                    message,
                    "unexpected status code 502, response has no message"
                );
                assert_eq!(detail, "");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn html_body_is_kept_as_detail() {
        let html = b"<html><body>Bad gateway</body></html>";
        let err = Error::from_response_body(StatusCode::SERVICE_UNAVAILABLE, html);
        match err {
            Error::Api {
                message, detail, ..
            } => {
                assert_eq!(
                    message,
                    "unexpected status code 503, response has no message"
                );
                assert_eq!(detail, "<html><body>Bad gateway</body></html>");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn huge_raw_body_is_cut() {
        let body = "é".repeat(10_000);
        let err = Error::from_response_body(StatusCode::INTERNAL_SERVER_ERROR, body.as_bytes());
        match err {
            Error::Api { detail, .. } => {
                assert!(detail.len() <= MAX_RAW_DETAIL);
                assert!(detail.chars().all(|c| c == 'é'));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn json_without_message_gets_fallback() {
        let err = Error::from_response_body(StatusCode::UNAUTHORIZED, br#"{"foo":1}"#);
        assert!(err.is_unauthorized());
        assert!(
            err.to_string()
                .contains("unexpected status code 401, response has no message")
        );
    }

    #[test]
    fn predicates() {
        let err = Error::Timeout { source: None };
        assert!(err.is_timeout());
        assert!(!err.is_connect());
        assert_eq!(err.status(), None);
        let err = Error::from_response_body(StatusCode::FORBIDDEN, b"{\"message\":\"no\"}");
        assert!(err.is_forbidden());
        assert!(!err.is_not_found());
    }
}
