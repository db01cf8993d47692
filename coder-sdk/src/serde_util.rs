//! Small serde helpers shared by the models.

use serde::{Deserialize, Deserializer};

/// Go encodes a nil slice or map as `null`; treat that like an empty one.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// Reads a Go `uuid.NullUUID`: Coder sends `null` or a UUID string, while its swagger
/// describes the struct form `{"uuid": "...", "valid": bool}`; all three are accepted.
pub(crate) fn null_uuid<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: From<uuid::Uuid>,
{
    use serde::Deserialize as _;
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Wire {
        Plain(Option<uuid::Uuid>),
        Struct {
            #[serde(default)]
            uuid: String,
            #[serde(default)]
            valid: bool,
        },
    }
    Ok(match Wire::deserialize(deserializer)? {
        Wire::Plain(id) => id.map(T::from),
        Wire::Struct { uuid, valid: true } => uuid.parse::<uuid::Uuid>().ok().map(T::from),
        Wire::Struct { .. } => None,
    })
}
