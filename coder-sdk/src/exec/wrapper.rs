//! The POSIX `sh` script an exec runs, and the quoting it needs.
//!
//! The script is sent base64-encoded and run as `echo <b64> | base64 -d | sh`, which every
//! common login shell (sh, bash, zsh, fish) parses the same way. Inside, it:
//!
//! 1. exports a few variables that keep tools non-interactive (`PAGER=cat`, `NO_COLOR=1`...)
//!    and then the caller's environment, and changes to the working directory;
//! 2. starts the command (under `bash` when installed, else `sh`) in the background with job
//!    control on, so it gets its own process group, with stdin from `/dev/null`, from the
//!    caller's bytes carried in the script (base64), or, for large input, from a temporary
//!    file filled with base64 lines the client types into the terminal after the script turned
//!    echo off and printed a ready token;
//! 3. starts a watchdog that kills that process group after the timeout;
//! 4. waits for the command and prints `\n<sentinel>:<status>` (or
//!    `\n<sentinel>:124:timeout` when the watchdog fired). The sentinel is printed from two
//!    halves so that nothing but this `printf` ever produces it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Error, Result};

/// Quotes `s` for a POSIX shell: `'…'`, with each `'` written as `'\''`.
pub fn shell_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// Splits `s` in two near the middle, on a character boundary.
fn split_half(s: &str) -> (&str, &str) {
    let mut mid = s.len() / 2;
    while !s.is_char_boundary(mid) {
        mid -= 1;
    }
    s.split_at(mid)
}

/// Whether `name` can be exported by a POSIX shell.
pub fn is_valid_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Variables set before the caller's own, so tools do not wait for a human.
const NON_INTERACTIVE_ENV: &[(&str, &str)] = &[
    ("TERM", "dumb"),
    ("NO_COLOR", "1"),
    ("PAGER", "cat"),
    ("GIT_PAGER", "cat"),
    ("GIT_EDITOR", "true"),
    ("GIT_TERMINAL_PROMPT", "0"),
    ("DEBIAN_FRONTEND", "noninteractive"),
];

/// Where the command's stdin comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdinSource<'a> {
    /// Nothing: stdin is `/dev/null`.
    Null,
    /// These bytes, carried base64-encoded inside the script (only for small input: the
    /// script travels in a URL).
    Inline(&'a [u8]),
    /// `lines` lines of base64 that the client types into the terminal once the script has
    /// turned echo off and printed `\n<ready>\n`; the script decodes them into a temporary
    /// file that becomes the command's stdin.
    Terminal {
        /// How many base64 lines will be typed.
        lines: usize,
        /// The token announcing that the script is reading (printed as two halves).
        ready: &'a str,
    },
}

/// What the script should run.
#[derive(Debug, Clone, Copy)]
pub struct ScriptSpec<'a> {
    /// The command line.
    pub command: &'a str,
    /// The sentinel (printed as two halves).
    pub sentinel: &'a str,
    /// Watchdog delay in whole seconds (at least 1).
    pub timeout_secs: u64,
    /// Working directory.
    pub workdir: Option<&'a str>,
    /// Extra environment.
    pub env: &'a [(String, String)],
    /// The command's stdin.
    pub stdin: StdinSource<'a>,
}

/// Builds the wrapper script.
pub fn build_script(spec: &ScriptSpec<'_>) -> Result<String> {
    if spec.command.contains('\0') {
        return Err(Error::config("the command contains a NUL byte"));
    }
    let (first, second) = split_half(spec.sentinel);
    let mut s = String::new();
    // fd 3 is the terminal; the status printer always writes there.
    s.push_str("exec 3>&1\n");
    s.push_str(&format!(
        "__coder_status() {{ printf '\\n%s%s:%s%s\\n' {} {} \"$1\" \"$2\" >&3; }}\n",
        shell_quote(first),
        shell_quote(second)
    ));
    for (name, value) in NON_INTERACTIVE_ENV
        .iter()
        .map(|(n, v)| (*n, *v))
        .chain(spec.env.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    {
        if !is_valid_env_name(name) {
            return Err(Error::config(format!(
                "`{name}` is not a valid environment variable name"
            )));
        }
        if value.contains('\0') {
            return Err(Error::config(format!(
                "the value of `{name}` contains a NUL byte"
            )));
        }
        s.push_str(&format!("{name}={}; export {name}\n", shell_quote(value)));
    }
    if let Some(dir) = spec.workdir {
        if dir.contains('\0') {
            return Err(Error::config("the working directory contains a NUL byte"));
        }
        s.push_str(&format!(
            "cd -- {} || {{ __coder_status 1 ''; exit 1; }}\n",
            shell_quote(dir)
        ));
    }
    if let StdinSource::Terminal { lines, ready } = spec.stdin {
        // Echo off first, then announce readiness: nothing typed is ever echoed back.
        let (r1, r2) = split_half(ready);
        s.push_str("__coder_in=$(mktemp 2>/dev/null) || __coder_in=/tmp/.coder-exec-$$\n");
        s.push_str("stty -echo </dev/tty 2>/dev/null\n");
        s.push_str(&format!(
            "printf '\\n%s%s\\n' {} {} >&3\n",
            shell_quote(r1),
            shell_quote(r2)
        ));
        s.push_str(&format!(
            "head -n {lines} </dev/tty | base64 -d >\"$__coder_in\" || {{ echo 'exec: the input could not be received' >&3; rm -f \"$__coder_in\"; __coder_status 1 ''; exit 1; }}\n"
        ));
    }
    s.push_str(
        "if command -v bash >/dev/null 2>&1; then __coder_sh=bash; else __coder_sh=sh; fi\n",
    );
    // The watchdog tells this shell it fired with USR1 before killing the command.
    s.push_str("__coder_fired=0\ntrap '__coder_fired=1' USR1\n");
    // From here on the shell's own messages (job notifications) go nowhere; the command and
    // the status line write to the terminal through fd 3. Stdin is left alone: the shell
    // reads this script from it.
    // Everything from here is one compound command: with job control on, dash reports and
    // forgets finished jobs between top-level commands, after which `wait` returns 127.
    s.push_str("exec >/dev/null 2>&1\nset -m\n{\n");
    let run = format!("\"$__coder_sh\" -c {}", shell_quote(spec.command));
    match spec.stdin {
        StdinSource::Inline(bytes) => s.push_str(&format!(
            "( set +m; printf '%s' {} | base64 -d | {run} ) </dev/null >&3 2>&3 &\n",
            shell_quote(&STANDARD.encode(bytes))
        )),
        StdinSource::Terminal { .. } => {
            s.push_str(&format!("( set +m; {run} ) <\"$__coder_in\" >&3 2>&3 &\n"));
        }
        StdinSource::Null => s.push_str(&format!("( set +m; {run} ) </dev/null >&3 2>&3 &\n")),
    }
    s.push_str("__coder_pid=$!\n");
    s.push_str(&format!(
        "( sleep {}; kill -USR1 $$; kill -KILL -\"$__coder_pid\" || kill -KILL \"$__coder_pid\" ) </dev/null &\n",
        spec.timeout_secs.max(1)
    ));
    s.push_str("__coder_watch=$!\n");
    s.push_str("wait \"$__coder_pid\"; __coder_rc=$?\n");
    // A wait interrupted by USR1 returns above 128 while the command still runs.
    s.push_str(
        "while [ \"$__coder_rc\" -gt 128 ] && kill -0 \"$__coder_pid\"; do wait \"$__coder_pid\"; __coder_rc=$?; done\n",
    );
    s.push_str("kill -TERM -\"$__coder_watch\" || kill -TERM \"$__coder_watch\"\n");
    if matches!(spec.stdin, StdinSource::Terminal { .. }) {
        s.push_str("rm -f \"$__coder_in\"\n");
    }
    s.push_str(
        "if [ \"$__coder_fired\" = 1 ]; then __coder_status 124 ':timeout'; else __coder_status \"$__coder_rc\" ''; fi\n",
    );
    s.push_str("exit 0\n}\n");
    Ok(s)
}

/// The `command` given to the PTY: decodes the script and pipes it to `sh`.
pub fn pty_command(script: &str) -> String {
    format!("echo {} | base64 -d | sh", STANDARD.encode(script))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("plain"), "'plain'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(
            shell_quote("$(rm -rf /) `x` \"y\""),
            "'$(rm -rf /) `x` \"y\"'"
        );
    }

    #[test]
    fn any_sentinel_text_is_accepted() {
        for sentinel in ["", "x", "é", "ééé", "a'b\"c", "✓✓"] {
            let mut sp = spec("true", &[]);
            sp.sentinel = sentinel;
            assert!(build_script(&sp).is_ok(), "{sentinel}");
        }
        assert_eq!(split_half("aéb"), ("a", "éb"));
    }

    #[test]
    fn env_names() {
        assert!(is_valid_env_name("PATH"));
        assert!(is_valid_env_name("_x1"));
        assert!(!is_valid_env_name("1X"));
        assert!(!is_valid_env_name("A-B"));
        assert!(!is_valid_env_name(""));
        assert!(!is_valid_env_name("A;rm"));
    }

    fn spec<'a>(command: &'a str, env: &'a [(String, String)]) -> ScriptSpec<'a> {
        ScriptSpec {
            command,
            sentinel: "aaaabbbb",
            timeout_secs: 5,
            workdir: Some("/tmp/it's"),
            env,
            stdin: StdinSource::Null,
        }
    }

    #[test]
    fn script_never_contains_whole_sentinel() {
        let script = build_script(&spec("echo hi", &[])).unwrap();
        assert!(!script.contains("aaaabbbb"));
        assert!(script.contains("'aaaa' 'bbbb'"));
        assert!(script.contains("cd -- '/tmp/it'\\''s'"));
        assert!(script.contains("sleep 5;"));
        assert!(!script.contains("[["), "no bash-only syntax");
    }

    #[test]
    fn rejects_bad_env_and_nul() {
        let bad = [("A B".to_owned(), "x".to_owned())];
        assert!(build_script(&spec("true", &bad)).is_err());
        assert!(build_script(&spec("a\0b", &[])).is_err());
    }

    #[test]
    fn pty_command_is_shell_neutral() {
        let cmd = pty_command("echo 'x' | cat\n");
        let b64 = cmd
            .strip_prefix("echo ")
            .and_then(|r| r.strip_suffix(" | base64 -d | sh"))
            .unwrap();
        assert!(
            b64.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        );
    }

    #[cfg(unix)]
    #[test]
    fn script_parses_with_sh() {
        let env = [("GREETING".to_owned(), "it's \"fine\"".to_owned())];
        let mut sp = spec("printf '%s' \"$GREETING\"; exit 3", &env);
        sp.workdir = None;
        let script = build_script(&sp).unwrap();
        let out = std::process::Command::new("sh")
            .arg("-n")
            .arg("-c")
            .arg(&script)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[cfg(unix)]
    #[test]
    fn every_stdin_source_parses_with_sh() {
        for stdin in [
            StdinSource::Null,
            StdinSource::Inline(b"bytes\0with nul"),
            StdinSource::Terminal {
                lines: 3,
                ready: "rrrrssss",
            },
        ] {
            let mut sp = spec("cat", &[]);
            sp.stdin = stdin;
            let script = build_script(&sp).unwrap();
            assert!(
                !script.contains("rrrrssss"),
                "ready token printed in halves"
            );
            let out = std::process::Command::new("sh")
                .args(["-n", "-c", &script])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{stdin:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
