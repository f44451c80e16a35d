//! The `waymark` binary: parse arguments, then open the editor or run a
//! headless command.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = waymark::cli::Cli::parse();
    match cli.command {
        Some(command) => waymark::cli::run(command),
        None => waymark::ui::app::run_native(cli.file),
    }
}
