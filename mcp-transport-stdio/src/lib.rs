#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod error;
mod lines;
mod server;
mod std_streams;

pub use client::{DEFAULT_SHUTDOWN_STEP, IoClient, ServerCommand, StdioClient};
pub use error::{Error, Result};
pub use server::{DEFAULT_MAX_LINE_BYTES, DEFAULT_SHUTDOWN_GRACE, StdioServer, serve, serve_io};
pub use std_streams::{Stdin, Stdout, stdin, stdout};
