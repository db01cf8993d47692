//! Templates: the Terraform definitions workspaces are built from.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{OrganizationId, TemplateId, TemplateVersionId, UserId};

/// A template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    /// The template's id.
    pub id: TemplateId,
    /// The machine name (unique per organization).
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
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// The organization.
    #[serde(default)]
    pub organization_id: OrganizationId,
    /// The organization's name.
    #[serde(default)]
    pub organization_name: String,
    /// The organization's display name.
    #[serde(default)]
    pub organization_display_name: String,
    /// The version new workspaces use.
    pub active_version_id: TemplateVersionId,
    /// How many users used it recently.
    #[serde(default)]
    pub active_user_count: i64,
    /// Who created it.
    #[serde(default)]
    pub created_by_id: UserId,
    /// That user's username.
    #[serde(default)]
    pub created_by_name: String,
    /// `terraform`.
    #[serde(default)]
    pub provisioner: String,
    /// Default autostop delay in milliseconds.
    #[serde(default)]
    pub default_ttl_ms: i64,
    /// Whether it is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Why, when it is.
    #[serde(default)]
    pub deprecation_message: String,
    /// Whether workspaces must use the active version.
    #[serde(default)]
    pub require_active_version: bool,
    /// Whether users may cancel build jobs.
    #[serde(default)]
    pub allow_user_cancel_workspace_jobs: bool,
    /// Whether users may set autostart.
    #[serde(default)]
    pub allow_user_autostart: bool,
    /// Whether users may set autostop.
    #[serde(default)]
    pub allow_user_autostop: bool,
}

impl Default for Template {
    fn default() -> Self {
        Self {
            id: TemplateId::default(),
            name: String::new(),
            display_name: String::new(),
            description: String::new(),
            icon: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
            organization_id: OrganizationId::default(),
            organization_name: String::new(),
            organization_display_name: String::new(),
            active_version_id: TemplateVersionId::default(),
            active_user_count: 0,
            created_by_id: UserId::default(),
            created_by_name: String::new(),
            provisioner: String::new(),
            default_ttl_ms: 0,
            deprecated: false,
            deprecation_message: String::new(),
            require_active_version: false,
            allow_user_cancel_workspace_jobs: false,
            allow_user_autostart: false,
            allow_user_autostop: false,
        }
    }
}

/// Body of `POST /api/v2/organizations/{organization}/templates`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTemplateRequest {
    /// The machine name.
    pub name: String,
    /// The version that becomes active; it must have imported successfully.
    pub template_version_id: TemplateVersionId,
    /// The human-readable name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub display_name: String,
    /// Free-form description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Icon URL or path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub icon: String,
    /// Default autostop delay in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_ttl_ms: Option<i64>,
}

impl CreateTemplateRequest {
    /// A template named `name` whose active version is `version_id`.
    pub fn new(name: impl Into<String>, version_id: TemplateVersionId) -> Self {
        Self {
            name: name.into(),
            template_version_id: version_id,
            ..Self::default()
        }
    }

    /// Sets the display name.
    #[must_use]
    pub fn with_display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = display_name.into();
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Sets the icon.
    #[must_use]
    pub fn with_icon(mut self, icon: impl Into<String>) -> Self {
        self.icon = icon.into();
        self
    }
}

/// Body of `PATCH /api/v2/templates/{template}/versions`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateActiveTemplateVersion {
    /// The version to promote.
    pub id: TemplateVersionId,
}

/// Filter for [`Client::templates`](crate::Client::templates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateFilter {
    /// Coder search syntax, for example `name:docker` or `organization:acme`.
    pub q: Option<String>,
}

impl TemplateFilter {
    /// Every template the caller can see.
    pub fn new() -> Self {
        Self::default()
    }

    /// Filters with Coder search syntax.
    #[must_use]
    pub fn with_q(mut self, q: impl Into<String>) -> Self {
        self.q = Some(q.into());
        self
    }
}

impl crate::Client {
    /// Templates matching a filter, across organizations (`GET /api/v2/templates`).
    pub async fn templates(&self, filter: &TemplateFilter) -> crate::Result<Vec<Template>> {
        let mut url = self.endpoint(&["api", "v2", "templates"])?;
        crate::client::push_query(&mut url, "q", filter.q.as_deref());
        self.get(url).await
    }

    /// A template by id (`GET /api/v2/templates/{template}`).
    pub async fn template(&self, id: TemplateId) -> crate::Result<Template> {
        let url = self.endpoint(&["api", "v2", "templates", &id.to_string()])?;
        self.get(url).await
    }

    /// Creates a template from an imported version
    /// (`POST /api/v2/organizations/{organization}/templates`).
    pub async fn create_template(
        &self,
        organization: OrganizationId,
        request: &CreateTemplateRequest,
    ) -> crate::Result<Template> {
        let url = self.endpoint(&[
            "api",
            "v2",
            "organizations",
            &organization.to_string(),
            "templates",
        ])?;
        self.send_json(http::Method::POST, url, request).await
    }

    /// Deletes a template; fails while workspaces use it (`DELETE /api/v2/templates/{template}`).
    pub async fn delete_template(&self, id: TemplateId) -> crate::Result<()> {
        let url = self.endpoint(&["api", "v2", "templates", &id.to_string()])?;
        self.send_empty(http::Method::DELETE, url, crate::client::Body::Empty)
            .await
    }

    /// Makes a version the one new workspaces use
    /// (`PATCH /api/v2/templates/{template}/versions`).
    pub async fn update_active_template_version(
        &self,
        template: TemplateId,
        version: TemplateVersionId,
    ) -> crate::Result<()> {
        let url = self.endpoint(&["api", "v2", "templates", &template.to_string(), "versions"])?;
        let body = crate::client::Body::json(&UpdateActiveTemplateVersion { id: version })?;
        self.send_empty(http::Method::PATCH, url, body).await
    }

    /// The versions of a template (`GET /api/v2/templates/{template}/versions`).
    pub async fn template_versions_by_template(
        &self,
        template: TemplateId,
        page: &crate::Pagination,
    ) -> crate::Result<Vec<crate::TemplateVersion>> {
        let mut url =
            self.endpoint(&["api", "v2", "templates", &template.to_string(), "versions"])?;
        crate::client::push_query(&mut url, "limit", page.limit);
        crate::client::push_query(&mut url, "offset", page.offset);
        self.get(url).await
    }
}
