//! Turning a handler's typed result into the JSON text of the response.
//!
//! A result is serialized exactly once, straight from its typed form and into the buffer
//! it is written from (see [`Outgoing`](super::Outgoing)): a tool returning megabytes of
//! text costs one escape pass, not a detour through `serde_json::Value`. What 2026-07-28
//! adds to every result (`serverInfo` in `_meta`, default cache hints) is filled into the
//! typed value before that single pass, or, for a result without `_meta` of its own,
//! written right after it from text made once per server.

use std::sync::Arc;

use serde::Serialize;
use serde_json::value::RawValue;

use super::connection::Connection;
use super::outgoing::Encode;
use crate::meta::{Meta, keys};
use crate::revision::ForRevision;
use crate::types::{
    CacheScope, CallToolResult, CompleteResult, DiscoverResult, EmptyResult, GetPromptResult,
    InitializeResult, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult,
    ListToolsResult, ReadResourceResult,
};
use crate::version::ProtocolVersion;

/// A result type the engine sends: it can be shaped for a revision and has the members
/// the engine fills in.
pub(crate) trait Reply: ForRevision + Serialize + Send + 'static {
    /// The result's `_meta`.
    fn meta_mut(&mut self) -> &mut Option<Meta>;

    /// The cache hints (`ttlMs`, `cacheScope`) of the results that carry them.
    fn cache_hints(&mut self) -> Option<(&mut Option<u64>, &mut Option<CacheScope>)> {
        None
    }
}

impl Connection {
    /// Shapes `value` for revision `v`, ready to be serialized once where it is written.
    ///
    /// For 2026-07-28 it first adds what that revision expects on every result and the
    /// handler left unset: the server's identity, and on cacheable results the server's
    /// default cache hint.
    pub(crate) fn encode<T: Reply>(&self, mut value: T, v: ProtocolVersion) -> Box<dyn Encode> {
        if !v.is_legacy() {
            let options = &self.inner.shared.options;
            if let Some((ttl, scope)) = value.cache_hints() {
                ttl.get_or_insert_with(|| {
                    u64::try_from(options.cache_ttl.as_millis()).unwrap_or(u64::MAX)
                });
                scope.get_or_insert(options.cache_scope);
            }
            if let Some(meta) = value.meta_mut()
                && meta.get(keys::SERVER_INFO).is_none()
            {
                meta.insert(
                    keys::SERVER_INFO,
                    self.inner.shared.server_info(v).value.clone(),
                );
            }
        }
        value.adapt(v);
        if !v.is_legacy() && value.meta_mut().is_none() {
            // Most results have no `_meta` of their own: theirs is written after their
            // members, from text made once, instead of a copy of the map in each result.
            let info = Arc::clone(&self.inner.shared.server_info(v).json);
            return Box::new(WithServerInfo { value, info });
        }
        Box::new(value)
    }
}

/// A result without `_meta`, written with a `_meta` that holds only `serverInfo`.
struct WithServerInfo<T> {
    value: T,
    /// The `serverInfo` object's JSON text.
    info: Arc<str>,
}

impl<T: Serialize + Send> Encode for WithServerInfo<T> {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let start = out.len();
        crate::json::to_writer(out, &self.value)?;
        // Results are objects: reopen the closing brace to add the member.
        if out.get(start) != Some(&b'{') || out.pop() != Some(b'}') {
            out.truncate(start);
            return Err(serde::ser::Error::custom("a result must be a JSON object"));
        }
        if out.len() > start + 1 {
            out.push(b',');
        }
        out.extend_from_slice(b"\"_meta\":{\"");
        out.extend_from_slice(keys::SERVER_INFO.as_bytes());
        out.extend_from_slice(b"\":");
        out.extend_from_slice(self.info.as_bytes());
        out.extend_from_slice(b"}}");
        Ok(())
    }

    fn to_raw(&self) -> serde_json::Result<Box<RawValue>> {
        let mut out = Vec::new();
        self.write_json(&mut out)?;
        // Only JSON text was written: serde_json's output and the server's own info.
        let text = String::from_utf8(out).map_err(serde::ser::Error::custom)?;
        RawValue::from_string(text)
    }
}

impl Reply for EmptyResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
}

impl Reply for InitializeResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
}

impl Reply for CallToolResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
}

impl Reply for GetPromptResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
}

impl Reply for CompleteResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
}

impl Reply for ListToolsResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
    fn cache_hints(&mut self) -> Option<(&mut Option<u64>, &mut Option<CacheScope>)> {
        Some((&mut self.ttl_ms, &mut self.cache_scope))
    }
}

impl Reply for ListPromptsResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
    fn cache_hints(&mut self) -> Option<(&mut Option<u64>, &mut Option<CacheScope>)> {
        Some((&mut self.ttl_ms, &mut self.cache_scope))
    }
}

impl Reply for ListResourcesResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
    fn cache_hints(&mut self) -> Option<(&mut Option<u64>, &mut Option<CacheScope>)> {
        Some((&mut self.ttl_ms, &mut self.cache_scope))
    }
}

impl Reply for ListResourceTemplatesResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
    fn cache_hints(&mut self) -> Option<(&mut Option<u64>, &mut Option<CacheScope>)> {
        Some((&mut self.ttl_ms, &mut self.cache_scope))
    }
}

impl Reply for ReadResourceResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
    fn cache_hints(&mut self) -> Option<(&mut Option<u64>, &mut Option<CacheScope>)> {
        Some((&mut self.ttl_ms, &mut self.cache_scope))
    }
}

impl Reply for DiscoverResult {
    fn meta_mut(&mut self) -> &mut Option<Meta> {
        &mut self.meta
    }
    fn cache_hints(&mut self) -> Option<(&mut Option<u64>, &mut Option<CacheScope>)> {
        Some((&mut self.ttl_ms, &mut self.cache_scope))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn with_info<T: Serialize + Send>(value: T) -> WithServerInfo<T> {
        WithServerInfo {
            value,
            info: r#"{"name":"s","version":"1"}"#.into(),
        }
    }

    fn written(e: &dyn Encode) -> Value {
        let mut out = b"[".to_vec();
        e.write_json(&mut out).unwrap();
        let text = out.strip_prefix(b"[").unwrap();
        let value: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(
            value,
            serde_json::from_str::<Value>(e.to_raw().unwrap().get()).unwrap()
        );
        value
    }

    #[test]
    fn server_info_is_added_to_an_empty_result_and_after_other_members() {
        let info = json!({keys::SERVER_INFO: {"name": "s", "version": "1"}});
        assert_eq!(
            written(&with_info(EmptyResult::default())),
            json!({"_meta": info})
        );
        let result = CallToolResult::text("hi");
        let mut expected = serde_json::to_value(&result).unwrap();
        expected["_meta"] = info;
        assert_eq!(written(&with_info(result)), expected);
    }

    #[test]
    fn a_value_that_is_not_an_object_is_an_error_and_writes_nothing() {
        let mut out = b"x".to_vec();
        assert!(with_info("t").write_json(&mut out).is_err());
        assert_eq!(out, b"x");
        assert!(with_info(7).to_raw().is_err());
    }
}
