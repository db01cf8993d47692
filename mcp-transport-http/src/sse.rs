//! Server-Sent Events framing: encoding on the server, incremental parsing on the client.

use bytes::{Bytes, BytesMut};

/// One SSE event as the transport sends or receives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The `id:` field, used for resumption with `Last-Event-ID`.
    pub id: Option<String>,
    /// The `event:` field; MCP uses the default type (`message`).
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The `retry:` field in milliseconds.
    pub retry: Option<u64>,
}

impl SseEvent {
    /// An event carrying one JSON-RPC message.
    pub fn message(id: Option<String>, data: impl Into<String>) -> Self {
        Self {
            id,
            event: Some("message".to_owned()),
            data: data.into(),
            retry: None,
        }
    }

    /// The wire form, terminated by a blank line.
    pub fn encode(&self) -> Bytes {
        let mut out = String::with_capacity(self.data.len() + 48);
        if let Some(id) = &self.id {
            out.push_str("id: ");
            out.push_str(id);
            out.push('\n');
        }
        if let Some(retry) = self.retry {
            out.push_str(&format!("retry: {retry}\n"));
        }
        if let Some(event) = &self.event {
            out.push_str("event: ");
            out.push_str(event);
            out.push('\n');
        }
        // Every line of the payload becomes its own data line; an empty payload still
        // needs one (the priming event has empty data).
        for line in self.data.split('\n') {
            out.push_str("data: ");
            out.push_str(line.strip_suffix('\r').unwrap_or(line));
            out.push('\n');
        }
        out.push('\n');
        Bytes::from(out)
    }
}

/// A comment line that keeps an idle stream alive through proxies.
pub(crate) fn keep_alive() -> Bytes {
    Bytes::from_static(b":\n\n")
}

/// Only a `retry:` field: tells the client how long to wait before it resumes a stream the
/// server is about to close.
pub(crate) fn retry_only(ms: u64) -> Bytes {
    Bytes::from(format!("retry: {ms}\n\n"))
}

/// Splits a byte stream into SSE events, whatever the chunk boundaries.
#[derive(Debug, Default)]
pub struct SseParser {
    buf: BytesMut,
    current: SseEvent,
    has_data: bool,
    has_fields: bool,
    /// The last `id:` seen; kept across events as the SSE spec requires.
    pub last_event_id: Option<String>,
    /// The last `retry:` seen.
    pub retry: Option<u64>,
}

impl SseParser {
    /// An empty parser.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes and returns the events they complete. Events with neither data nor
    /// fields (comments, keep-alives) are skipped; events with an id and empty data (the
    /// priming event) are returned so callers can track ids.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        self.buf.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
            let line = self.buf.split_to(pos + 1);
            let mut line = &line[..pos];
            if let Some(stripped) = line.strip_suffix(b"\r") {
                line = stripped;
            }
            if line.is_empty() {
                if self.has_fields {
                    let mut ev = std::mem::take(&mut self.current);
                    if !self.has_data {
                        ev.data.clear();
                    }
                    events.push(ev);
                }
                self.has_data = false;
                self.has_fields = false;
                continue;
            }
            if line.starts_with(b":") {
                continue;
            }
            let text = String::from_utf8_lossy(line);
            let (field, value) = match text.split_once(':') {
                Some((f, v)) => (f.to_owned(), v.strip_prefix(' ').unwrap_or(v).to_owned()),
                None => (text.into_owned(), String::new()),
            };
            match field.as_str() {
                "data" => {
                    if self.has_data {
                        self.current.data.push('\n');
                    }
                    self.current.data.push_str(&value);
                    self.has_data = true;
                    self.has_fields = true;
                }
                "id" if !value.contains('\0') => {
                    self.last_event_id = Some(value.clone());
                    self.current.id = Some(value);
                    self.has_fields = true;
                }
                "event" => {
                    self.current.event = Some(value);
                    self.has_fields = true;
                }
                "retry" => {
                    if let Ok(ms) = value.parse() {
                        self.retry = Some(ms);
                        self.current.retry = Some(ms);
                        self.has_fields = true;
                    }
                }
                _ => {}
            }
        }
        events
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_across_arbitrary_chunks() {
        let a = SseEvent::message(Some("s1-0".into()), "");
        let b = SseEvent::message(Some("s1-1".into()), "{\"a\":1}\n{\"b\":2}");
        let mut wire = Vec::new();
        wire.extend_from_slice(&a.encode());
        wire.extend_from_slice(b":\n\n");
        wire.extend_from_slice(&b.encode());
        wire.extend_from_slice(&retry_only(500));
        for split in 0..wire.len() {
            let mut p = SseParser::new();
            let mut got = p.push(&wire[..split]);
            got.extend(p.push(&wire[split..]));
            assert_eq!(got.len(), 3, "split at {split}");
            assert_eq!(got[0].id.as_deref(), Some("s1-0"));
            assert_eq!(got[0].data, "");
            assert_eq!(got[1].data, "{\"a\":1}\n{\"b\":2}");
            assert_eq!(got[2].retry, Some(500));
            assert_eq!(p.last_event_id.as_deref(), Some("s1-1"));
            assert_eq!(p.retry, Some(500));
        }
    }

    #[test]
    fn handles_crlf() {
        let mut p = SseParser::new();
        let got = p.push(b"id: 7\r\ndata: x\r\n\r\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].data, "x");
    }
}
