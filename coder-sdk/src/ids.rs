//! Strongly typed identifiers.
//!
//! Coder identifies almost everything with a UUID. Wrapping each kind in its own type lets the
//! compiler catch a template id passed where a workspace id was expected, while the JSON form
//! stays the plain UUID string Coder sends.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Declares a UUID newtype with the conversions every id needs.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Wraps a UUID that is already known to name this kind of object.
            pub const fn new(id: Uuid) -> Self {
                Self(id)
            }

            /// A fresh random (v4) id, handy for tests and for objects created client side.
            pub fn random() -> Self {
                Self(Uuid::new_v4())
            }

            /// The underlying UUID, for APIs that take a plain one.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

id_type!(
    /// Identifies a user (path segments also accept a username or `me`).
    UserId
);
id_type!(
    /// Identifies an organization.
    OrganizationId
);
id_type!(
    /// Identifies a workspace.
    WorkspaceId
);
id_type!(
    /// Identifies one build (start, stop or delete run) of a workspace.
    WorkspaceBuildId
);
id_type!(
    /// Identifies a Terraform resource produced by a build.
    WorkspaceResourceId
);
id_type!(
    /// Identifies the agent running inside a workspace.
    WorkspaceAgentId
);
id_type!(
    /// Identifies an app (`coder_app`) exposed by an agent.
    WorkspaceAppId
);
id_type!(
    /// Identifies a template.
    TemplateId
);
id_type!(
    /// Identifies one version of a template.
    TemplateVersionId
);
id_type!(
    /// Identifies a provisioner job (a template import or a workspace build run).
    ProvisionerJobId
);
id_type!(
    /// Identifies an uploaded file (Coder calls it the file's `hash`).
    FileId
);
id_type!(
    /// Identifies an AI task.
    TaskId
);
id_type!(
    /// Identifies a template version preset.
    PresetId
);
id_type!(
    /// Identifies a source of agent logs (a startup script, for example).
    LogSourceId
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn id_round_trips_as_plain_uuid_string() {
        let id: WorkspaceId = "6d6e0b8c-8d0e-4c4a-9d3b-1c3f7a0e2b11".parse().unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"6d6e0b8c-8d0e-4c4a-9d3b-1c3f7a0e2b11\"");
        let back: WorkspaceId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, id);
        assert_eq!(id.to_string(), "6d6e0b8c-8d0e-4c4a-9d3b-1c3f7a0e2b11");
    }

    #[test]
    fn id_rejects_non_uuid() {
        assert!("not-a-uuid".parse::<TemplateId>().is_err());
    }
}
