//! Helpers shared by the integration tests.
// Each test binary uses a different subset of the helpers.
#![allow(dead_code)]

pub(crate) mod schema;
