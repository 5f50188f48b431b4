//! The `Date` header: an IMF-fixdate (RFC 9110 5.6.7) such as
//! `Sun, 06 Nov 1994 08:49:37 GMT`, always 29 bytes.
//!
//! The module never reads a clock: the caller passes seconds since the Unix
//! epoch (simulated time in the browser, the system clock natively).

use std::fmt;

const DAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
/// 9999-12-31T23:59:59Z: the last second with a four-digit year.
const MAX_SECS: u64 = 253_402_300_799;

/// A formatted IMF-fixdate. Cheap to copy; [`HttpDate::as_str`] gives the text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct HttpDate {
    text: [u8; 29],
    secs: u64,
}

impl HttpDate {
    /// Formats a Unix timestamp (UTC). Times after the year 9999 are clamped
    /// to its last second, since the format has four year digits.
    pub fn from_unix_secs(secs: u64) -> HttpDate {
        let secs = secs.min(MAX_SECS);
        let days = secs / 86_400;
        let rem = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        let weekday = DAYS[(days % 7) as usize];
        let mut t = *b"Thu, 01 Jan 1970 00:00:00 GMT";
        t[..3].copy_from_slice(weekday);
        two(&mut t[5..7], day);
        t[8..11].copy_from_slice(MONTHS[(month - 1) as usize]);
        two(&mut t[12..14], (year / 100) as u32);
        two(&mut t[14..16], (year % 100) as u32);
        two(&mut t[17..19], (rem / 3600) as u32);
        two(&mut t[20..22], (rem / 60 % 60) as u32);
        two(&mut t[23..25], (rem % 60) as u32);
        HttpDate { text: t, secs }
    }

    /// The seconds since the epoch this date was made from.
    pub fn unix_secs(&self) -> u64 {
        self.secs
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII is ever written into `text`.
        std::str::from_utf8(&self.text).unwrap_or("Thu, 01 Jan 1970 00:00:00 GMT")
    }

    /// Reads an IMF-fixdate back, exactly as [`HttpDate::from_unix_secs`]
    /// writes it (the right weekday included); anything else is `None`.
    pub fn parse(text: &str) -> Option<HttpDate> {
        let t = text.as_bytes();
        if t.len() != 29 || &t[3..5] != b", " || &t[25..] != b" GMT" {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u64> {
            let d = t.get(r)?;
            d.iter()
                .all(u8::is_ascii_digit)
                .then(|| d.iter().fold(0, |n, &b| n * 10 + u64::from(b - b'0')))
        };
        let month = MONTHS.iter().position(|m| m[..] == t[8..11])? as u64 + 1;
        let (day, year) = (num(5..7)?, num(12..16)?);
        let (h, m, s) = (num(17..19)?, num(20..22)?, num(23..25)?);
        if year < 1970 || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 59 {
            return None;
        }
        let secs = days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s;
        let date = HttpDate::from_unix_secs(secs);
        (date.as_str() == text).then_some(date)
    }
}

/// Days since 1970-01-01 of a date from 1970 on (H. Hinnant's
/// `days_from_civil`); a day past the month's end runs into the next.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).saturating_sub(719_468)
}

fn two(out: &mut [u8], n: u32) {
    out[0] = b'0' + (n / 10 % 10) as u8;
    out[1] = b'0' + (n % 10) as u8;
}

/// Year, month (1-12), day (1-31) of a day count since 1970-01-01, in the
/// proleptic Gregorian calendar (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u32, u32) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for HttpDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for HttpDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HttpDate({:?})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        // Expected values from Python's email.utils.formatdate(t, usegmt=True).
        let table = [
            (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
            (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
            (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
            (951_868_799, "Tue, 29 Feb 2000 23:59:59 GMT"),
            (1_700_000_000, "Tue, 14 Nov 2023 22:13:20 GMT"),
            (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
            (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
        ];
        for (secs, text) in table {
            assert_eq!(HttpDate::from_unix_secs(secs).as_str(), text, "{secs}");
        }
    }

    #[test]
    fn parse_reads_back_what_is_written_and_nothing_else() {
        for secs in [0, 784_111_777, 951_868_799, 1_700_000_000, 253_402_300_799] {
            let d = HttpDate::from_unix_secs(secs);
            assert_eq!(HttpDate::parse(d.as_str()), Some(d));
        }
        for bad in [
            "",
            "Tue, 14 Nov 2023 22:13:20",
            "Wed, 14 Nov 2023 22:13:20 GMT",
            "Tue, 14 Nov 2023 22:13:60 GMT",
            "Tue, 31 Feb 2023 22:13:20 GMT",
            "Tue, 14 Foo 2023 22:13:20 GMT",
            "Tue, 14 Nov 2023 2a:13:20 GMT",
            "Tue, 14 Nov 1969 22:13:20 GMT",
            "Tue,  14 Nov 2023 22:13:20 GMT",
        ] {
            assert_eq!(HttpDate::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn far_future_is_clamped_not_garbled() {
        assert_eq!(
            HttpDate::from_unix_secs(u64::MAX).as_str(),
            "Fri, 31 Dec 9999 23:59:59 GMT"
        );
    }

    #[test]
    fn consecutive_days_advance_the_weekday() {
        let names = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        for d in 0..800u64 {
            let date = HttpDate::from_unix_secs(d * 86_400 + 12);
            assert_eq!(&date.as_str()[..3], names[(d % 7) as usize]);
            assert_eq!(date.as_str().len(), 29);
        }
    }
}
