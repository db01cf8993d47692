//! A small type map that carries transport-provided values (such as the authenticated
//! principal) into request handlers without the engine knowing their types.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Values keyed by their type, shared cheaply between the transport and handlers.
///
/// Transports insert what only they know (the HTTP layer inserts the bearer-token principal,
/// for example); handlers read it back with [`Extensions::get`]. Values are reference
/// counted, so cloning the map never clones the values.
#[derive(Clone, Default)]
pub struct Extensions {
    map: HashMap<TypeId, Arc<dyn Any + Send + Sync>>,
}

impl Extensions {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `value`, replacing (and returning) an earlier value of the same type.
    pub fn insert<T: Any + Send + Sync>(&mut self, value: T) -> Option<Arc<T>> {
        self.map
            .insert(TypeId::of::<T>(), Arc::new(value))
            .and_then(|old| old.downcast::<T>().ok())
    }

    /// The value of type `T`, if one was inserted.
    pub fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.map
            .get(&TypeId::of::<T>())
            .and_then(|v| v.downcast_ref::<T>())
    }

    /// The value of type `T` as a shared pointer, for keeping it beyond the request.
    pub fn get_arc<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.map
            .get(&TypeId::of::<T>())
            .and_then(|v| Arc::clone(v).downcast::<T>().ok())
    }

    /// Removes the value of type `T`.
    pub fn remove<T: Any + Send + Sync>(&mut self) -> Option<Arc<T>> {
        self.map
            .remove(&TypeId::of::<T>())
            .and_then(|v| v.downcast::<T>().ok())
    }

    /// True when nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The number of stored values.
    pub fn len(&self) -> usize {
        self.map.len()
    }
}

impl fmt::Debug for Extensions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secrets (principals, tokens): only their count is shown.
        f.debug_struct("Extensions")
            .field("len", &self.map.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Principal(&'static str);

    #[test]
    fn stores_by_type() {
        let mut ext = Extensions::new();
        assert!(ext.get::<Principal>().is_none());
        assert!(ext.insert(Principal("alice")).is_none());
        assert_eq!(ext.get::<Principal>(), Some(&Principal("alice")));
        let old = ext.insert(Principal("bob"));
        assert_eq!(old.as_deref(), Some(&Principal("alice")));
        ext.insert(7_u32);
        assert_eq!(ext.len(), 2);
        let copy = ext.clone();
        assert_eq!(copy.get_arc::<u32>().as_deref(), Some(&7));
        assert!(ext.remove::<Principal>().is_some());
        assert!(ext.get::<Principal>().is_none());
        assert_eq!(format!("{ext:?}"), "Extensions { len: 1 }");
    }
}
