//! [`StructuredContent`]: the JSON of a tool result's `structuredContent`.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// The `structuredContent` of a [`CallToolResult`](crate::types::CallToolResult): JSON held
/// either as a [`Value`] tree or as text that is already serialized.
///
/// Why two forms: a server that has a typed result (a Rust struct) needs its JSON twice,
/// as `structuredContent` and as the text block for clients that read only text. Going
/// through a `Value` means building a tree, writing it out for the text, writing it out
/// again for the wire and freeing it. [`from_serialize`](Self::from_serialize) writes the
/// JSON once; the text block copies that text and the wire gets it verbatim. A `Value` is
/// still the easy way in (`json!(..).into()`) and what a client reads back after parsing.
///
/// ```
/// use mcp_protocol::types::StructuredContent;
/// use serde_json::json;
///
/// #[derive(serde::Serialize)]
/// struct Weather { city: &'static str, celsius: i32 }
///
/// let typed = StructuredContent::from_serialize(&Weather { city: "Oslo", celsius: -3 })?;
/// assert_eq!(typed.json(), r#"{"city":"Oslo","celsius":-3}"#);
/// assert!(typed.is_object());
///
/// let tree = StructuredContent::from(json!({"city": "Oslo", "celsius": -3}));
/// assert_eq!(typed, tree);
/// assert_eq!(typed.to_value()?["celsius"], -3);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct StructuredContent(Repr);

#[derive(Clone)]
enum Repr {
    Value(Value),
    Raw(Box<RawValue>),
}

impl StructuredContent {
    /// Serializes a value once, keeping the JSON text; the cheap way to carry a typed result.
    ///
    /// # Errors
    /// When `value` cannot be written as JSON (a map with non-string keys, a failing
    /// `Serialize` impl).
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Self> {
        serde_json::value::to_raw_value(value).map(Self::from)
    }

    /// The JSON as a tree, when it was given as one (and after deserializing); `None` for
    /// serialized text (use [`to_value`](Self::to_value) to parse it).
    pub fn as_value(&self) -> Option<&Value> {
        match &self.0 {
            Repr::Value(v) => Some(v),
            Repr::Raw(_) => None,
        }
    }

    /// The JSON as a tree: a clone of the tree, or the text parsed.
    ///
    /// # Errors
    /// When serialized text does not parse back into a `Value` (nesting deeper than
    /// `serde_json`'s recursion limit of 128).
    pub fn to_value(&self) -> serde_json::Result<Value> {
        match &self.0 {
            Repr::Value(v) => Ok(v.clone()),
            Repr::Raw(r) => serde_json::from_str(r.get()),
        }
    }

    /// The JSON as a tree, without a clone when it is one.
    ///
    /// # Errors
    /// As for [`to_value`](Self::to_value).
    pub fn into_value(self) -> serde_json::Result<Value> {
        match self.0 {
            Repr::Value(v) => Ok(v),
            Repr::Raw(r) => serde_json::from_str(r.get()),
        }
    }

    /// The compact JSON text: borrowed when already serialized, written out otherwise.
    pub fn json(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Value(v) => Cow::Owned(compact(v)),
            Repr::Raw(r) => Cow::Borrowed(r.get()),
        }
    }

    /// The compact JSON text as an owned string (a copy of the text, or the tree written
    /// out); what a text block carrying the same result needs.
    pub fn to_json_string(&self) -> String {
        self.json().into_owned()
    }

    /// True when the JSON is an object: before 2026-07-28 `structuredContent` must be one.
    pub fn is_object(&self) -> bool {
        match &self.0 {
            Repr::Value(v) => v.is_object(),
            Repr::Raw(r) => r.get().trim_start().starts_with('{'),
        }
    }
}

/// Writes a tree as compact JSON. `to_string` writes into one buffer (`Value`'s `Display`
/// goes through the formatter piece by piece, about twice as slow); it cannot fail for a
/// `Value` (string keys only), but the fallback keeps that from being a panic.
fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}

impl From<Value> for StructuredContent {
    fn from(value: Value) -> Self {
        Self(Repr::Value(value))
    }
}

impl From<Box<RawValue>> for StructuredContent {
    fn from(raw: Box<RawValue>) -> Self {
        Self(Repr::Raw(raw))
    }
}

impl Serialize for StructuredContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Value(v) => v.serialize(serializer),
            Repr::Raw(r) => r.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for StructuredContent {
    /// Always a tree: what a client reads from the wire it wants to look into.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self::from)
    }
}

impl PartialEq for StructuredContent {
    /// Equal when the JSON is: text is compared as text first, then parsed (so key order
    /// and spacing do not matter). Text that does not parse equals nothing but itself.
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Value(a), Repr::Value(b)) => a == b,
            (Repr::Raw(a), Repr::Raw(b)) if a.get() == b.get() => true,
            (Repr::Value(v), Repr::Raw(_)) => other.to_value().is_ok_and(|o| *v == o),
            (Repr::Raw(_), Repr::Value(v)) => self.to_value().is_ok_and(|s| s == *v),
            (Repr::Raw(_), Repr::Raw(_)) => match (self.to_value(), other.to_value()) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            },
        }
    }
}

impl PartialEq<Value> for StructuredContent {
    fn eq(&self, other: &Value) -> bool {
        match &self.0 {
            Repr::Value(v) => v == other,
            Repr::Raw(_) => self.to_value().is_ok_and(|v| v == *other),
        }
    }
}

impl fmt::Debug for StructuredContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Value(v) => f.debug_tuple("StructuredContent").field(v).finish(),
            Repr::Raw(r) => f.debug_tuple("StructuredContent").field(&r.get()).finish(),
        }
    }
}

impl fmt::Display for StructuredContent {
    /// The compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Value(v) => fmt::Display::fmt(v, f),
            Repr::Raw(r) => f.write_str(r.get()),
        }
    }
}
