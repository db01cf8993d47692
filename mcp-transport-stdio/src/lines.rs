//! Newline-delimited framing with a size limit.
//!
//! The limit matters because a peer can send a "line" of any length; without it a single
//! message could exhaust memory. An oversize line is skipped up to its newline so the stream
//! stays in sync and the next message is read normally.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// One frame read from the stream.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Frame {
    /// A complete line, without its `\n` (and without a trailing `\r`).
    Line(Vec<u8>),
    /// A line longer than the limit; its bytes were discarded. Carries the length seen.
    TooLong(usize),
}

/// Reads newline-delimited frames of at most `limit` bytes.
#[derive(Debug)]
pub(crate) struct LineReader<R> {
    reader: R,
    limit: usize,
    buf: Vec<u8>,
}

impl<R: AsyncBufRead + Unpin> LineReader<R> {
    pub(crate) fn new(reader: R, limit: usize) -> Self {
        Self {
            reader,
            limit,
            buf: Vec::new(),
        }
    }

    /// The next frame, or `None` at end of stream. Blank lines are skipped.
    ///
    /// A final line without a newline is still returned: a peer that writes its last
    /// message and closes the pipe should be answered.
    pub(crate) async fn next(&mut self) -> std::io::Result<Option<Frame>> {
        loop {
            match self.read_frame().await? {
                Some(Frame::Line(line)) if line.iter().all(u8::is_ascii_whitespace) => {}
                other => return Ok(other),
            }
        }
    }

    async fn read_frame(&mut self) -> std::io::Result<Option<Frame>> {
        self.buf.clear();
        let mut seen = 0usize;
        let mut overflow = false;
        loop {
            let available = self.reader.fill_buf().await?;
            if available.is_empty() {
                // End of stream.
                return Ok(match (seen, overflow) {
                    (0, _) => None,
                    (n, true) => Some(Frame::TooLong(n)),
                    (_, false) => Some(Frame::Line(self.take_line())),
                });
            }
            let (chunk, done) = match memchr(available) {
                Some(i) => (&available[..i], Some(i + 1)),
                None => (available, None),
            };
            seen += chunk.len();
            if !overflow && seen > self.limit {
                overflow = true;
                self.buf = Vec::new();
            }
            if !overflow {
                self.buf.extend_from_slice(chunk);
            }
            let consumed = done.unwrap_or(available.len());
            self.reader.consume(consumed);
            if done.is_some() {
                return Ok(Some(if overflow {
                    Frame::TooLong(seen)
                } else {
                    Frame::Line(self.take_line())
                }));
            }
        }
    }

    fn take_line(&mut self) -> Vec<u8> {
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        std::mem::take(&mut self.buf)
    }
}

fn memchr(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    async fn frames(input: &[u8], limit: usize, capacity: usize) -> Vec<Frame> {
        let reader = tokio::io::BufReader::with_capacity(capacity, input);
        let mut lines = LineReader::new(reader, limit);
        let mut out = Vec::new();
        while let Some(frame) = lines.next().await.unwrap() {
            out.push(frame);
        }
        out
    }

    #[tokio::test]
    async fn splits_lines_and_skips_blank_ones() {
        let got = frames(b"a\n\n  \r\nbc\r\nlast", 10, 2).await;
        assert_eq!(
            got,
            [
                Frame::Line(b"a".to_vec()),
                Frame::Line(b"bc".to_vec()),
                Frame::Line(b"last".to_vec())
            ]
        );
    }

    #[tokio::test]
    async fn oversize_lines_are_skipped_and_reading_goes_on() {
        for capacity in [1, 3, 64] {
            let got = frames(b"12345678901\nok\n123456789012345", 10, capacity).await;
            assert_eq!(
                got,
                [
                    Frame::TooLong(11),
                    Frame::Line(b"ok".to_vec()),
                    Frame::TooLong(15)
                ],
                "capacity {capacity}"
            );
        }
    }

    #[tokio::test]
    async fn a_line_exactly_at_the_limit_is_kept() {
        let got = frames(b"1234567890\n", 10, 4).await;
        assert_eq!(got, [Frame::Line(b"1234567890".to_vec())]);
    }
}
