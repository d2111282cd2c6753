//! `alto sim serve`.

use crate::args::SimCommand;
use crate::output::Failure;

/// Runs the command.
pub async fn run(command: SimCommand) -> Result<(), Failure> {
    match command {
        SimCommand::Serve {
            port,
            agencies,
            error_rate,
            spike_rate,
            spike_ms,
            reset_rate,
            token_lifetime_secs,
            fault_seed,
            strict,
        } => {
            let options = alto_sim::ServeOptions {
                agencies,
                error_rate,
                spike_probability: spike_rate,
                spike_ms,
                reset_probability: reset_rate,
                token_lifetime_secs,
                fault_seed,
                strict,
                ..alto_sim::ServeOptions::default()
            };
            alto_sim::serve(port, options).await.map_err(|e| {
                Failure::new(
                    format!("the simulator stopped: {e}"),
                    Some("is the port free? try --port 0"),
                )
            })
        }
    }
}
