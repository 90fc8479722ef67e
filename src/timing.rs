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

/// Time summed over the threads that do one kind of work (the writer
/// threads' folder creations, their file writes...), printed by
/// [`Total::trace`] when `CUNWU_TIMINGS` is set.
#[derive(Debug, Default)]
pub struct Total {
    nanos: std::sync::atomic::AtomicU64,
    calls: std::sync::atomic::AtomicU64,
}

impl Total {
    /// Adds the time since `since` as one call.
    pub fn add(&self, since: Instant) {
        use std::sync::atomic::Ordering::Relaxed;
        let nanos = u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.nanos.fetch_add(nanos, Relaxed);
        self.calls.fetch_add(1, Relaxed);
    }

    /// Prints `[time] what: n ms summed over threads, k calls`.
    pub fn trace(&self, what: &str) {
        use std::sync::atomic::Ordering::Relaxed;
        if std::env::var_os("CUNWU_TIMINGS").is_some() {
            eprintln!(
                "[time] {what}: {:.1} ms summed over threads, {} calls",
                self.nanos.load(Relaxed) as f64 / 1e6,
                self.calls.load(Relaxed)
            );
        }
    }
}
