//! The small binary payloads the fixtures return: a 1x1 PNG and a short WAV clip.
//!
//! The suites only check that the data is present and labelled with the right MIME type,
//! but real, decodable files keep clients that do decode them happy.

/// A 1x1 red PNG, base64.
pub const PNG_BASE64: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

/// Its MIME type.
pub const PNG_MIME: &str = "image/png";

/// Sixteen samples of silence, 8 kHz mono 8-bit PCM, base64.
pub const WAV_BASE64: &str =
    "UklGRjQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YRAAAACAgICAgICAgICAgICAgICA";

/// Its MIME type.
pub const WAV_MIME: &str = "audio/wav";
