//! `coder-mcp`: the Coder MCP server (placeholder until the transports land).

fn main() {
    eprintln!("coder-mcp: the server arrives with the transports; see the README");
}
