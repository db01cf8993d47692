//! Writing for a peer's revision: never send what its revision lacks.
//!
//! The crate has one set of types for every revision. Before a value goes to a peer, the
//! engine calls [`ForRevision::adapt`] with the negotiated revision; the value then drops the
//! fields that revision does not define (for example `resultType` or the 2026 `_meta` keys for
//! a 2025 client, `structuredContent` before 2025-06-18) and turns content the revision cannot
//! carry into a text block that says what it was, so nothing disappears silently. For
//! 2026-07-28 it fills what that revision requires (`resultType: "complete"`, cache hints).
//!
//! ```
//! use mcp_protocol::types::{CallToolResult, Content};
//! use mcp_protocol::{ForRevision, ProtocolVersion};
//!
//! let result = CallToolResult::content(vec![Content::audio("UklGRg==", "audio/wav")]);
//!
//! // A 2024-11-05 client cannot show audio: it gets a text block saying what was there.
//! let old = result.clone().for_revision(ProtocolVersion::V2024_11_05);
//! assert!(old.content[0].as_text().is_some_and(|t| t.contains("audio/wav")));
//!
//! // A 2026-07-28 client gets the audio and the required `resultType`.
//! let new = serde_json::to_value(result.for_revision(ProtocolVersion::V2026_07_28))?;
//! assert_eq!(new["resultType"], "complete");
//! assert_eq!(new["content"][0]["type"], "audio");
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::meta::Meta;
use crate::types::{CacheScope, ResultType};
use crate::version::ProtocolVersion;

/// A value that can be shaped for a given protocol revision before it is sent.
pub trait ForRevision {
    /// Removes or rewrites what `v` does not define, and fills what `v` requires.
    fn adapt(&mut self, v: ProtocolVersion);

    /// [`adapt`](Self::adapt) by value, for chaining.
    #[must_use]
    fn for_revision(mut self, v: ProtocolVersion) -> Self
    where
        Self: Sized,
    {
        self.adapt(v);
        self
    }
}

impl<T: ForRevision> ForRevision for Option<T> {
    fn adapt(&mut self, v: ProtocolVersion) {
        if let Some(t) = self {
            t.adapt(v);
        }
    }
}

impl<T: ForRevision> ForRevision for Vec<T> {
    fn adapt(&mut self, v: ProtocolVersion) {
        for t in self {
            t.adapt(v);
        }
    }
}

/// Legacy peers get no 2026-only `_meta` keys; an emptied map is dropped.
pub(crate) fn adapt_meta(meta: &mut Option<Meta>, v: ProtocolVersion) {
    if let (true, Some(m)) = (v.is_legacy(), meta.as_mut()) {
        m.remove_modern_keys();
    }
    if meta.as_ref().is_some_and(Meta::is_empty) {
        *meta = None;
    }
}

/// `resultType` exists only in 2026-07-28, where it is required.
pub(crate) fn adapt_result_type(result_type: &mut Option<ResultType>, v: ProtocolVersion) {
    if v.is_legacy() {
        *result_type = None;
    } else if result_type.is_none() {
        *result_type = Some(ResultType::Complete);
    }
}

/// Cache hints exist only in 2026-07-28, where the cacheable results require them; when the
/// application set none, the result is marked as not cacheable (0 ms, private).
pub(crate) fn adapt_cache_hints(
    ttl_ms: &mut Option<u64>,
    scope: &mut Option<CacheScope>,
    v: ProtocolVersion,
) {
    if v.is_legacy() {
        *ttl_ms = None;
        *scope = None;
    } else {
        ttl_ms.get_or_insert(0);
        scope.get_or_insert(CacheScope::Private);
    }
}

impl<K: Ord, T: ForRevision> ForRevision for std::collections::BTreeMap<K, T> {
    fn adapt(&mut self, v: ProtocolVersion) {
        for t in self.values_mut() {
            t.adapt(v);
        }
    }
}
