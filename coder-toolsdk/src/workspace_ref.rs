//! Parsing the workspace identifiers Coder's tools accept.

use std::fmt;

use uuid::Uuid;

/// A workspace (and optionally one of its agents) as a model names it.
///
/// Accepted forms, as in Coder: `ws`, `ws.agent`, `owner/ws`, `owner--ws`, `owner/ws.agent`,
/// `owner--ws.agent`, the Coder Connect form `agent.ws.owner` (exactly two dots, no `/` or
/// `--`), and a workspace UUID (optionally followed by `.agent`). The owner defaults to `me`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceRef {
    /// The owner: `me`, a username or a user id.
    pub owner: String,
    /// The workspace: a name or, when [`WorkspaceRef::id`] is set, its UUID as text.
    pub name: String,
    /// The workspace id, when the identifier was a UUID.
    pub id: Option<Uuid>,
    /// The agent, when one was named.
    pub agent: Option<String>,
}

impl WorkspaceRef {
    /// Parses an identifier.
    ///
    /// # Errors
    /// A message for the model when the identifier is empty or malformed.
    pub fn parse(input: &str) -> Result<Self, String> {
        let input = input.trim();
        if input.is_empty() {
            return Err("workspace name cannot be empty".into());
        }
        if input.chars().any(char::is_whitespace) {
            return Err(format!(
                "invalid workspace identifier {input:?}: it contains spaces"
            ));
        }
        // Coder Connect: agent.ws.owner.
        if !input.contains('/') && !input.contains("--") && input.matches('.').count() == 2 {
            let mut parts = input.split('.');
            let (agent, ws, owner) = (parts.next(), parts.next(), parts.next());
            if let (Some(agent), Some(ws), Some(owner)) = (agent, ws, owner) {
                return Self::build(owner, ws, Some(agent), input);
            }
        }
        let (owner, rest) = if let Some((owner, rest)) = input.split_once('/') {
            (owner, rest)
        } else if let Some((owner, rest)) = input.split_once("--") {
            (owner, rest)
        } else {
            ("me", input)
        };
        let (ws, agent) = match rest.split_once('.') {
            Some((ws, agent)) => (ws, Some(agent)),
            None => (rest, None),
        };
        Self::build(owner, ws, agent, input)
    }

    fn build(owner: &str, ws: &str, agent: Option<&str>, input: &str) -> Result<Self, String> {
        let bad = |what: &str| format!("invalid workspace identifier {input:?}: {what}");
        if owner.is_empty() {
            return Err(bad("the owner is empty"));
        }
        if ws.is_empty() {
            return Err(bad("the workspace name is empty"));
        }
        if ws.contains('/') || owner.contains('/') {
            return Err(bad("too many '/'"));
        }
        if let Some(a) = agent {
            if a.is_empty() {
                return Err(bad("the agent name after '.' is empty"));
            }
            if a.contains('.') || a.contains('/') {
                return Err(bad("the agent name contains '.' or '/'"));
            }
        }
        Ok(Self {
            owner: owner.to_owned(),
            name: ws.to_owned(),
            id: Uuid::parse_str(ws).ok(),
            agent: agent.map(str::to_owned),
        })
    }
}

impl fmt::Display for WorkspaceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bare form drops `me/`, unless the name or the agent holds `--`, which would
        // then read as an `owner--ws` separator.
        let ambiguous =
            self.name.contains("--") || self.agent.as_deref().is_some_and(|a| a.contains("--"));
        if self.owner != "me" || ambiguous {
            write!(f, "{}/", self.owner)?;
        }
        f.write_str(&self.name)?;
        if let Some(a) = &self.agent {
            write!(f, ".{a}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn display_keeps_the_owner_when_the_agent_holds_a_double_dash() {
        // Found by the workspace_ref fuzz target: `ws.agent--` read back as `owner--ws`.
        let r = WorkspaceRef::parse("me/ws.agent--x").unwrap();
        assert_eq!(r.to_string(), "me/ws.agent--x");
        assert_eq!(WorkspaceRef::parse(&r.to_string()).unwrap(), r);
    }

    fn p(s: &str) -> (String, String, Option<String>) {
        let r = WorkspaceRef::parse(s).unwrap();
        (r.owner, r.name, r.agent)
    }

    fn t(o: &str, w: &str, a: Option<&str>) -> (String, String, Option<String>) {
        (o.into(), w.into(), a.map(Into::into))
    }

    #[test]
    fn every_form_coder_accepts() {
        assert_eq!(p("dev"), t("me", "dev", None));
        assert_eq!(p("dev.main"), t("me", "dev", Some("main")));
        assert_eq!(p("alice/dev"), t("alice", "dev", None));
        assert_eq!(p("alice--dev"), t("alice", "dev", None));
        assert_eq!(p("alice/dev.main"), t("alice", "dev", Some("main")));
        assert_eq!(p("alice--dev.main"), t("alice", "dev", Some("main")));
        assert_eq!(p("main.dev.alice"), t("alice", "dev", Some("main")));
        assert_eq!(p("  dev  "), t("me", "dev", None));
        assert_eq!(p("my-ws"), t("me", "my-ws", None));
    }

    #[test]
    fn uuids_are_recognised() {
        let id = Uuid::new_v4();
        let r = WorkspaceRef::parse(&id.to_string()).unwrap();
        assert_eq!(r.id, Some(id));
        let r = WorkspaceRef::parse(&format!("{id}.main")).unwrap();
        assert_eq!((r.id, r.agent.as_deref()), (Some(id), Some("main")));
        assert_eq!(WorkspaceRef::parse("dev").unwrap().id, None);
    }

    #[test]
    fn malformed_identifiers_are_rejected_with_a_reason() {
        for bad in [
            "", "   ", "/dev", "alice/", "dev.", "a/b/c", "a b", "--dev", "x.y.z.w",
        ] {
            assert!(WorkspaceRef::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn display_round_trips() {
        for s in ["dev", "alice/dev.main", "dev.main"] {
            assert_eq!(WorkspaceRef::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(
            WorkspaceRef::parse("main.dev.alice").unwrap().to_string(),
            "alice/dev.main"
        );
    }
}
