//! Shared helpers for the example binaries and programs of the Coder MCP SDK.
