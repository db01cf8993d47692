//! `completion/complete` for the arguments of `test_prompt_with_arguments`.

use mcp_protocol::types::{CompleteParams, CompleteResult, CompletionReference};

/// The values offered for each argument, filtered by what the user typed so far.
const CANDIDATES: &[&str] = &["hello", "help", "world", "wonder"];

/// Suggestions for `arg1`/`arg2` of `test_prompt_with_arguments` that start with the typed
/// value; nothing for anything else.
pub(super) fn complete(params: &CompleteParams) -> CompleteResult {
    let known = match &params.reference {
        CompletionReference::Prompt(p) => {
            p.name == "test_prompt_with_arguments"
                && matches!(params.argument.name.as_str(), "arg1" | "arg2")
        }
        _ => false,
    };
    let values = if known {
        CANDIDATES
            .iter()
            .filter(|c| c.starts_with(params.argument.value.as_str()))
            .map(|c| (*c).to_owned())
            .collect()
    } else {
        Vec::new()
    };
    CompleteResult::new(values)
}
