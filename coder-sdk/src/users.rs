//! Users: who is calling, and who else exists.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{OrganizationId, UserId};
use crate::serde_util::null_default;

/// A Coder user account, as returned by `GET /api/v2/users/{user}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// The user's id.
    pub id: UserId,
    /// The login name, used in paths and in `owner:` filters.
    pub username: String,
    /// The display name (may be empty).
    #[serde(default)]
    pub name: String,
    /// The e-mail address.
    #[serde(default)]
    pub email: String,
    /// When the account was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the account was last changed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// When the user was last active.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_seen_at: Option<OffsetDateTime>,
    /// Whether the account may log in.
    #[serde(default)]
    pub status: UserStatus,
    /// How the user authenticates.
    #[serde(default)]
    pub login_type: LoginType,
    /// Organizations the user belongs to; the first is what the CLI picks by default.
    #[serde(default, deserialize_with = "null_default")]
    pub organization_ids: Vec<OrganizationId>,
    /// Site and organization roles.
    #[serde(default, deserialize_with = "null_default")]
    pub roles: Vec<SlimRole>,
    /// Avatar image URL (may be empty).
    #[serde(default)]
    pub avatar_url: String,
    /// The dashboard theme the user chose.
    #[serde(default)]
    pub theme_preference: String,
    /// Whether this is a service account rather than a person.
    #[serde(default)]
    pub is_service_account: bool,
}

impl Default for User {
    fn default() -> Self {
        Self {
            id: UserId::default(),
            username: String::new(),
            name: String::new(),
            email: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
            last_seen_at: None,
            status: UserStatus::default(),
            login_type: LoginType::default(),
            organization_ids: Vec::new(),
            roles: Vec::new(),
            avatar_url: String::new(),
            theme_preference: String::new(),
            is_service_account: false,
        }
    }
}

/// The few user fields embedded in other objects (for example a template version's author).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinimalUser {
    /// The user's id.
    pub id: UserId,
    /// The login name.
    pub username: String,
    /// The display name.
    #[serde(default)]
    pub name: String,
    /// Avatar image URL.
    #[serde(default)]
    pub avatar_url: String,
}

/// A role as attached to a user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlimRole {
    /// The role's machine name (for example `owner`).
    pub name: String,
    /// The human-readable name.
    #[serde(default)]
    pub display_name: String,
    /// Set for organization roles; empty for site-wide roles.
    #[serde(default)]
    pub organization_id: String,
}

/// Whether a user account may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// The account works normally.
    #[default]
    Active,
    /// Inactive for long enough that it no longer counts as a seat.
    Dormant,
    /// Blocked by an administrator.
    Suspended,
    /// A status this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// How a user logs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginType {
    /// Not set (Coder sends an empty string).
    #[default]
    #[serde(rename = "")]
    Unset,
    /// Username and password.
    Password,
    /// GitHub OAuth.
    Github,
    /// OpenID Connect.
    Oidc,
    /// API tokens only.
    Token,
    /// Login disabled (for example service accounts).
    None,
    /// A login type this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// One page of `GET /api/v2/users`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GetUsersResponse {
    /// The users on this page.
    #[serde(default, deserialize_with = "null_default")]
    pub users: Vec<User>,
    /// The total number of users matching the filter (not only this page).
    #[serde(default)]
    pub count: i64,
}

/// Filter and pagination for [`Client::users`](crate::Client::users).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsersQuery {
    /// Coder search syntax, for example `status:active`.
    pub q: Option<String>,
    /// Page size; `None` or 0 means no limit.
    pub limit: Option<u32>,
    /// Zero-based offset of the first result.
    pub offset: Option<u32>,
}

impl UsersQuery {
    /// A query with no filter and no limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// Filters with Coder search syntax.
    #[must_use]
    pub fn with_q(mut self, q: impl Into<String>) -> Self {
        self.q = Some(q.into());
        self
    }

    /// Limits the page size.
    #[must_use]
    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Skips the first `offset` results.
    #[must_use]
    pub fn with_offset(mut self, offset: u32) -> Self {
        self.offset = Some(offset);
        self
    }
}

impl crate::Client {
    /// The authenticated user (`GET /api/v2/users/me`).
    pub async fn me(&self) -> crate::Result<User> {
        self.user("me").await
    }

    /// A user by username, id or `me` (`GET /api/v2/users/{user}`).
    pub async fn user(&self, user: impl AsRef<str>) -> crate::Result<User> {
        let url = self.endpoint(&["api", "v2", "users", user.as_ref()])?;
        self.get(url).await
    }

    /// A user by id.
    pub async fn user_by_id(&self, id: UserId) -> crate::Result<User> {
        self.user(id.to_string()).await
    }

    /// Users matching a filter (`GET /api/v2/users`).
    pub async fn users(&self, query: &UsersQuery) -> crate::Result<GetUsersResponse> {
        let mut url = self.endpoint(&["api", "v2", "users"])?;
        crate::client::push_query(&mut url, "q", query.q.as_deref());
        crate::client::push_query(&mut url, "limit", query.limit);
        crate::client::push_query(&mut url, "offset", query.offset);
        self.get(url).await
    }
}
