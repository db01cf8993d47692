//! Links the binaries with packed relative relocations (RELR) where the C library runs them.
//!
//! A position-independent binary of `coder-mcp`'s size carries about 800 KiB of relative
//! relocations, which the dynamic loader reads (so they stay resident) at every start.
//! RELR packs them into a few KiB. It needs glibc 2.36 or newer at run time, so it is only
//! turned on for native Linux GNU builds whose own glibc is that new; anywhere else the
//! binaries link as before. `MCP_NO_RELR=1` turns it off.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=MCP_NO_RELR");
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    let gnu_linux = target.ends_with("-linux-gnu");
    if gnu_linux && target == host && std::env::var_os("MCP_NO_RELR").is_none() && glibc_has_relr()
    {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// True when the build machine's glibc (the one the binaries will load) is 2.36 or newer.
fn glibc_has_relr() -> bool {
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    // "glibc 2.36"
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (2, 36)
}
