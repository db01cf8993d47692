//! Removing terminal control sequences from PTY output.
//!
//! A PTY adds `\r` before every `\n` and programs print colours, cursor moves and window
//! titles. None of that is useful to a caller that wants the text, so it is stripped. The
//! stripper is a small state machine fed chunk by chunk, so a sequence split across two
//! WebSocket frames is still recognised.
//!
//! Binary output can contain an escape introducer followed by garbage. To make sure such
//! output can never swallow the rest of the stream (and with it the exit-status sentinel), a
//! newline always ends any unfinished sequence and is kept, and strings (OSC, DCS...) and
//! control sequences are bounded in length.

/// Longest escape string (OSC, DCS, APC, PM, SOS) kept waiting for its terminator.
const MAX_STRING_LEN: usize = 4096;
/// Longest control sequence (CSI) kept waiting for its final byte.
const MAX_CSI_LEN: usize = 64;

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;
const CAN: u8 = 0x18;
const SUB: u8 = 0x1a;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    /// Plain text.
    #[default]
    Ground,
    /// After `ESC`.
    Escape,
    /// After `ESC` and intermediate bytes (for example `ESC ( B`).
    EscapeIntermediate,
    /// Inside `ESC [` (CSI), counting bytes.
    Csi(usize),
    /// Inside a string (OSC, DCS, APC, PM, SOS), counting bytes.
    Str(usize),
    /// Inside a string, right after an `ESC` (which may start the `ESC \` terminator).
    StrEscape(usize),
}

/// Streaming remover of terminal escapes and carriage returns.
#[derive(Debug, Clone, Default)]
pub struct EscapeStripper {
    state: State,
}

impl EscapeStripper {
    /// A stripper in the initial (plain text) state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Strips `input`, appending the remaining text to `out`.
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) {
        for &b in input {
            self.state = self.step(b, out);
        }
    }

    fn step(&self, b: u8, out: &mut Vec<u8>) -> State {
        // A newline always ends whatever sequence is open, and is kept.
        if b == b'\n' {
            out.push(b'\n');
            return State::Ground;
        }
        match self.state {
            State::Ground => ground(b, out),
            State::Escape => match b {
                b'[' => State::Csi(0),
                b']' | b'P' | b'_' | b'^' | b'X' => State::Str(0),
                0x20..=0x2f => State::EscapeIntermediate,
                CAN | SUB => State::Ground,
                ESC => State::Escape,
                // Any other byte is the final byte of a two-byte escape (`ESC 7`, `ESC M`...),
                // or a stray control character that cancels it.
                _ => State::Ground,
            },
            State::EscapeIntermediate => match b {
                0x20..=0x2f => State::EscapeIntermediate,
                ESC => State::Escape,
                _ => State::Ground,
            },
            State::Csi(len) => match b {
                0x40..=0x7e => State::Ground,
                0x20..=0x3f if len < MAX_CSI_LEN => State::Csi(len + 1),
                ESC => State::Escape,
                // Control characters inside CSI are executed by terminals; keep tabs only.
                b'\t' => {
                    out.push(b'\t');
                    State::Csi(len)
                }
                _ => State::Ground,
            },
            State::Str(len) => match b {
                BEL | CAN | SUB => State::Ground,
                ESC => State::StrEscape(len),
                _ if len >= MAX_STRING_LEN => State::Ground,
                _ => State::Str(len + 1),
            },
            State::StrEscape(len) => match b {
                b'\\' => State::Ground,
                b'[' => State::Csi(0),
                ESC => State::StrEscape(len),
                _ => State::Str(len + 1),
            },
        }
    }
}

/// Handles a byte of plain text.
fn ground(b: u8, out: &mut Vec<u8>) -> State {
    match b {
        ESC => State::Escape,
        // C1 CSI and string introducers in their 8-bit form are not decoded: in UTF-8 text
        // these bytes are continuation bytes, so they are kept as text.
        b'\r' | BEL | 0x00 | 0x08 | 0x0e | 0x0f | 0x7f => State::Ground,
        _ => {
            out.push(b);
            State::Ground
        }
    }
}

/// Strips escapes and carriage returns from a complete buffer.
pub fn strip_escapes(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    EscapeStripper::new().feed(input, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(input: &[u8]) -> String {
        String::from_utf8_lossy(&strip_escapes(input)).into_owned()
    }

    #[test]
    fn removes_colours_and_carriage_returns() {
        assert_eq!(s(b"\x1b[1;31mred\x1b[0m\r\nnext\r\n"), "red\nnext\n");
    }

    #[test]
    fn removes_osc_titles_with_bel_or_st() {
        assert_eq!(s(b"\x1b]0;title\x07text"), "text");
        assert_eq!(s(b"\x1b]2;title\x1b\\text"), "text");
        assert_eq!(s(b"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "link");
    }

    #[test]
    fn removes_private_modes_and_charset_switches() {
        assert_eq!(s(b"\x1b[?2004h\x1b(Bhello\x1b[?2004l"), "hello");
        assert_eq!(s(b"\x1b7saved\x1b8"), "saved");
        assert_eq!(s(b"\x1bPdcs data\x1b\\after"), "after");
    }

    #[test]
    fn sequences_split_across_chunks() {
        let mut st = EscapeStripper::new();
        let mut out = Vec::new();
        st.feed(b"a\x1b[3", &mut out);
        st.feed(b"1mb\x1b]0;ti", &mut out);
        st.feed(b"tle\x07c\r", &mut out);
        st.feed(b"\n", &mut out);
        assert_eq!(out, b"abc\n");
    }

    #[test]
    fn newline_ends_unterminated_sequences() {
        assert_eq!(s(b"\x1b]0;never ends\nline"), "\nline");
        assert_eq!(s(b"\x1b[12;\nline"), "\nline");
        assert_eq!(s(b"\x1b\nline"), "\nline");
    }

    #[test]
    fn long_garbage_strings_are_bounded() {
        let mut input = b"\x1b]".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_STRING_LEN + 10));
        let out = strip_escapes(&input);
        assert_eq!(out.len(), 9, "only the bytes after the bound survive");
    }

    #[test]
    fn keeps_utf8_and_tabs() {
        assert_eq!(s("héllo\twörld ✓".as_bytes()), "héllo\twörld ✓");
    }

    #[test]
    fn binary_bytes_do_not_panic() {
        let all: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let out = strip_escapes(&all);
        assert!(out.len() < all.len());
        assert!(!out.contains(&ESC));
        assert!(!out.contains(&b'\r'));
    }
}
