//! Connecting to a Coder deployment: real (flags, environment, `coder login` files) or the
//! built-in simulated one (`--demo`).

use coder_sdk::testing::{Seed, SimulatedCoder};
use coder_sdk::{Client, ClientBuilder};

/// Where the deployment and the credentials come from, as given on the command line.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CoderArgs {
    /// URL of the Coder deployment (else `CODER_URL`, else the `url` file that `coder login`
    /// wrote in `CODER_CONFIG_DIR` or `~/.config/coderv2`).
    #[arg(long, env = "CODER_URL", value_name = "URL")]
    pub url: Option<String>,
    /// Session token (else `CODER_SESSION_TOKEN`, else the `session` file of `coder login`).
    #[arg(
        long,
        env = "CODER_SESSION_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// Run against a built-in simulated Coder deployment (sample templates and a running
    /// workspace with a real shell), for trying every tool without a deployment.
    #[arg(long)]
    pub demo: bool,
}

/// A connected deployment; holds the simulator alive in demo mode.
#[derive(Debug)]
pub struct Deployment {
    /// The client acting with the configured credentials.
    pub client: Client,
    /// The simulator, in demo mode.
    pub demo: Option<SimulatedCoder>,
}

impl Deployment {
    /// Connects as configured. In demo mode starts the simulator first.
    pub async fn connect(args: &CoderArgs) -> Result<Self, String> {
        if args.demo {
            let sim = SimulatedCoder::builder()
                .seed(Seed::demo())
                .start()
                .await
                .map_err(|e| format!("could not start the simulated deployment: {e}"))?;
            let mut builder = Client::builder()
                .url(sim.url())
                .map_err(|e| e.to_string())?
                .token(sim.session_token());
            if let Some(agent) = sim.agent_token() {
                builder = builder.agent_token(agent);
            }
            let client = builder.build().map_err(|e| e.to_string())?;
            return Ok(Self {
                client,
                demo: Some(sim),
            });
        }
        let (url, token) = (args.url.clone(), args.token.clone());
        // Flags win over the environment, which wins over the `coder login` files.
        let client = ClientBuilder::discover_with(move |key| match key {
            "CODER_URL" => url.clone().or_else(|| std::env::var(key).ok()),
            "CODER_SESSION_TOKEN" => token.clone().or_else(|| std::env::var(key).ok()),
            _ => std::env::var(key).ok(),
        })
        .and_then(ClientBuilder::build)
        .map_err(|e| match e {
            coder_sdk::Error::InvalidUrl { .. } | coder_sdk::Error::Config { .. } => {
                format!("{e}: {LOGIN_HELP}")
            }
            other => other.to_string(),
        })?;
        Ok(Self { client, demo: None })
    }
}

/// What to tell someone who is not logged in.
pub const LOGIN_HELP: &str = "not logged in to Coder. Run `coder login <url>` (coder-mcp reads \
the same credentials), or set CODER_URL and CODER_SESSION_TOKEN, or pass --url and --token. \
To try the tools without a deployment, use --demo.";
