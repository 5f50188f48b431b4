//! Simulated time.
//!
//! The simulation never reads a clock. Time is a number of microseconds since
//! the run started, and it only moves when the [`World`](super::World) takes a
//! step. That is what makes a run repeatable: the same inputs give the same
//! times, on any machine, in the browser or in a test.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A point in simulated time: microseconds since the start of the run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Instant(pub u64);

/// A span of simulated time in microseconds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Duration(pub u64);

impl Instant {
    pub const ZERO: Instant = Instant(0);

    pub const fn from_micros(us: u64) -> Self {
        Instant(us)
    }
    pub const fn from_millis(ms: u64) -> Self {
        Instant(ms * 1000)
    }
    pub const fn total_micros(self) -> u64 {
        self.0
    }
    /// Time since the start of the run.
    pub const fn since_start(self) -> Duration {
        Duration(self.0)
    }
}

impl Duration {
    pub const ZERO: Duration = Duration(0);

    pub const fn from_micros(us: u64) -> Self {
        Duration(us)
    }
    pub const fn from_millis(ms: u64) -> Self {
        Duration(ms * 1000)
    }
    pub const fn from_secs(s: u64) -> Self {
        Duration(s * 1_000_000)
    }
    pub const fn total_micros(self) -> u64 {
        self.0
    }
    pub const fn total_millis(self) -> u64 {
        self.0 / 1000
    }
    /// Twice as long, saturating: the exponential back-off of TCP timers.
    pub const fn doubled(self) -> Duration {
        Duration(self.0.saturating_mul(2))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        Instant(self.0.saturating_add(d.0))
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, d: Duration) {
        *self = *self + d;
    }
}

impl Sub for Instant {
    type Output = Duration;
    /// The time between two instants; zero if `rhs` is later.
    fn sub(self, rhs: Instant) -> Duration {
        Duration(self.0.saturating_sub(rhs.0))
    }
}

impl Add for Duration {
    type Output = Duration;
    fn add(self, d: Duration) -> Duration {
        Duration(self.0.saturating_add(d.0))
    }
}

impl std::ops::Mul<u64> for Duration {
    type Output = Duration;
    fn mul(self, n: u64) -> Duration {
        Duration(self.0.saturating_mul(n))
    }
}

impl std::ops::Div<u64> for Duration {
    type Output = Duration;
    /// Integer division; dividing by zero gives zero.
    fn div(self, n: u64) -> Duration {
        Duration(self.0.checked_div(n).unwrap_or(0))
    }
}

/// Printed as seconds with millisecond and microsecond digits: `1.002500s`.
impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:06}s", self.0 / 1_000_000, self.0 % 1_000_000)
    }
}

/// Printed in the largest unit that keeps it whole: `200ms`, `1s`, `15µs`.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let us = self.0;
        if us.is_multiple_of(1_000_000) && us > 0 {
            write!(f, "{}s", us / 1_000_000)
        } else if us.is_multiple_of(1000) && us > 0 {
            write!(f, "{}ms", us / 1000)
        } else {
            write!(f, "{us}µs")
        }
    }
}

/// `value / 10^scale` written with `places` decimals (rounded half up), by
/// integer arithmetic: the WebAssembly build links no float formatting.
/// `decimal(1234, 3, 3)` is `"1.234"`, `decimal(1234, 3, 1)` is `"1.2"`.
pub fn decimal(value: u64, scale: u32, places: u32) -> String {
    let places = places.min(scale);
    let drop = 10u64.pow(scale - places);
    let v = (value + drop / 2) / drop;
    if places == 0 {
        return v.to_string();
    }
    let unit = 10u64.pow(places);
    format!("{}.{:0width$}", v / unit, v % unit, width = places as usize)
}

/// Microseconds as Python writes a float number of seconds: `0.5`, `2`, `0.0125`.
pub fn python_seconds(micros: u64) -> String {
    let text = decimal(micros, 6, 6);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Instant {
    /// Milliseconds with three decimals: `1.250 ms` is written `1.250`.
    pub fn millis_text(self) -> String {
        decimal(self.0, 3, 3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_without_floats() {
        assert_eq!(decimal(1234, 3, 3), "1.234");
        assert_eq!(decimal(1234, 3, 1), "1.2");
        assert_eq!(decimal(1250, 3, 1), "1.3");
        assert_eq!(decimal(5, 3, 3), "0.005");
        assert_eq!(decimal(999_999, 3, 0), "1000");
        assert_eq!(decimal(0, 2, 2), "0.00");
        assert_eq!(Instant(13_200).millis_text(), "13.200");
        for (us, py) in [
            (500_000, "0.5"),
            (2_000_000, "2"),
            (12_500, "0.0125"),
            (0, "0"),
        ] {
            assert_eq!(python_seconds(us), py);
            // The same text Python's repr of the float would give.
            assert_eq!(python_seconds(us), format!("{}", us as f64 / 1e6));
        }
    }

    #[test]
    fn instants_and_durations_add_and_subtract() {
        let t = Instant::from_millis(1) + Duration::from_micros(500);
        assert_eq!(t, Instant(1500));
        assert_eq!(t - Instant::from_millis(1), Duration(500));
        // Subtracting a later instant saturates instead of wrapping.
        assert_eq!(Instant(1) - Instant(5), Duration::ZERO);
    }

    #[test]
    fn durations_print_in_a_readable_unit() {
        assert_eq!(Duration::from_millis(200).to_string(), "200ms");
        assert_eq!(Duration::from_secs(1).to_string(), "1s");
        assert_eq!(Duration(15).to_string(), "15µs");
        assert_eq!(Instant(1_002_500).to_string(), "1.002500s");
    }
}
