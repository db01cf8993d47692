//! Sealed `requestState` for 2026-07-28 multi-round-trip requests.
//!
//! A stateless server keeps what it learned in earlier rounds (the client's answers, the
//! handler's own notes) inside the `requestState` string it hands to the client. The client
//! must echo it back unchanged, so the string is authenticated with HMAC-SHA256: a tampered,
//! expired or foreign state (issued for another method, tool or argument set) is rejected.
//! Servers behind a load balancer share one [`SealingKey`] so any instance can open a state
//! another instance sealed.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::jsonrpc::ErrorObject;

type HmacSha256 = Hmac<Sha256>;

/// The secret that authenticates `requestState` strings.
///
/// Random per process unless given: pass the same bytes to every instance of a server that
/// sits behind a load balancer. Its bytes never appear in `Debug` output.
#[derive(Clone)]
pub struct SealingKey(Vec<u8>);

impl SealingKey {
    /// A fresh random 256-bit key.
    pub fn random() -> Self {
        let bytes: [u8; 32] = rand::random();
        Self(bytes.to_vec())
    }

    /// A key from secret bytes (at least 32 bytes of entropy are recommended).
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC accepts keys of any length, so this cannot fail.
        match HmacSha256::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => unreachable_hmac(),
        }
    }
}

#[cold]
fn unreachable_hmac() -> HmacSha256 {
    // `new_from_slice` only fails for fixed-size-key MACs; HMAC is not one. Fall back to an
    // empty key rather than panic should that ever change.
    <HmacSha256 as Mac>::new(&Default::default())
}

impl Default for SealingKey {
    fn default() -> Self {
        Self::random()
    }
}

impl fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealingKey(<redacted>)")
    }
}

/// Binds sealed states to who asked: a transport that knows the caller (the HTTP layer after
/// checking a bearer token) inserts one into the request's
/// [`Extensions`](crate::Extensions), and a state sealed for one caller is refused for any
/// other, so answers collected for one user can never be replayed by another.
#[derive(Clone, PartialEq, Eq)]
pub struct StateBinding(pub String);

impl fmt::Debug for StateBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The binding may be a user id; keep it out of logs.
        f.write_str("StateBinding(<redacted>)")
    }
}

/// What a sealed state remembers between rounds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct StatePayload {
    /// Format version.
    pub(crate) v: u8,
    /// The method the state was issued for.
    pub(crate) m: String,
    /// Hash of the request's identifying parameters (tool name and arguments, ...).
    pub(crate) h: String,
    /// Expiry, seconds since the Unix epoch.
    pub(crate) x: u64,
    /// Round counter: makes every round's state distinct.
    pub(crate) r: u32,
    /// The answers collected so far, by input key.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub(crate) a: Map<String, Value>,
    /// The handler's own state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) s: Option<Value>,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The expiry timestamp for a state issued now that lives `ttl`.
pub(crate) fn expiry_in(ttl: Duration) -> u64 {
    now_secs().saturating_add(ttl.as_secs().max(1))
}

/// Seals a payload into an opaque, authenticated string.
pub(crate) fn seal(key: &SealingKey, payload: &StatePayload) -> String {
    let json = serde_json::to_vec(payload).unwrap_or_default();
    let body = URL_SAFE_NO_PAD.encode(json);
    let mut mac = key.mac();
    mac.update(body.as_bytes());
    let tag = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{body}.{tag}")
}

/// Opens a sealed state, checking integrity, expiry and that it belongs to this request.
pub(crate) fn open(
    key: &SealingKey,
    token: &str,
    method: &str,
    binding: &str,
) -> Result<StatePayload, ErrorObject> {
    let bad = |why: &str| ErrorObject::invalid_params(format!("invalid requestState: {why}"));
    let (body, tag) = token
        .split_once('.')
        .ok_or_else(|| bad("not a state this server issued"))?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| bad("integrity check failed"))?;
    let mut mac = key.mac();
    mac.update(body.as_bytes());
    mac.verify_slice(&tag)
        .map_err(|_| bad("integrity check failed"))?;
    let json = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| bad("undecodable payload"))?;
    let payload: StatePayload =
        serde_json::from_slice(&json).map_err(|_| bad("undecodable payload"))?;
    if payload.v != 1 {
        return Err(bad("unknown format version"));
    }
    if payload.x < now_secs() {
        return Err(bad("expired; start the request again without requestState"));
    }
    if payload.m != method || payload.h != binding {
        return Err(bad(
            "it was issued for a different request (method, name or arguments differ)",
        ));
    }
    Ok(payload)
}

/// A stable hash of the request parameters that identify "the same request" across rounds:
/// everything except `_meta`, `inputResponses` and `requestState`, plus the caller's
/// [`StateBinding`] when the transport gave one.
pub(crate) fn binding_hash(params: &Value, caller: Option<&StateBinding>) -> String {
    let mut hasher = Sha256::new();
    if let Some(caller) = caller {
        hasher.update(b"caller\0");
        hasher.update(caller.0.as_bytes());
        hasher.update([0]);
    }
    if let Value::Object(map) = params {
        let mut keys: Vec<&String> = map
            .keys()
            .filter(|k| !matches!(k.as_str(), "_meta" | "inputResponses" | "requestState"))
            .collect();
        keys.sort();
        for k in keys {
            hasher.update(k.as_bytes());
            hasher.update([0]);
            canonical(&map[k], &mut hasher);
        }
    } else {
        canonical(params, &mut hasher);
    }
    URL_SAFE_NO_PAD.encode(hasher.finalize())
}

/// Feeds a JSON value into the hasher with object keys sorted, so key order never matters.
fn canonical(v: &Value, h: &mut Sha256) {
    match v {
        Value::Object(map) => {
            h.update(b"{");
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for k in keys {
                h.update(serde_json::to_string(k).unwrap_or_default().as_bytes());
                h.update(b":");
                canonical(&map[k], h);
                h.update(b",");
            }
            h.update(b"}");
        }
        Value::Array(items) => {
            h.update(b"[");
            for item in items {
                canonical(item, h);
                h.update(b",");
            }
            h.update(b"]");
        }
        other => h.update(other.to_string().as_bytes()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn binding_hash_of(v: &Value) -> String {
        binding_hash(v, None)
    }

    fn payload(method: &str, binding: &str) -> StatePayload {
        StatePayload {
            v: 1,
            m: method.into(),
            h: binding.into(),
            x: expiry_in(Duration::from_secs(60)),
            r: 1,
            a: Map::from_iter([("k".to_owned(), json!({"action": "accept"}))]),
            s: Some(json!({"step": 2})),
        }
    }

    #[test]
    fn round_trips_and_rejects_tampering() {
        let key = SealingKey::random();
        let h = binding_hash_of(&json!({"name": "t", "arguments": {"b": 1, "a": 2}}));
        let sealed = seal(&key, &payload("tools/call", &h));
        let opened = open(&key, &sealed, "tools/call", &h).expect("opens");
        assert_eq!(opened, payload("tools/call", &h));

        let tampered = format!("{sealed}-TAMPERED");
        assert!(open(&key, &tampered, "tools/call", &h).is_err());
        let other_key = SealingKey::random();
        assert!(open(&other_key, &sealed, "tools/call", &h).is_err());
        assert!(open(&key, &sealed, "prompts/get", &h).is_err());
        assert!(open(&key, "garbage", "tools/call", &h).is_err());
        let h2 = binding_hash_of(&json!({"name": "other", "arguments": {"a": 2, "b": 1}}));
        let err = open(&key, &sealed, "tools/call", &h2).unwrap_err();
        assert!(err.message.contains("different request"), "{}", err.message);
    }

    #[test]
    fn rejects_expired_states() {
        let key = SealingKey::from_bytes(b"0123456789abcdef0123456789abcdef".to_vec());
        let mut p = payload("tools/call", "h");
        p.x = now_secs() - 5;
        let err = open(&key, &seal(&key, &p), "tools/call", "h").unwrap_err();
        assert!(err.message.contains("expired"));
        assert_eq!(format!("{key:?}"), "SealingKey(<redacted>)");
    }

    #[test]
    fn binding_ignores_order_and_round_trip_fields() {
        let a = binding_hash_of(&json!({"name": "t", "arguments": {"x": [1, {"b": 1, "a": 2}]}}));
        let b = binding_hash_of(&json!({
            "arguments": {"x": [1, {"a": 2, "b": 1}]},
            "name": "t",
            "_meta": {"progressToken": 1},
            "inputResponses": {"k": {}},
            "requestState": "s",
        }));
        assert_eq!(a, b);
        assert_ne!(
            a,
            binding_hash_of(&json!({"name": "t", "arguments": {"x": [1]}}))
        );
    }
}
