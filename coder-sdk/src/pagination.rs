//! Offset pagination shared by list endpoints.

/// Offset pagination (`limit`, `offset`) as Coder's list endpoints take it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pagination {
    /// Page size; `None` or 0 means no limit.
    pub limit: Option<u32>,
    /// Zero-based offset of the first result.
    pub offset: Option<u32>,
}

impl Pagination {
    /// No limit, from the start.
    pub fn new() -> Self {
        Self::default()
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
