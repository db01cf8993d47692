//! A reply on its way out, with its result still typed.

use std::fmt;

use serde::Serialize;
use serde_json::value::RawValue;

use crate::jsonrpc::{ErrorObject, ErrorResponse, JsonRpcVersion, Message, RequestId, Response};

/// A typed result, serialized only where it is written.
pub(crate) trait Encode: Send {
    /// Appends the JSON text of the value to `out`.
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()>;

    /// The JSON text of the value, on its own.
    fn to_raw(&self) -> serde_json::Result<Box<RawValue>>;
}

impl<T: Serialize + Send> Encode for T {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        crate::json::to_writer(out, self)
    }

    fn to_raw(&self) -> serde_json::Result<Box<RawValue>> {
        serde_json::value::to_raw_value(self)
    }
}

/// What [`Connection::respond`](super::Connection::respond) returns: a message to send,
/// whose result (for a response) has not been serialized yet.
///
/// A transport that writes to a byte stream calls [`write_json`](Self::write_json) into a
/// buffer it reuses, so a large tool result is serialized once, straight into that buffer:
/// no intermediate JSON text, no fresh megabyte-sized allocation per call. Anything else
/// takes [`into_message`](Self::into_message).
pub struct Outgoing(Kind);

enum Kind {
    Message(Message),
    Result {
        id: RequestId,
        result: Box<dyn Encode>,
    },
}

impl Outgoing {
    pub(crate) fn result(id: RequestId, result: Box<dyn Encode>) -> Self {
        Self(Kind::Result { id, result })
    }

    /// The message, unless this is a response whose result is still typed (a success).
    /// Lets a transport look at errors (to pick an HTTP status, say) without serializing.
    pub fn as_message(&self) -> Option<&Message> {
        match &self.0 {
            Kind::Message(m) => Some(m),
            Kind::Result { .. } => None,
        }
    }

    /// Appends the message's JSON text (no newline) to `out`; on error `out` is left as it
    /// was.
    ///
    /// A result that fails to serialize (a handler type whose `Serialize` errors) is
    /// replaced by a JSON-RPC internal error for the same request, so the peer is always
    /// answered; the error is only returned for a plain message that cannot be written.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let start = out.len();
        let written = match &self.0 {
            Kind::Message(m) => crate::json::to_writer(out, m),
            Kind::Result { id, result } => {
                out.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
                crate::json::to_writer(out, id)?;
                out.extend_from_slice(br#","result":"#);
                match result.write_json(out) {
                    Ok(()) => {
                        out.push(b'}');
                        Ok(())
                    }
                    Err(e) => {
                        out.truncate(start);
                        crate::json::to_writer(out, &failed(id.clone(), &e))
                    }
                }
            }
        };
        if written.is_err() {
            out.truncate(start);
        }
        written
    }

    /// The message, with its result serialized.
    pub fn into_message(self) -> Message {
        match self.0 {
            Kind::Message(m) => m,
            Kind::Result { id, result } => match result.to_raw() {
                Ok(result) => Message::Response(Response {
                    jsonrpc: JsonRpcVersion,
                    id,
                    result,
                }),
                Err(e) => Message::Error(failed(id, &e)),
            },
        }
    }
}

/// The answer sent in place of a result that could not be serialized.
fn failed(id: RequestId, e: &serde_json::Error) -> ErrorResponse {
    ErrorResponse::new(Some(id), ErrorObject::internal(format!("result: {e}")))
}

impl From<Message> for Outgoing {
    fn from(m: Message) -> Self {
        Self(Kind::Message(m))
    }
}

impl fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Message(m) => f.debug_tuple("Outgoing").field(m).finish(),
            Kind::Result { id, .. } => f
                .debug_struct("Outgoing")
                .field("id", id)
                .finish_non_exhaustive(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// A result whose serialization fails, as a handler type with a custom `Serialize` may.
    struct Broken;

    impl Serialize for Broken {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("broken on purpose"))
        }
    }

    fn written(out: &Outgoing) -> Value {
        let mut buf = b"prefix ".to_vec();
        out.write_json(&mut buf).unwrap();
        let text = buf.strip_prefix(b"prefix ").unwrap();
        serde_json::from_slice(text).unwrap()
    }

    #[test]
    fn a_typed_result_is_written_as_a_response_and_converts_to_the_same_message() {
        let out = Outgoing::result(RequestId::from(7), Box::new(json!({"ok": true})));
        assert!(out.as_message().is_none());
        let expected = json!({"jsonrpc": "2.0", "id": 7, "result": {"ok": true}});
        assert_eq!(written(&out), expected);
        assert_eq!(serde_json::to_value(out.into_message()).unwrap(), expected);
    }

    #[test]
    fn a_result_that_cannot_be_serialized_becomes_an_internal_error() {
        let out = Outgoing::result(RequestId::from("a"), Box::new(Broken));
        let v = written(&out);
        assert_eq!(v["id"], "a");
        assert_eq!(v["error"]["code"], -32603);
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("broken on purpose")
        );
        let Message::Error(e) = out.into_message() else {
            panic!("expected an error response")
        };
        assert_eq!(e.id, Some(RequestId::from("a")));
    }

    #[test]
    fn plain_messages_pass_through() {
        let m = Message::Error(ErrorResponse::new(None, ErrorObject::invalid_request("x")));
        let out = Outgoing::from(m.clone());
        assert!(matches!(out.as_message(), Some(Message::Error(_))));
        assert_eq!(written(&out), serde_json::to_value(&m).unwrap());
    }
}
