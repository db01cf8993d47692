//! Turning a handler's typed result into the JSON text of the response.
//!
//! A result is serialized exactly once, straight from its typed form and into the buffer
//! it is written from (see [`Outgoing`](super::Outgoing)): a tool returning megabytes of
//! text costs one escape pass, not a detour through `serde_json::Value`. What 2026-07-28 adds to every result (`serverInfo` in `_meta`,
//! default cache hints) is filled into the typed value before that single pass.

use serde::Serialize;

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
            let meta = value.meta_mut().get_or_insert_with(Meta::new);
            if meta.get(keys::SERVER_INFO).is_none() {
                meta.insert(keys::SERVER_INFO, self.inner.shared.server_info(v).clone());
            }
        }
        value.adapt(v);
        Box::new(value)
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
