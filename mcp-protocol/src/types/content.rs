//! Content blocks: what tool results, prompt messages and sampling carry.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::meta::Meta;
use crate::revision::ForRevision;
use crate::types::common::{Role, adapt_object_meta};
use crate::types::resources::Resource;
use crate::version::ProtocolVersion;

/// Hints for the client on how to use a piece of content.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotations {
    /// Who the content is meant for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Vec<Role>>,
    /// How important it is, from 0 (optional) to 1 (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<f64>,
    /// When it last changed, ISO 8601 (2025-06-18+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// Plain text.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TextContent {
    /// The text.
    pub text: String,
    /// Usage hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// Metadata (2025-06-18+).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// A base64-encoded image.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageContent {
    /// The image bytes, base64.
    pub data: String,
    /// The image's MIME type, e.g. `image/png`.
    pub mime_type: String,
    /// Usage hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// Metadata (2025-06-18+).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Base64-encoded audio (2025-03-26+).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AudioContent {
    /// The audio bytes, base64.
    pub data: String,
    /// The audio's MIME type, e.g. `audio/wav`.
    pub mime_type: String,
    /// Usage hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// Metadata (2025-06-18+).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// A link to a resource the client may read (2025-06-18+): a [`Resource`] in a content list.
pub type ResourceLink = Resource;

/// A resource's contents placed inline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbeddedResource {
    /// The contents.
    pub resource: ResourceContents,
    /// Usage hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// Metadata (2025-06-18+).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// The contents of a resource: text or binary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ResourceContents {
    /// Text contents.
    Text(TextResourceContents),
    /// Binary contents.
    Blob(BlobResourceContents),
}

/// Text contents of a resource.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextResourceContents {
    /// The resource's URI.
    pub uri: String,
    /// The MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The text.
    pub text: String,
    /// Metadata (2025-06-18+).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Binary contents of a resource.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlobResourceContents {
    /// The resource's URI.
    pub uri: String,
    /// The MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The bytes, base64.
    pub blob: String,
    /// Metadata (2025-06-18+).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl ResourceContents {
    /// Text contents.
    pub fn text(uri: impl Into<String>, text: impl Into<String>) -> Self {
        Self::Text(TextResourceContents {
            uri: uri.into(),
            text: text.into(),
            ..TextResourceContents::default()
        })
    }

    /// Binary contents, already base64-encoded.
    pub fn blob(uri: impl Into<String>, base64: impl Into<String>) -> Self {
        Self::Blob(BlobResourceContents {
            uri: uri.into(),
            blob: base64.into(),
            ..BlobResourceContents::default()
        })
    }

    /// The resource's URI.
    pub fn uri(&self) -> &str {
        match self {
            Self::Text(t) => &t.uri,
            Self::Blob(b) => &b.uri,
        }
    }
}

/// A content block, tagged by `type` on the wire.
///
/// A block of a type this crate does not know is kept as JSON in [`Content::Unknown`] so a
/// newer peer's content is passed on rather than rejected.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Content {
    /// `text`.
    Text(TextContent),
    /// `image`.
    Image(ImageContent),
    /// `audio` (2025-03-26+).
    Audio(AudioContent),
    /// `resource_link` (2025-06-18+).
    ResourceLink(ResourceLink),
    /// `resource`: an embedded resource.
    Resource(EmbeddedResource),
    /// A type this crate does not know, kept as received.
    #[serde(untagged)]
    Unknown(Value),
}

impl Content {
    /// A text block.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(TextContent {
            text: text.into(),
            ..TextContent::default()
        })
    }

    /// An image block from base64 data.
    pub fn image(base64: impl Into<String>, mime_type: impl Into<String>) -> Self {
        Self::Image(ImageContent {
            data: base64.into(),
            mime_type: mime_type.into(),
            ..ImageContent::default()
        })
    }

    /// An audio block from base64 data.
    pub fn audio(base64: impl Into<String>, mime_type: impl Into<String>) -> Self {
        Self::Audio(AudioContent {
            data: base64.into(),
            mime_type: mime_type.into(),
            ..AudioContent::default()
        })
    }

    /// A link to a resource.
    pub fn resource_link(uri: impl Into<String>, name: impl Into<String>) -> Self {
        Self::ResourceLink(Resource::new(uri, name))
    }

    /// An embedded resource.
    pub fn resource(contents: ResourceContents) -> Self {
        Self::Resource(EmbeddedResource {
            resource: contents,
            annotations: None,
            meta: None,
        })
    }

    /// The text of a text block.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(t) => Some(&t.text),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Content {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| D::Error::missing_field("type"))?;
        let res = match kind {
            "text" => TextContent::deserialize(&value).map(Self::Text),
            "image" => ImageContent::deserialize(&value).map(Self::Image),
            "audio" => AudioContent::deserialize(&value).map(Self::Audio),
            "resource_link" => Resource::deserialize(&value).map(Self::ResourceLink),
            "resource" => EmbeddedResource::deserialize(&value).map(Self::Resource),
            _ => return Ok(Self::Unknown(value)),
        };
        res.map_err(|e| D::Error::custom(format!("{kind} content: {e}")))
    }
}

impl From<String> for Content {
    fn from(s: String) -> Self {
        Self::text(s)
    }
}

impl From<&str> for Content {
    fn from(s: &str) -> Self {
        Self::text(s)
    }
}

impl ForRevision for Annotations {
    fn adapt(&mut self, v: ProtocolVersion) {
        if v < ProtocolVersion::V2025_06_18 {
            self.last_modified = None;
        }
    }
}

impl ForRevision for TextContent {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.annotations.adapt(v);
        adapt_object_meta(&mut self.meta, v);
    }
}

impl ForRevision for ImageContent {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.annotations.adapt(v);
        adapt_object_meta(&mut self.meta, v);
    }
}

impl ForRevision for AudioContent {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.annotations.adapt(v);
        adapt_object_meta(&mut self.meta, v);
    }
}

impl ForRevision for ResourceContents {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::Text(t) => adapt_object_meta(&mut t.meta, v),
            Self::Blob(b) => adapt_object_meta(&mut b.meta, v),
        }
    }
}

impl ForRevision for EmbeddedResource {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.resource.adapt(v);
        self.annotations.adapt(v);
        adapt_object_meta(&mut self.meta, v);
    }
}

/// A text block standing in for content the peer's revision cannot carry.
pub(crate) fn fallback_text(text: String, annotations: Option<Annotations>) -> TextContent {
    TextContent {
        text,
        annotations,
        meta: None,
    }
}

/// Describes an audio block in words, for peers older than 2025-03-26.
pub(crate) fn describe_audio(a: &AudioContent) -> String {
    format!(
        "[audio content omitted: {}, {} bytes of base64; this client's protocol revision cannot carry audio]",
        a.mime_type,
        a.data.len()
    )
}

/// Describes a resource link in words, for peers older than 2025-06-18.
pub(crate) fn describe_link(r: &Resource) -> String {
    let mut s = format!("[resource link: {} <{}>", r.name, r.uri);
    if let Some(m) = &r.mime_type {
        s.push_str(&format!(" ({m})"));
    }
    if let Some(d) = &r.description {
        s.push_str(&format!(": {d}"));
    }
    s.push(']');
    s
}

impl ForRevision for Content {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::Audio(a) if v < ProtocolVersion::V2025_03_26 => {
                *self = Self::Text(fallback_text(describe_audio(a), a.annotations.take()));
            }
            Self::ResourceLink(r) if v < ProtocolVersion::V2025_06_18 => {
                *self = Self::Text(fallback_text(describe_link(r), r.annotations.take()));
            }
            Self::Unknown(value) => {
                let kind = value
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown");
                let text = format!("[{kind} content omitted: not understood by this server]");
                *self = Self::Text(fallback_text(text, None));
            }
            Self::Text(t) => t.adapt(v),
            Self::Image(i) => i.adapt(v),
            Self::Audio(a) => a.adapt(v),
            Self::ResourceLink(r) => r.adapt(v),
            Self::Resource(e) => e.adapt(v),
        }
        if let Self::Text(t) = self {
            t.adapt(v);
        }
    }
}
