//! The process's stdin and stdout, without a helper thread when they are pipes.
//!
//! Tokio's own `stdin()`/`stdout()` hand every read and write to a blocking thread, which
//! adds two thread hand-offs to each round trip. MCP clients start stdio servers with
//! pipes, and a pipe can be driven by the runtime's event loop like a socket: these
//! wrappers do that when they can and fall back to Tokio's streams otherwise (a file, a
//! terminal, or a platform without Unix pipes).
//!
//! Driving a pipe from the event loop puts its open file description in non-blocking
//! mode, which every process sharing that description sees. Clients create a fresh pipe
//! per server, so this is normally invisible; a program that shares its stdin or stdout
//! with others can pass `tokio::io::stdin()`/`stdout()` to
//! [`serve_io`](crate::serve_io) instead.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The process's standard input, for [`serve_io`](crate::serve_io).
#[derive(Debug)]
pub struct Stdin(Input);

#[derive(Debug)]
enum Input {
    #[cfg(unix)]
    Pipe(tokio::net::unix::pipe::Receiver),
    Blocking(tokio::io::Stdin),
}

/// The process's standard output, for [`serve_io`](crate::serve_io).
#[derive(Debug)]
pub struct Stdout(Output);

#[derive(Debug)]
enum Output {
    #[cfg(unix)]
    Pipe(tokio::net::unix::pipe::Sender),
    Blocking(tokio::io::Stdout),
}

/// Standard input: read on the event loop when it is a pipe, else through Tokio's
/// blocking reader. Call it once, inside a Tokio runtime.
pub fn stdin() -> Stdin {
    #[cfg(unix)]
    if let Some(pipe) = pipe_reader(&io::stdin()) {
        return Stdin(Input::Pipe(pipe));
    }
    Stdin(Input::Blocking(tokio::io::stdin()))
}

/// Standard output: written on the event loop when it is a pipe, else through Tokio's
/// blocking writer. Call it once, inside a Tokio runtime.
pub fn stdout() -> Stdout {
    #[cfg(unix)]
    if let Some(pipe) = pipe_writer(&io::stdout()) {
        return Stdout(Output::Pipe(pipe));
    }
    Stdout(Output::Blocking(tokio::io::stdout()))
}

#[cfg(unix)]
fn pipe_reader(stream: &impl std::os::fd::AsFd) -> Option<tokio::net::unix::pipe::Receiver> {
    tokio::net::unix::pipe::Receiver::from_owned_fd(duplicate(stream)?).ok()
}

#[cfg(unix)]
fn pipe_writer(stream: &impl std::os::fd::AsFd) -> Option<tokio::net::unix::pipe::Sender> {
    tokio::net::unix::pipe::Sender::from_owned_fd(duplicate(stream)?).ok()
}

/// A descriptor of our own for a standard stream, if it is a pipe (Tokio checks that too,
/// but only after taking ownership; checking first keeps a terminal or file untouched).
#[cfg(unix)]
fn duplicate(stream: &impl std::os::fd::AsFd) -> Option<std::os::fd::OwnedFd> {
    use std::os::unix::fs::FileTypeExt;
    let fd = stream.as_fd().try_clone_to_owned().ok()?;
    let file = std::fs::File::from(fd);
    let is_pipe = file.metadata().ok()?.file_type().is_fifo();
    is_pipe.then(|| file.into())
}

impl AsyncRead for Stdin {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match &mut self.get_mut().0 {
            #[cfg(unix)]
            Input::Pipe(p) => Pin::new(p).poll_read(cx, buf),
            Input::Blocking(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stdout {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match &mut self.get_mut().0 {
            #[cfg(unix)]
            Output::Pipe(p) => Pin::new(p).poll_write(cx, buf),
            Output::Blocking(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().0 {
            #[cfg(unix)]
            Output::Pipe(p) => Pin::new(p).poll_flush(cx),
            Output::Blocking(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().0 {
            #[cfg(unix)]
            Output::Pipe(p) => Pin::new(p).poll_shutdown(cx),
            Output::Blocking(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    #[tokio::test]
    async fn pipes_are_driven_by_the_event_loop() {
        let (r, w) = io::pipe().unwrap();
        let mut reader = Stdin(Input::Pipe(pipe_reader(&r).unwrap()));
        let mut writer = Stdout(Output::Pipe(pipe_writer(&w).unwrap()));
        drop((r, w));
        writer.write_all(b"{}\n").await.unwrap();
        writer.shutdown().await.unwrap();
        drop(writer);
        let mut got = String::new();
        reader.read_to_string(&mut got).await.unwrap();
        assert_eq!(got, "{}\n");
    }

    #[tokio::test]
    async fn files_are_left_to_the_blocking_streams() {
        let file = std::fs::File::open(std::env::current_exe().unwrap()).unwrap();
        assert!(pipe_reader(&file).is_none());
        assert!(pipe_writer(&file).is_none());
    }
}
