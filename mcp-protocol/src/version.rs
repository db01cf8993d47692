//! Protocol revisions and the eras they belong to.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A revision of the Model Context Protocol.
///
/// Ordered by date, so `v >= ProtocolVersion::V2025_06_18` reads as "has the features of
/// 2025-06-18". Revisions this crate does not know are rejected at the edge (during
/// negotiation) rather than carried around, which keeps every `match` on it exhaustive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ProtocolVersion {
    /// The first public revision.
    V2024_11_05,
    /// Streamable HTTP, OAuth 2.1, batching, tool annotations, audio content.
    V2025_03_26,
    /// Structured tool output, elicitation, `resource_link`, `title`; batching removed.
    V2025_06_18,
    /// The last revision with the `initialize` handshake: icons, URL elicitation, tasks.
    V2025_11_25,
    /// The stateless revision: `server/discover`, per-request `_meta`, `input_required`.
    V2026_07_28,
}

/// Whether a revision uses the `initialize` handshake or per-request metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Era {
    /// 2024-11-05 to 2025-11-25: `initialize`, sessions, server-to-client requests.
    Legacy,
    /// 2026-07-28 and later: no handshake; version and capabilities travel in each request.
    Modern,
}

impl ProtocolVersion {
    /// Every revision this crate speaks, oldest first.
    pub const ALL: [Self; 5] = [
        Self::V2024_11_05,
        Self::V2025_03_26,
        Self::V2025_06_18,
        Self::V2025_11_25,
        Self::V2026_07_28,
    ];

    /// The newest revision.
    pub const LATEST: Self = Self::V2026_07_28;

    /// The newest revision that uses the `initialize` handshake.
    pub const LATEST_LEGACY: Self = Self::V2025_11_25;

    /// The revision a Streamable HTTP server assumes when a legacy client sends no
    /// `MCP-Protocol-Version` header.
    pub const HTTP_DEFAULT: Self = Self::V2025_03_26;

    /// The revision string as it appears on the wire, e.g. `"2025-11-25"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V2024_11_05 => "2024-11-05",
            Self::V2025_03_26 => "2025-03-26",
            Self::V2025_06_18 => "2025-06-18",
            Self::V2025_11_25 => "2025-11-25",
            Self::V2026_07_28 => "2026-07-28",
        }
    }

    /// The era this revision belongs to.
    pub const fn era(self) -> Era {
        match self {
            Self::V2026_07_28 => Era::Modern,
            _ => Era::Legacy,
        }
    }

    /// True for revisions that use the `initialize` handshake.
    pub const fn is_legacy(self) -> bool {
        matches!(self.era(), Era::Legacy)
    }

    /// The revision strings of every supported revision, newest first, as
    /// `UnsupportedProtocolVersion` errors list them.
    pub fn supported_strings() -> Vec<&'static str> {
        Self::ALL.iter().rev().map(|v| v.as_str()).collect()
    }
}

impl fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a revision string this crate does not speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported protocol version {0:?}")]
pub struct UnknownVersion(pub String);

impl FromStr for ProtocolVersion {
    type Err = UnknownVersion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownVersion(s.to_owned()))
    }
}

impl Serialize for ProtocolVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProtocolVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_orders() {
        for v in ProtocolVersion::ALL {
            assert_eq!(v.as_str().parse::<ProtocolVersion>(), Ok(v));
        }
        assert!(ProtocolVersion::V2026_07_28 > ProtocolVersion::V2025_11_25);
        assert_eq!(ProtocolVersion::LATEST.era(), Era::Modern);
        assert!(ProtocolVersion::LATEST_LEGACY.is_legacy());
        assert!("2023-01-01".parse::<ProtocolVersion>().is_err());
    }
}
