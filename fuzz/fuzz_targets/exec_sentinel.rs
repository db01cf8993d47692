//! The PTY exec sentinel parser and the escape stripper in front of it.
//!
//! Input layout: the first byte gives the sentinel length (mod 48), the next bytes are the
//! sentinel, the rest is terminal output. Invariants: never panics; a found status line
//! starts at a newline and holds the sentinel; the bytes declared safe never contain the
//! start of a status line that a later byte could complete; feeding the stripper in two
//! chunks gives the same output as in one.
#![no_main]

use coder_sdk::exec::{EscapeStripper, Scan, max_line_len, scan, strip_escapes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let n = usize::from(n) % 48;
    let (sentinel, output) = rest.split_at(n.min(rest.len()));

    match scan(output, sentinel) {
        Scan::Found {
            output_end,
            status: _,
        } => {
            assert!(output_end < output.len());
            assert_eq!(output[output_end], b'\n');
            assert!(output[output_end + 1..].starts_with(sentinel));
        }
        Scan::Pending { safe_len } => {
            assert!(safe_len <= output.len());
            // Whatever follows, the released prefix stays released: appending a complete
            // status line finds it at or after `safe_len`.
            if !sentinel.is_empty() && !sentinel.contains(&b'\n') {
                let mut more = output.to_vec();
                more.push(b'\n');
                more.extend_from_slice(sentinel);
                more.extend_from_slice(b":0\n");
                if let Scan::Found { output_end, .. } = scan(&more, sentinel) {
                    assert!(
                        output_end >= safe_len,
                        "released bytes were part of the status line"
                    );
                } else {
                    panic!("a complete status line was not found");
                }
            }
            assert!(max_line_len(sentinel.len()) > sentinel.len());
        }
    }

    let whole = strip_escapes(output);
    let cut = usize::from(n) * 7 % (output.len() + 1);
    let mut stripper = EscapeStripper::new();
    let mut chunked = Vec::new();
    stripper.feed(&output[..cut], &mut chunked);
    stripper.feed(&output[cut..], &mut chunked);
    assert_eq!(chunked, whole, "chunking changes the stripped output");
});
