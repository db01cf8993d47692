//! Roots: the directories or files the client lets the server work in.

use serde::{Deserialize, Serialize};

use crate::meta::Meta;
use crate::revision::{ForRevision, adapt_meta};
use crate::types::common::adapt_object_meta;
use crate::version::ProtocolVersion;

/// A root, usually a `file://` URI.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Root {
    /// The root's URI.
    pub uri: String,
    /// A name for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Metadata (2025-06-18+).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Params of `roots/list`: only `_meta`.
pub type ListRootsParams = crate::types::common::RequestParams;

/// Result of `roots/list`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ListRootsResult {
    /// The roots.
    pub roots: Vec<Root>,
    /// Result metadata (not in 2026-07-28, where this travels inside `inputResponses`).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl ForRevision for Root {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_object_meta(&mut self.meta, v);
    }
}

impl ForRevision for ListRootsResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.roots.adapt(v);
        if v.is_legacy() {
            adapt_meta(&mut self.meta, v);
        } else {
            self.meta = None;
        }
    }
}
