//! An MCP client calling any server, over stdio (spawning it) or Streamable HTTP.
//!
//! ```sh
//! cargo run -p examples --example mcp_client -- stdio coder-mcp server --demo
//! cargo run -p examples --example mcp_client -- http http://127.0.0.1:8080/mcp
//! ```
//!
//! It negotiates the newest revision both sides speak (2026-07-28 first, then the
//! `initialize` handshake), lists the tools and calls the first one that takes no
//! required arguments.

use mcp_protocol::client::{Client, ClientOptions};
use mcp_protocol::types::{CallToolParams, PaginatedParams};
use mcp_transport_stdio::{ServerCommand, StdioClient};

async fn explore(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let tools = client.list_tools(PaginatedParams::default()).await?;
    eprintln!(
        "protocol {:?}, {} tools",
        client.protocol_version(),
        tools.tools.len()
    );
    let no_args = tools.tools.iter().find(|t| {
        t.input_schema
            .get("required")
            .and_then(|r| r.as_array())
            .is_none_or(Vec::is_empty)
    });
    if let Some(tool) = no_args {
        let result = client
            .call_tool(CallToolParams::new(
                tool.name.clone(),
                serde_json::Map::new(),
            ))
            .await?;
        eprintln!(
            "{} -> {}",
            tool.name,
            serde_json::to_string(&result.content)?
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((mode, rest)) if mode == "stdio" && !rest.is_empty() => {
            let command = ServerCommand::new(&rest[0]).args(&rest[1..]);
            let server = StdioClient::connect(&command, ClientOptions::default()).await?;
            explore(server.client()).await?;
            server.shutdown().await?;
        }
        Some((mode, [url])) if mode == "http" => {
            let client = mcp_transport_http::connect(url).await?;
            explore(&client).await?;
        }
        _ => eprintln!("usage: mcp_client stdio <command> [args...] | mcp_client http <url>"),
    }
    Ok(())
}
