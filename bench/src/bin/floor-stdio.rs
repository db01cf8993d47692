//! The stdio floor: newline-delimited JSON-RPC on stdin/stdout, each request parsed with
//! serde_json and answered, one buffered write per batch of ready lines.

#[path = "../floor.rs"]
mod floor;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let mut input = BufReader::with_capacity(1 << 16, tokio::io::stdin());
    let mut output = BufWriter::with_capacity(1 << 16, tokio::io::stdout());
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line).await? == 0 {
            return output.flush().await;
        }
        if let Ok(msg) = serde_json::from_slice::<floor::Incoming>(&line)
            && let Some(out) = floor::answer(&msg)
        {
            output.write_all(&out).await?;
        }
        if input.buffer().is_empty() {
            output.flush().await?;
        }
    }
}
