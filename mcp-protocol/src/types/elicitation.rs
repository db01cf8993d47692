//! Elicitation: the server asks the client's user for input (2025-06-18+).

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::meta::Meta;
use crate::revision::{ForRevision, adapt_meta};
use crate::types::common::JsonObject;
use crate::version::ProtocolVersion;

/// Params of `elicitation/create`: a form, or (2025-11-25+) a URL to open.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ElicitParams {
    /// Form mode: the client renders a form from a flat JSON schema.
    Form(ElicitFormParams),
    /// URL mode: the user completes the interaction out of band, in a browser.
    Url(ElicitUrlParams),
}

impl<'de> Deserialize<'de> for ElicitParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match value.get("mode").and_then(Value::as_str) {
            Some("url") => ElicitUrlParams::deserialize(&value)
                .map(Self::Url)
                .map_err(|e| D::Error::custom(format!("url elicitation: {e}"))),
            None | Some("form") => ElicitFormParams::deserialize(&value)
                .map(Self::Form)
                .map_err(|e| D::Error::custom(format!("form elicitation: {e}"))),
            Some(other) => Err(D::Error::custom(format!(
                "unknown elicitation mode {other:?}"
            ))),
        }
    }
}

impl ElicitParams {
    /// A form request.
    pub fn form(message: impl Into<String>, requested_schema: JsonObject) -> Self {
        Self::Form(ElicitFormParams {
            mode: None,
            message: message.into(),
            requested_schema,
            task: None,
            meta: None,
        })
    }

    /// A URL request (`elicitation_id` is needed by 2025-11-25 peers only).
    pub fn url(
        message: impl Into<String>,
        url: impl Into<String>,
        elicitation_id: Option<String>,
    ) -> Self {
        Self::Url(ElicitUrlParams {
            mode: UrlMode::Url,
            message: message.into(),
            url: url.into(),
            elicitation_id,
            task: None,
            meta: None,
        })
    }

    /// The message shown to the user.
    pub fn message(&self) -> &str {
        match self {
            Self::Form(f) => &f.message,
            Self::Url(u) => &u.message,
        }
    }
}

/// Form-mode params.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElicitFormParams {
    /// `"form"` when the sender wrote it (2025-11-25+; optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// What to ask the user.
    pub message: String,
    /// A flat object schema of primitive properties, kept as JSON so `$schema`, `default`,
    /// `oneOf` and the like survive.
    pub requested_schema: JsonObject,
    /// 2025-11-25 experimental tasks, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<JsonObject>,
    /// Request metadata (legacy revisions only).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// The `mode` of a URL elicitation: always `"url"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum UrlMode {
    /// `"url"`.
    #[default]
    #[serde(rename = "url")]
    Url,
}

/// URL-mode params (2025-11-25+).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElicitUrlParams {
    /// Always `"url"`.
    pub mode: UrlMode,
    /// Why the user should open the URL.
    pub message: String,
    /// The URL to open.
    pub url: String,
    /// 2025-11-25: the id `notifications/elicitation/complete` refers to (required there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elicitation_id: Option<String>,
    /// 2025-11-25 experimental tasks, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<JsonObject>,
    /// Request metadata (legacy revisions only).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// What the user did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElicitAction {
    /// Submitted (form: `content` holds the values).
    Accept,
    /// Said no.
    Decline,
    /// Dismissed without choosing.
    #[default]
    Cancel,
}

/// Result of `elicitation/create`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ElicitResult {
    /// What the user did.
    pub action: ElicitAction,
    /// The submitted values (form mode, `accept` only): strings, numbers, booleans or
    /// arrays of strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<BTreeMap<String, Value>>,
    /// Result metadata (legacy revisions only).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl ElicitResult {
    /// An accepted form with its values.
    pub fn accept(content: BTreeMap<String, Value>) -> Self {
        Self {
            action: ElicitAction::Accept,
            content: Some(content),
            meta: None,
        }
    }

    /// A declined request.
    pub fn decline() -> Self {
        Self {
            action: ElicitAction::Decline,
            ..Self::default()
        }
    }

    /// A dismissed request.
    pub fn cancel() -> Self {
        Self::default()
    }
}

/// Params of `notifications/elicitation/complete` (2025-11-25).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElicitationCompleteParams {
    /// The URL elicitation that finished.
    pub elicitation_id: String,
    /// Notification metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl ForRevision for ElicitParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        let (meta, task) = match self {
            Self::Form(f) => {
                if v < ProtocolVersion::V2025_11_25 {
                    f.mode = None;
                }
                (&mut f.meta, &mut f.task)
            }
            Self::Url(u) => {
                if v >= ProtocolVersion::V2026_07_28 {
                    u.elicitation_id = None;
                }
                (&mut u.meta, &mut u.task)
            }
        };
        if v != ProtocolVersion::V2025_11_25 {
            *task = None;
        }
        if v.is_legacy() {
            adapt_meta(meta, v);
        } else {
            *meta = None;
        }
    }
}

impl ForRevision for ElicitResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        if let Some(content) = &mut self.content {
            for value in content.values_mut() {
                fit_answer(value, v);
            }
        }
        if v.is_legacy() {
            adapt_meta(&mut self.meta, v);
        } else {
            self.meta = None;
        }
    }
}

/// Shapes one form answer into what the revisions allow: a string, a number, a boolean or
/// (2025-11-25+) an array of strings. Multi-select answers become one comma-separated
/// string before 2025-11-25; objects and nulls travel as their text.
///
/// Numbers stay numbers, fractional ones included. The generated `schema.json` files say
/// `integer` here, but the same schemas let a form ask for a `number` field (with a
/// fractional default), and the official conformance suite expects the number back; an
/// answer of `"95.5"` to a number field would break the servers that asked for it.
fn fit_answer(value: &mut Value, v: ProtocolVersion) {
    let text = |i: &Value| i.as_str().map_or_else(|| i.to_string(), str::to_owned);
    match value {
        Value::String(_) | Value::Bool(_) => {}
        Value::Number(_) => {}
        Value::Array(items) if v >= ProtocolVersion::V2025_11_25 => {
            for item in items.iter_mut().filter(|i| !i.is_string()) {
                *item = Value::String(text(item));
            }
        }
        Value::Array(items) => {
            let joined: Vec<String> = items.iter().map(text).collect();
            *value = Value::String(joined.join(", "));
        }
        other => *other = Value::String(text(other)),
    }
}

impl ForRevision for ElicitationCompleteParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_meta(&mut self.meta, v);
    }
}
