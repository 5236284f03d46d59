//! What every command shares: writing stdout, and the error that means exit 2.

use std::io::Write;

/// A usage, configuration or I/O error: printed as `irsalint: error: ...`, exit 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// Writes to stdout. A closed pipe (`irsalint ... | head`) ends the output quietly; any
/// other failure (`> /dev/full`) is an error: the output asked for is not there.
pub fn print_out(s: &str) -> Result<(), UsageError> {
    let s = crate::source::shown(s);
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(UsageError(format!("cannot write the output: {e}"))),
    }
}
