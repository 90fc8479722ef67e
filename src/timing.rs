//! Stage timings for measuring: with `CUNWU_TIMINGS` set, each stage prints
//! how long it took to stderr. A leaf module: it imports nothing of the crate.

use std::time::Instant;

/// Prints `[time] what: n ms` when `CUNWU_TIMINGS` is set.
pub fn trace_time(what: &str, since: Instant) {
    if std::env::var_os("CUNWU_TIMINGS").is_some() {
        eprintln!(
            "[time] {what}: {:.1} ms",
            since.elapsed().as_secs_f64() * 1e3
        );
    }
}
