//! Application code of the `coder-mcp` binary and the example programs: what is specific to
//! these programs and not worth a library of its own.

pub mod app;
pub mod configure;
pub mod conformance;
