//! Organizations: the tenants templates and workspaces live in.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::OrganizationId;
use crate::serde_util::null_default;

/// A Coder organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    /// The organization's id.
    pub id: OrganizationId,
    /// The machine name, used in paths.
    pub name: String,
    /// The human-readable name.
    #[serde(default)]
    pub display_name: String,
    /// Free-form description.
    #[serde(default)]
    pub description: String,
    /// Icon URL or path.
    #[serde(default)]
    pub icon: String,
    /// Whether this is the deployment's default organization.
    #[serde(default)]
    pub is_default: bool,
    /// When the organization was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// Roles every new member gets.
    #[serde(default, deserialize_with = "null_default")]
    pub default_org_member_roles: Vec<String>,
}

impl Default for Organization {
    fn default() -> Self {
        Self {
            id: OrganizationId::default(),
            name: String::new(),
            display_name: String::new(),
            description: String::new(),
            icon: String::new(),
            is_default: false,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
            default_org_member_roles: Vec::new(),
        }
    }
}

impl crate::Client {
    /// Every organization the caller can see (`GET /api/v2/organizations`).
    pub async fn organizations(&self) -> crate::Result<Vec<Organization>> {
        let url = self.endpoint(&["api", "v2", "organizations"])?;
        self.get(url).await
    }

    /// An organization by id (`GET /api/v2/organizations/{organization}`).
    pub async fn organization(&self, id: OrganizationId) -> crate::Result<Organization> {
        self.organization_by_name(id.to_string()).await
    }

    /// An organization by name (coderd accepts a name where swagger documents the id, as
    /// Go's `OrganizationByName` relies on).
    pub async fn organization_by_name(&self, name: impl AsRef<str>) -> crate::Result<Organization> {
        let url = self.endpoint(&["api", "v2", "organizations", name.as_ref()])?;
        self.get(url).await
    }

    /// The organizations a user belongs to (`GET /api/v2/users/{user}/organizations`).
    pub async fn organizations_by_user(
        &self,
        user: impl AsRef<str>,
    ) -> crate::Result<Vec<Organization>> {
        let url = self.endpoint(&["api", "v2", "users", user.as_ref(), "organizations"])?;
        self.get(url).await
    }
}
