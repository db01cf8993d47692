//! `coder-mcp`: Coder's MCP server over stdio or Streamable HTTP, and `configure` for
//! assistants. Run `coder-mcp --help`.

use clap::Parser;
use examples::app::cli::{Cli, Command, ConfigureArgs};
use examples::app::runtime::run_on;
use examples::app::{http, logging, stdio};
use examples::configure::{Dirs, Entry, apply};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    logging::init(&cli.log_level, cli.log_format);
    let outcome = match cli.command {
        // One client over one pipe: a single-threaded runtime answers with fewer thread
        // hand-offs (lower latency per call) and less memory (no worker threads and their
        // allocator arenas) than a multi-threaded one.
        Command::Server(args) => run_on(false, stdio::run(args)),
        // Many callers at once: use every core.
        Command::ServeHttp(args) => run_on(true, http::run(args)),
        Command::Configure(args) => configure(args),
    };
    // Exit at once: a blocking read of stdin may still be pending on a runtime thread, and
    // dropping the runtime would wait for it (that is, for the client to type a line).
    match outcome {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("coder-mcp: {e}");
            std::process::exit(1)
        }
    }
}

fn configure(args: ConfigureArgs) -> Result<(), String> {
    let dirs = Dirs::from_env().ok_or("cannot find the home directory (HOME is not set)")?;
    let entry = match args.remote {
        Some(url) => Entry::Remote { url },
        None => {
            let command = std::env::current_exe()
                .map_err(|e| format!("cannot find this program's path: {e}"))?
                .to_string_lossy()
                .into_owned();
            let mut server_args = vec!["server".to_owned()];
            server_args.extend(args.server_args);
            Entry::Stdio {
                command,
                args: server_args,
                env: Vec::new(),
            }
        }
    };
    let project = args.project.as_deref();
    let (path, contents) =
        apply(args.assistant, &dirs, project, &entry, args.dry_run).map_err(|e| e.to_string())?;
    if args.dry_run {
        // The one place this program writes to stdout: the user asked to see the file.
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "# {} (not written: --dry-run)\n{contents}",
            path.display()
        )
        .map_err(|e| e.to_string())?;
    } else {
        eprintln!("coder-mcp: added the `coder` server to {}", path.display());
    }
    Ok(())
}
