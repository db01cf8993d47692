//! Finding the exit-status line the exec wrapper prints after the command.
//!
//! The wrapper prints `\n<sentinel>:<status>\n`, or `\n<sentinel>:<status>:timeout\n` when its
//! watchdog killed the command. The sentinel is 32 random hex characters, printed from two
//! separate halves so that an echo of the script itself never contains it. The scanner works
//! on the stripped stream (no `\r`, no escapes).

/// What the wrapper reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentinelStatus {
    /// The command's exit status (`$?`).
    pub exit_code: i32,
    /// Whether the watchdog killed the command.
    pub timed_out: bool,
}

/// Result of scanning a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// The status line was found; the command's output is `buf[..output_end]`.
    Found {
        /// Where the command's output ends (the status line's leading newline).
        output_end: usize,
        /// The reported status.
        status: SentinelStatus,
    },
    /// Not found yet; `buf[..safe_len]` can never be part of a status line and may be
    /// released as output, the rest must be kept until more bytes arrive.
    Pending {
        /// How many leading bytes are certainly output.
        safe_len: usize,
    },
}

/// Longest status value accepted (`-2147483648` has 11 characters).
const MAX_STATUS_DIGITS: usize = 11;
const TIMEOUT_SUFFIX: &[u8] = b":timeout";

/// The longest status line for a sentinel of `sentinel_len` bytes.
pub fn max_line_len(sentinel_len: usize) -> usize {
    // '\n' + sentinel + ':' + digits + ":timeout" + '\n'
    sentinel_len.saturating_add(3 + MAX_STATUS_DIGITS + TIMEOUT_SUFFIX.len())
}

/// Scans `buf` for the status line of `sentinel`.
///
/// Pure and total: any input gives an answer, never a panic. A line that starts like the
/// status line but does not parse (for example the sentinel followed by text) is treated as
/// ordinary output.
pub fn scan(buf: &[u8], sentinel: &[u8]) -> Scan {
    if sentinel.is_empty() {
        return Scan::Pending {
            safe_len: buf.len(),
        };
    }
    let mut from = 0;
    while let Some(rel) = find(&buf[from..], sentinel) {
        let at = from + rel;
        from = at + 1;
        // The status line starts on a new line.
        if at == 0 || buf[at - 1] != b'\n' {
            continue;
        }
        match parse_status(&buf[at + sentinel.len()..]) {
            Parse::Done(status) => {
                return Scan::Found {
                    output_end: at - 1,
                    status,
                };
            }
            Parse::Incomplete => {
                // It may still become a status line: release only what precedes it.
                return Scan::Pending { safe_len: at - 1 };
            }
            Parse::Invalid => {}
        }
    }
    // A status line may begin in the last bytes: keep enough of them back.
    let keep = max_line_len(sentinel.len())
        .saturating_sub(1)
        .min(buf.len());
    let mut safe_len = buf.len() - keep;
    // Releasing more is fine when the kept tail holds no newline that could start the line.
    if let Some(nl) = buf[safe_len..].iter().rposition(|&b| b == b'\n') {
        safe_len += nl;
    } else {
        safe_len = buf.len();
    }
    Scan::Pending { safe_len }
}

enum Parse {
    Done(SentinelStatus),
    Incomplete,
    Invalid,
}

/// Parses `:<status>[:timeout]\n` right after the sentinel.
fn parse_status(rest: &[u8]) -> Parse {
    let Some((&colon, rest)) = rest.split_first() else {
        return Parse::Incomplete;
    };
    if colon != b':' {
        return Parse::Invalid;
    }
    let sign = usize::from(rest.first() == Some(&b'-'));
    let digits = rest[sign..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let end = sign + digits;
    if end == rest.len() {
        return if digits <= MAX_STATUS_DIGITS {
            Parse::Incomplete
        } else {
            Parse::Invalid
        };
    }
    if digits == 0 || digits > MAX_STATUS_DIGITS {
        return Parse::Invalid;
    }
    let Some(exit_code) = std::str::from_utf8(&rest[..end])
        .ok()
        .and_then(|t| t.parse::<i32>().ok())
    else {
        return Parse::Invalid;
    };
    let after = &rest[end..];
    if after[0] == b'\n' {
        return Parse::Done(SentinelStatus {
            exit_code,
            timed_out: false,
        });
    }
    let n = after.len().min(TIMEOUT_SUFFIX.len());
    if after[..n] != TIMEOUT_SUFFIX[..n] {
        return Parse::Invalid;
    }
    match after.get(TIMEOUT_SUFFIX.len()) {
        None => Parse::Incomplete,
        Some(b'\n') => Parse::Done(SentinelStatus {
            exit_code,
            timed_out: true,
        }),
        Some(_) => Parse::Invalid,
    }
}

/// Finds `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn line(status: &str) -> Vec<u8> {
        let mut v = b"\n".to_vec();
        v.extend_from_slice(S);
        v.extend_from_slice(status.as_bytes());
        v.push(b'\n');
        v
    }

    fn found(buf: &[u8]) -> Option<(usize, SentinelStatus)> {
        match scan(buf, S) {
            Scan::Found { output_end, status } => Some((output_end, status)),
            Scan::Pending { .. } => None,
        }
    }

    #[test]
    fn finds_status_after_output() {
        let mut buf = b"hello\nworld".to_vec();
        buf.extend(line(":0"));
        let (end, st) = found(&buf).unwrap_or_else(|| panic!("not found"));
        assert_eq!(&buf[..end], b"hello\nworld");
        assert_eq!(
            st,
            SentinelStatus {
                exit_code: 0,
                timed_out: false
            }
        );
    }

    #[test]
    fn status_values() {
        for (text, code) in [
            (":1", 1),
            (":124", 124),
            (":255", 255),
            (":-1", -1),
            (":2147483647", i32::MAX),
        ] {
            let buf = line(text);
            let (end, st) = found(&buf).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(end, 0);
            assert_eq!(st.exit_code, code);
            assert!(!st.timed_out);
        }
    }

    #[test]
    fn timeout_flag() {
        let buf = line(":124:timeout");
        let (_, st) = found(&buf).unwrap_or_else(|| panic!("not found"));
        assert_eq!(
            st,
            SentinelStatus {
                exit_code: 124,
                timed_out: true
            }
        );
    }

    #[test]
    fn output_without_trailing_newline_and_empty_output() {
        let buf = line(":3");
        assert_eq!(found(&buf).map(|f| f.0), Some(0));
        let mut buf = b"no newline".to_vec();
        buf.extend(line(":0"));
        assert_eq!(found(&buf).map(|f| f.0), Some(10));
    }

    #[test]
    fn ignores_sentinel_not_at_line_start() {
        let mut buf = b"x".to_vec();
        buf.extend_from_slice(S);
        buf.extend_from_slice(b":0\n");
        assert_eq!(found(&buf), None);
    }

    #[test]
    fn ignores_malformed_then_finds_real() {
        let mut buf = line(":abc");
        buf.extend(line(":"));
        buf.extend(line(":12x"));
        buf.extend(line(":1:timeoutX"));
        buf.extend(line(":99999999999999"));
        buf.extend(line(":7"));
        let (end, st) = found(&buf).unwrap_or_else(|| panic!("not found"));
        assert_eq!(st.exit_code, 7);
        assert!(buf[..end].ends_with(b":99999999999999\n"));
    }

    #[test]
    fn echo_of_split_printf_does_not_match() {
        let echo = b"printf '\\n%s%s:%s\\n' '0123456789abcdef' '0123456789abcdef' \"$s\"\n";
        assert_eq!(found(echo), None);
    }

    #[test]
    fn incomplete_line_waits() {
        let full = line(":124:timeout");
        for cut in 1..full.len() {
            let mut buf = b"out".to_vec();
            buf.extend_from_slice(&full[..cut]);
            match scan(&buf, S) {
                Scan::Pending { safe_len } => assert!(safe_len <= 3, "cut {cut}: {safe_len}"),
                Scan::Found { .. } => panic!("found at cut {cut}"),
            }
        }
    }

    #[test]
    fn streaming_byte_by_byte_equals_whole() {
        let mut stream = b"line one\nline two\n".to_vec();
        stream.extend(line(":42"));
        stream.extend_from_slice(b"trailing junk");
        // Feed one byte at a time, releasing safe bytes as a caller would.
        let mut pending = Vec::new();
        let mut released = Vec::new();
        let mut result = None;
        for &b in &stream {
            pending.push(b);
            match scan(&pending, S) {
                Scan::Found { output_end, status } => {
                    released.extend_from_slice(&pending[..output_end]);
                    result = Some(status);
                    break;
                }
                Scan::Pending { safe_len } => {
                    released.extend(pending.drain(..safe_len));
                }
            }
        }
        assert_eq!(result.map(|s| s.exit_code), Some(42));
        assert_eq!(released, b"line one\nline two\n");
    }

    #[test]
    fn safe_len_releases_text_without_newlines() {
        let buf = vec![b'a'; 1000];
        assert_eq!(scan(&buf, S), Scan::Pending { safe_len: 1000 });
        let mut buf = vec![b'a'; 1000];
        buf.push(b'\n');
        buf.extend_from_slice(&S[..5]);
        assert_eq!(scan(&buf, S), Scan::Pending { safe_len: 1000 });
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut seed = 0x2545_f491_u32;
        for len in 0..300 {
            let buf: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    [
                        b'\n',
                        b':',
                        b'1',
                        b'-',
                        b't',
                        S[0],
                        S[1],
                        (seed & 0xff) as u8,
                    ][(seed % 8) as usize]
                })
                .collect();
            match scan(&buf, S) {
                Scan::Found { output_end, .. } => assert!(output_end < buf.len()),
                Scan::Pending { safe_len } => assert!(safe_len <= buf.len()),
            }
        }
        assert_eq!(scan(b"", S), Scan::Pending { safe_len: 0 });
        assert_eq!(scan(b"abc", b""), Scan::Pending { safe_len: 3 });
    }
}
