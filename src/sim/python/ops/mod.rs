//! Operators, attributes, subscripts, iteration and the type machinery,
//! with CPython 3.11's error messages.

use super::value::*;

mod arith;
mod attr;
mod classes;
mod compare;
mod hash;
mod iter;
mod subscript;
mod types;

/// The most items a list, string or bytes built by one operation may have
/// (`[0] * 10**12` is a MemoryError, not an abort).
pub const MAX_ITEMS: usize = 1 << 26;
/// See [`Interp::burn`].
pub const FUEL_PER_STEP: u64 = 20_000_000;

pub(crate) fn range_len(a: i64, b: i64, c: i64) -> i64 {
    if c > 0 && a < b {
        ((b as i128 - a as i128 - 1) / c as i128 + 1) as i64
    } else if c < 0 && a > b {
        ((a as i128 - b as i128 - 1) / (-(c as i128)) + 1) as i64
    } else {
        0
    }
}

impl Native {
    /// Instances of builtin exception classes take attributes (e.errno…).
    pub(crate) fn is_exc_like(&self) -> bool {
        matches!(self, Native::Exc(_))
    }
}
