//! The annotation presets Coder's tools use, so hosts can group and gate tools the same way
//! they do with `coder exp mcp server`.
//!
//! All presets say `openWorldHint: false` (the tools only reach the configured Coder
//! deployment); use [`open_world`] for a tool that reaches arbitrary outside systems.

use mcp_protocol::types::ToolAnnotations;

/// Reads state and changes nothing; calling it again gives the same effect.
pub fn read_only() -> ToolAnnotations {
    preset(true, false, true)
}

/// Changes state without destroying data (creates, updates, sends).
pub fn mutation() -> ToolAnnotations {
    preset(false, false, false)
}

/// May destroy data or run arbitrary code; hosts should ask the user before calling it.
pub fn destructive() -> ToolAnnotations {
    preset(false, true, false)
}

/// Marks annotations as reaching outside systems (`openWorldHint: true`).
pub fn open_world(mut annotations: ToolAnnotations) -> ToolAnnotations {
    annotations.open_world_hint = Some(true);
    annotations
}

fn preset(read_only: bool, destructive: bool, idempotent: bool) -> ToolAnnotations {
    ToolAnnotations {
        title: None,
        read_only_hint: Some(read_only),
        destructive_hint: Some(destructive),
        idempotent_hint: Some(idempotent),
        open_world_hint: Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_match_coder() {
        let d = destructive();
        assert_eq!(
            (
                d.read_only_hint,
                d.destructive_hint,
                d.idempotent_hint,
                d.open_world_hint
            ),
            (Some(false), Some(true), Some(false), Some(false))
        );
        let r = read_only();
        assert_eq!(
            (r.read_only_hint, r.idempotent_hint),
            (Some(true), Some(true))
        );
        let m = mutation();
        assert_eq!(
            (m.read_only_hint, m.destructive_hint),
            (Some(false), Some(false))
        );
        assert_eq!(open_world(r).open_world_hint, Some(true));
    }
}
