//! Property tests of the exec sentinel parser and the escape stripper (the same invariants
//! the `exec_sentinel` fuzz target checks, in the normal test suite).
#![allow(clippy::unwrap_used)]

use coder_sdk::exec::{EscapeStripper, Scan, scan, strip_escapes};
use proptest::prelude::*;

/// A sentinel like the wrapper's: 32 hex characters.
fn sentinel() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(proptest::sample::select(b"0123456789abcdef".to_vec()), 32)
}

/// Output that never contains the sentinel (hex runs are kept short).
fn output() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..600)
}

/// Streams `buf` through the scanner in chunks of `chunk` bytes, releasing what the
/// scanner declares safe, as the exec client does. Returns the released output and status.
fn stream(buf: &[u8], sentinel: &[u8], chunk: usize) -> (Vec<u8>, Option<i32>) {
    let mut released = Vec::new();
    let mut pending: Vec<u8> = Vec::new();
    for piece in buf.chunks(chunk.max(1)) {
        pending.extend_from_slice(piece);
        match scan(&pending, sentinel) {
            Scan::Found { output_end, status } => {
                released.extend_from_slice(&pending[..output_end]);
                return (released, Some(status.exit_code));
            }
            Scan::Pending { safe_len } => {
                released.extend_from_slice(&pending[..safe_len]);
                pending.drain(..safe_len);
            }
        }
    }
    released.extend_from_slice(&pending);
    (released, None)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_status_line_is_found_and_the_output_before_it_is_exact(
        s in sentinel(),
        out in output(),
        code in any::<i32>(),
        timed_out in any::<bool>(),
        chunk in 1_usize..64,
    ) {
        prop_assume!(!out.windows(s.len()).any(|w| w == s.as_slice()));
        let mut buf = out.clone();
        buf.push(b'\n');
        buf.extend_from_slice(&s);
        buf.extend_from_slice(format!(":{code}").as_bytes());
        if timed_out {
            buf.extend_from_slice(b":timeout");
        }
        buf.push(b'\n');
        buf.extend_from_slice(b"trailing prompt $ ");

        match scan(&buf, &s) {
            Scan::Found { output_end, status } => {
                prop_assert_eq!(output_end, out.len());
                prop_assert_eq!(status.exit_code, code);
                prop_assert_eq!(status.timed_out, timed_out);
            }
            Scan::Pending { .. } => prop_assert!(false, "status line not found"),
        }
        let (released, status) = stream(&buf, &s, chunk);
        prop_assert_eq!(status, Some(code));
        prop_assert_eq!(released, out);
    }

    #[test]
    fn without_a_status_line_everything_is_output_and_nothing_panics(
        s in proptest::collection::vec(any::<u8>(), 0..40),
        out in output(),
        chunk in 1_usize..64,
    ) {
        match scan(&out, &s) {
            Scan::Found { output_end, .. } => {
                prop_assert!(output_end < out.len());
                prop_assert_eq!(out[output_end], b'\n');
                prop_assert!(out[output_end + 1..].starts_with(&s));
            }
            Scan::Pending { safe_len } => prop_assert!(safe_len <= out.len()),
        }
        let (released, status) = stream(&out, &s, chunk);
        if status.is_none() {
            prop_assert_eq!(released, out);
        }
    }

    #[test]
    fn stripping_escapes_does_not_depend_on_chunking(
        input in proptest::collection::vec(
            prop_oneof![any::<u8>(), Just(0x1b_u8), Just(b'['), Just(b']'), Just(b'\r'), Just(b'\n'), Just(0x07_u8)],
            0..400,
        ),
        cut in any::<proptest::sample::Index>(),
    ) {
        let whole = strip_escapes(&input);
        let at = cut.index(input.len() + 1);
        let mut s = EscapeStripper::new();
        let mut chunked = Vec::new();
        s.feed(&input[..at], &mut chunked);
        s.feed(&input[at..], &mut chunked);
        prop_assert_eq!(&chunked, &whole);
        prop_assert!(!whole.contains(&b'\r'));
        prop_assert!(whole.len() <= input.len());
    }
}
