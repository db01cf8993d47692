//! Multi round-trip requests (2026-07-28): instead of calling the client back, the server
//! answers `input_required` with the requests it needs answered, and the client retries the
//! original request with `inputResponses`.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::meta::Meta;
use crate::method::names;
use crate::revision::{ForRevision, adapt_meta};
use crate::types::common::{RequestParams, ResultType};
use crate::types::elicitation::{ElicitParams, ElicitResult};
use crate::types::roots::ListRootsResult;
use crate::types::sampling::{CreateMessageParams, CreateMessageResult};
use crate::version::ProtocolVersion;

/// A request the server needs the client to answer: `{"method": ..., "params": ...}`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InputRequest {
    /// `sampling/createMessage`.
    CreateMessage(CreateMessageParams),
    /// `elicitation/create`.
    Elicit(ElicitParams),
    /// `roots/list`.
    ListRoots(RequestParams),
}

impl InputRequest {
    /// The method name.
    pub fn method(&self) -> &'static str {
        match self {
            Self::CreateMessage(_) => names::SAMPLING_CREATE_MESSAGE,
            Self::Elicit(_) => names::ELICITATION_CREATE,
            Self::ListRoots(_) => names::ROOTS_LIST,
        }
    }
}

#[derive(Serialize)]
struct OutRequest<'a, P> {
    method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<&'a P>,
}

impl Serialize for InputRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let method = self.method();
        match self {
            Self::CreateMessage(p) => OutRequest {
                method,
                params: Some(p),
            }
            .serialize(serializer),
            Self::Elicit(p) => OutRequest {
                method,
                params: Some(p),
            }
            .serialize(serializer),
            Self::ListRoots(p) => OutRequest {
                method,
                params: (p.meta.is_some()).then_some(p),
            }
            .serialize(serializer),
        }
    }
}

#[derive(Deserialize)]
struct InRequest {
    method: String,
    #[serde(default)]
    params: Option<Value>,
}

impl<'de> Deserialize<'de> for InputRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = InRequest::deserialize(deserializer)?;
        let params = r
            .params
            .unwrap_or_else(|| Value::Object(Default::default()));
        let err = |e: serde_json::Error| D::Error::custom(format!("{} params: {e}", r.method));
        match r.method.as_str() {
            names::SAMPLING_CREATE_MESSAGE => CreateMessageParams::deserialize(&params)
                .map(Self::CreateMessage)
                .map_err(err),
            names::ELICITATION_CREATE => ElicitParams::deserialize(&params)
                .map(Self::Elicit)
                .map_err(err),
            names::ROOTS_LIST => RequestParams::deserialize(&params)
                .map(Self::ListRoots)
                .map_err(err),
            other => Err(D::Error::custom(format!(
                "unknown input request method {other:?}"
            ))),
        }
    }
}

/// The client's answer to one [`InputRequest`]: the result of that request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum InputResponse {
    /// Answer to `sampling/createMessage`.
    CreateMessage(CreateMessageResult),
    /// Answer to `roots/list`.
    ListRoots(ListRootsResult),
    /// Answer to `elicitation/create`.
    Elicit(ElicitResult),
}

/// Input requests by key; the client answers each under the same key.
pub type InputRequests = BTreeMap<String, InputRequest>;

/// Answers by the key of the request they answer.
pub type InputResponses = BTreeMap<String, InputResponse>;

/// The `input_required` result: the server needs answers before it can finish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputRequiredResult {
    /// Always `input_required`.
    pub result_type: ResultType,
    /// What the client must answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_requests: Option<InputRequests>,
    /// Opaque state the client sends back unchanged with its retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_state: Option<String>,
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl Default for InputRequiredResult {
    fn default() -> Self {
        Self {
            result_type: ResultType::InputRequired,
            input_requests: None,
            request_state: None,
            meta: None,
        }
    }
}

impl InputRequiredResult {
    /// A result asking for the given inputs.
    pub fn new(input_requests: InputRequests, request_state: Option<String>) -> Self {
        Self {
            input_requests: Some(input_requests),
            request_state,
            ..Self::default()
        }
    }
}

impl ForRevision for InputRequest {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::CreateMessage(p) => p.adapt(v),
            Self::Elicit(p) => p.adapt(v),
            Self::ListRoots(p) => p.adapt(v),
        }
    }
}

impl ForRevision for InputResponse {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::CreateMessage(r) => r.adapt(v),
            Self::ListRoots(r) => r.adapt(v),
            Self::Elicit(r) => r.adapt(v),
        }
    }
}

impl ForRevision for InputRequiredResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        if let Some(reqs) = &mut self.input_requests {
            for r in reqs.values_mut() {
                r.adapt(v);
            }
        }
        adapt_meta(&mut self.meta, v);
    }
}

/// A 2026-07-28 result as a client reads it: the answer, or a request for more input.
///
/// Reading looks at `resultType` first, so an `input_required` answer to `tools/call` does
/// not fail for lack of `content`. A missing `resultType` means complete (older servers).
#[derive(Debug, Clone, PartialEq)]
pub enum MaybeInputRequired<T> {
    /// The final result.
    Complete(T),
    /// The server needs answers first; retry with `inputResponses` and `requestState`.
    InputRequired(InputRequiredResult),
}

impl<T: Serialize> Serialize for MaybeInputRequired<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Complete(t) => t.serialize(serializer),
            Self::InputRequired(r) => r.serialize(serializer),
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for MaybeInputRequired<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let input_required = value.get("resultType").and_then(Value::as_str)
            == Some(ResultType::InputRequired.as_str());
        if input_required {
            InputRequiredResult::deserialize(value)
                .map(Self::InputRequired)
                .map_err(D::Error::custom)
        } else {
            T::deserialize(value)
                .map(Self::Complete)
                .map_err(D::Error::custom)
        }
    }
}
