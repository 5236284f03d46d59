#![forbid(unsafe_code)]

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = irsalint::cli::Cli::parse();
    let code = match irsalint::cli::run(cli) {
        Ok(false) => 0,
        Ok(true) => 1,
        Err(irsalint::cli::UsageError(msg)) => {
            eprintln!("irsalint: error: {msg}");
            2
        }
    };
    std::process::exit(code);
}
