//! Workspace identifier parsing (`owner/ws.agent`, `owner--ws`, `agent.ws.owner`, UUIDs).
//!
//! Invariants: never panics; a parsed identifier has a non-empty owner and name without
//! whitespace or `/`, an agent (when named) that is non-empty without `.` or `/`; an
//! identifier parsed from a UUID carries that UUID (in any letter case); parsing is deterministic.
#![no_main]

use coder_toolsdk::WorkspaceRef;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let parsed = WorkspaceRef::parse(&input);
    assert_eq!(parsed, WorkspaceRef::parse(&input), "deterministic");
    let Ok(r) = parsed else {
        return;
    };
    assert!(!r.owner.is_empty() && !r.name.is_empty(), "{r:?}");
    for part in [&r.owner, &r.name] {
        assert!(!part.chars().any(char::is_whitespace), "{r:?}");
        assert!(!part.contains('/'), "{r:?}");
    }
    if let Some(agent) = &r.agent {
        assert!(
            !agent.is_empty() && !agent.contains('.') && !agent.contains('/'),
            "{r:?}"
        );
    }
    if let Some(id) = r.id {
        // The name keeps the text as given (any letter case, hyphenated or simple form).
        assert_eq!(uuid::Uuid::parse_str(&r.name).ok(), Some(id), "{r:?}");
    }
    // The display form always parses again.
    let shown = r.to_string();
    assert!(WorkspaceRef::parse(&shown).is_ok(), "{shown:?} from {r:?}");
});
