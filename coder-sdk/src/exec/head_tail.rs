//! Bounding command output by keeping its beginning and its end.
//!
//! The start of the output usually says what the command did and the end says how it
//! finished; the middle of a huge log is the least useful part. The collector keeps at most
//! `limit` bytes in memory however much is fed to it.

use std::collections::VecDeque;

/// Collects output, keeping the first and the last bytes when it grows past a limit.
#[derive(Debug, Clone)]
pub struct HeadTail {
    head: Vec<u8>,
    tail: VecDeque<u8>,
    head_limit: usize,
    tail_limit: usize,
    total: u64,
}

impl HeadTail {
    /// A collector keeping at most `limit` bytes (half from the start, half from the end).
    pub fn new(limit: usize) -> Self {
        let head_limit = limit / 2;
        Self {
            head: Vec::new(),
            tail: VecDeque::new(),
            head_limit,
            tail_limit: limit - head_limit,
            total: 0,
        }
    }

    /// Adds bytes.
    pub fn push(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len() as u64;
        if self.head.len() < self.head_limit {
            let n = (self.head_limit - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
        }
        if bytes.len() >= self.tail_limit {
            self.tail.clear();
            self.tail.extend(&bytes[bytes.len() - self.tail_limit..]);
            return;
        }
        let overflow = (self.tail.len() + bytes.len()).saturating_sub(self.tail_limit);
        self.tail.drain(..overflow);
        self.tail.extend(bytes);
    }

    /// How many bytes were fed in total.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// How many bytes were dropped from the middle.
    pub fn omitted(&self) -> u64 {
        self.total - (self.head.len() + self.tail.len()) as u64
    }

    /// Whether anything was dropped.
    pub fn is_truncated(&self) -> bool {
        self.omitted() > 0
    }

    /// The kept output as text (invalid UTF-8 replaced), with a marker where bytes were cut.
    pub fn finish(self) -> (String, bool) {
        let omitted = self.omitted();
        let head = String::from_utf8_lossy(&self.head).into_owned();
        let tail_bytes: Vec<u8> = self.tail.into_iter().collect();
        if omitted == 0 {
            let mut all = self.head;
            all.extend_from_slice(&tail_bytes);
            return (String::from_utf8_lossy(&all).into_owned(), false);
        }
        let tail = String::from_utf8_lossy(&tail_bytes);
        (
            format!("{head}\n\n... [{omitted} bytes of output omitted] ...\n\n{tail}"),
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_output_is_kept_whole() {
        let mut c = HeadTail::new(100);
        c.push(b"hello ");
        c.push(b"world");
        assert!(!c.is_truncated());
        assert_eq!(c.finish(), ("hello world".to_owned(), false));
    }

    #[test]
    fn exactly_the_limit_is_not_truncated() {
        let mut c = HeadTail::new(10);
        c.push(b"0123456789");
        assert_eq!(c.finish(), ("0123456789".to_owned(), false));
    }

    #[test]
    fn keeps_head_and_tail_with_marker() {
        let mut c = HeadTail::new(10);
        for chunk in [&b"abc"[..], b"defgh", b"ijklmnop", b"qrstuvwxyz"] {
            c.push(chunk);
        }
        assert_eq!(c.total(), 26);
        assert_eq!(c.omitted(), 16);
        let (text, truncated) = c.finish();
        assert!(truncated);
        assert_eq!(
            text,
            "abcde\n\n... [16 bytes of output omitted] ...\n\nvwxyz"
        );
    }

    #[test]
    fn one_huge_chunk() {
        let mut c = HeadTail::new(8);
        let data: Vec<u8> = (0..100u8).collect();
        c.push(&data);
        assert_eq!(c.head, vec![0, 1, 2, 3]);
        assert_eq!(
            c.tail.iter().copied().collect::<Vec<_>>(),
            vec![96, 97, 98, 99]
        );
        assert_eq!(c.omitted(), 92);
    }

    #[test]
    fn byte_by_byte_equals_chunked() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
        let mut a = HeadTail::new(300);
        for b in &data {
            a.push(std::slice::from_ref(b));
        }
        let mut b = HeadTail::new(300);
        for chunk in data.chunks(77) {
            b.push(chunk);
        }
        assert_eq!(a.head, b.head);
        assert_eq!(a.tail, b.tail);
        assert_eq!(a.head, data[..150].to_vec());
        assert_eq!(
            a.tail.iter().copied().collect::<Vec<_>>(),
            data[data.len() - 150..].to_vec()
        );
    }

    #[test]
    fn zero_limit_keeps_nothing() {
        let mut c = HeadTail::new(0);
        c.push(b"abc");
        let (text, truncated) = c.finish();
        assert!(truncated);
        assert!(text.contains("[3 bytes of output omitted]"));
    }
}
