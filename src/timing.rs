//! `SPOR_TIMINGS=1`: print how long each stage took on stderr (for
//! profiling and the benchmarks; off by default).

use std::time::Instant;

/// Runs `f` and, when `SPOR_TIMINGS` is set, prints its wall time.
pub fn time<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("SPOR_TIMINGS").is_none() {
        return f();
    }
    let t = Instant::now();
    let r = f();
    eprintln!("timing: {stage}: {:.3} s", t.elapsed().as_secs_f64());
    r
}
