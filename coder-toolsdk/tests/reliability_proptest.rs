//! Property tests of workspace identifier parsing (the invariants of the `workspace_ref`
//! fuzz target, in the normal test suite).
#![allow(clippy::unwrap_used)]

use coder_toolsdk::WorkspaceRef;
use proptest::prelude::*;

/// A name as Coder allows it: alphanumeric runs joined by single hyphens.
fn name() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_accepted_form_names_the_same_workspace(
        owner in name(),
        ws in name(),
        agent in proptest::option::of(name()),
    ) {
        let suffix = agent.as_ref().map(|a| format!(".{a}")).unwrap_or_default();
        let mut forms = vec![format!("{owner}/{ws}{suffix}"), format!("{owner}--{ws}{suffix}")];
        if let Some(a) = &agent {
            forms.push(format!("{a}.{ws}.{owner}"));
        }
        for form in forms {
            let r = WorkspaceRef::parse(&form).unwrap();
            prop_assert_eq!(&r.owner, &owner, "{}", form);
            prop_assert_eq!(&r.name, &ws, "{}", form);
            prop_assert_eq!(&r.agent, &agent, "{}", form);
            prop_assert_eq!(r.id, None);
            // The display form parses back to the same identifier.
            prop_assert_eq!(WorkspaceRef::parse(&r.to_string()).unwrap(), r);
        }
        let bare = WorkspaceRef::parse(&format!("{ws}{suffix}")).unwrap();
        prop_assert_eq!(bare.owner, "me");
        prop_assert_eq!(bare.name, ws);
    }

    #[test]
    fn uuids_are_recognized(bytes in any::<[u8; 16]>(), agent in proptest::option::of(name())) {
        let id = uuid::Uuid::from_bytes(bytes);
        let suffix = agent.as_ref().map(|a| format!(".{a}")).unwrap_or_default();
        let r = WorkspaceRef::parse(&format!("{id}{suffix}")).unwrap();
        prop_assert_eq!(r.id, Some(id));
        prop_assert_eq!(r.agent, agent);
    }

    #[test]
    fn any_input_gives_a_well_formed_answer(input in "\\PC{0,40}|[a-z./ -]{0,20}") {
        match WorkspaceRef::parse(&input) {
            Ok(r) => {
                prop_assert!(!r.owner.is_empty() && !r.name.is_empty());
                for part in [&r.owner, &r.name] {
                    prop_assert!(!part.chars().any(char::is_whitespace));
                    prop_assert!(!part.contains('/'));
                }
                if let Some(a) = &r.agent {
                    prop_assert!(!a.is_empty() && !a.contains('.') && !a.contains('/'));
                }
            }
            Err(message) => prop_assert!(!message.is_empty()),
        }
    }

    #[test]
    fn pathological_inputs_are_answered(c in "[-./a]", n in 1_usize..20_000) {
        // Long runs of separators: linear-time parsing, no backtracking blow-up.
        let input = c.repeat(n);
        let _ = WorkspaceRef::parse(&input);
    }
}

/// Found by the `workspace_ref` fuzz target: a name holding `--` under the default owner
/// displayed without `me/` and then read as `owner--ws`.
#[test]
fn display_of_a_name_with_double_hyphen_parses_back() {
    let r = WorkspaceRef::parse("me/--odd").unwrap();
    assert_eq!(WorkspaceRef::parse(&r.to_string()).unwrap(), r);
}
