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
