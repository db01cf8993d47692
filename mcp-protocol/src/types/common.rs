//! Small types shared by many messages: icons, roles, pagination, result kinds, cache hints.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::meta::Meta;
use crate::revision::{ForRevision, adapt_meta, adapt_result_type};
use crate::version::ProtocolVersion;

/// A JSON object kept as JSON: schemas, tool arguments, capability payloads.
pub type JsonObject = Map<String, Value>;

/// An opaque pagination cursor, passed back unchanged to get the next page.
pub type Cursor = String;

/// An icon a client may show next to a server, tool, prompt or resource (2025-11-25+).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Icon {
    /// A URI of the image: `https:` or a `data:` URI.
    pub src: String,
    /// The image's MIME type, when the URI does not make it obvious.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Sizes the image fits, e.g. `"48x48"` or `"any"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sizes: Option<Vec<String>>,
    /// The UI theme the icon is drawn for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<IconTheme>,
}

impl Icon {
    /// An icon from a URI.
    pub fn new(src: impl Into<String>) -> Self {
        Self {
            src: src.into(),
            ..Self::default()
        }
    }
}

/// The theme an icon is drawn for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IconTheme {
    /// For light backgrounds.
    Light,
    /// For dark backgrounds.
    Dark,
}

/// Who speaks in a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The person using the client.
    #[default]
    User,
    /// The model.
    Assistant,
}

/// What kind of result a 2026-07-28 response carries.
///
/// Peers may add kinds later, so an unknown string is kept rather than rejected.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ResultType {
    /// The request is done; the result holds the answer.
    #[default]
    Complete,
    /// The server needs input from the client before it can answer (multi round-trip).
    InputRequired,
    /// A kind this crate does not know.
    Other(String),
}

impl ResultType {
    /// The wire string.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Complete => "complete",
            Self::InputRequired => "input_required",
            Self::Other(s) => s,
        }
    }
}

impl Serialize for ResultType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResultType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(match &*s {
            "complete" => Self::Complete,
            "input_required" => Self::InputRequired,
            _ => Self::Other(s.into_owned()),
        })
    }
}

/// Who may reuse a cached result (2026-07-28 cache hints).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CacheScope {
    /// Any client of the server may be served the cached copy.
    Public,
    /// Only the client that asked (the safe default).
    #[default]
    Private,
}

/// Params that carry nothing but `_meta` (ping, `server/discover`, `roots/list`,
/// list-changed notifications...).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RequestParams {
    /// Request metadata (progress token; in 2026-07-28 version and capabilities).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Params of a notification that carries nothing but `_meta`.
pub type NotificationParams = RequestParams;

/// Params of the `*/list` requests: an optional cursor.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PaginatedParams {
    /// Where to continue; absent for the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Cursor>,
    /// Request metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// A result with no content: the answer to `ping`, `logging/setLevel`, subscriptions...
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmptyResult {
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// 2026-07-28: the kind of result (always `complete` here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_type: Option<ResultType>,
}

impl ForRevision for RequestParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_meta(&mut self.meta, v);
    }
}

impl ForRevision for PaginatedParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_meta(&mut self.meta, v);
    }
}

impl ForRevision for EmptyResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_meta(&mut self.meta, v);
        adapt_result_type(&mut self.result_type, v);
    }
}

impl ForRevision for Icon {
    fn adapt(&mut self, _v: ProtocolVersion) {}
}

/// Icons exist from 2025-11-25 on; older peers get none.
pub(crate) fn adapt_icons(icons: &mut Option<Vec<Icon>>, v: ProtocolVersion) {
    if v < ProtocolVersion::V2025_11_25 {
        *icons = None;
    }
}

/// `title` fields exist from 2025-06-18 on.
pub(crate) fn adapt_title(title: &mut Option<String>, v: ProtocolVersion) {
    if v < ProtocolVersion::V2025_06_18 {
        *title = None;
    }
}

/// `_meta` on nested objects (tools, content, resources...) exists from 2025-06-18 on; the
/// reserved 2026 keys only in 2026-07-28.
pub(crate) fn adapt_object_meta(meta: &mut Option<Meta>, v: ProtocolVersion) {
    if v < ProtocolVersion::V2025_06_18 {
        *meta = None;
    } else {
        adapt_meta(meta, v);
    }
}
