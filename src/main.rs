use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    zhibu::cli::run(zhibu::cli::Cli::parse())
}
