//! Clock text for `time.ctime` and `time.strftime`: civil dates from
//! seconds since the epoch.

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn parts(t: f64) -> (i64, u32, u32, i64, i64, i64, i64) {
    let secs = t.floor() as i64;
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let (y, m, d) = civil(days);
    let wday = (days + 3).rem_euclid(7); // 0 = Monday
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60, wday)
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(super) fn ctime(t: f64) -> String {
    let (y, m, d, hh, mm, ss, wd) = parts(t);
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        DAYS.get(wd as usize).unwrap_or(&"Mon"),
        MONTHS.get(m as usize - 1).unwrap_or(&"Jan"),
        d,
        hh,
        mm,
        ss,
        y
    )
}

pub(super) fn strftime(fmt: &str, t: f64) -> String {
    let (y, m, d, hh, mm, ss, wd) = parts(t);
    let mut out = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('Y') => out.push_str(&y.to_string()),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('H') => out.push_str(&format!("{hh:02}")),
            Some('M') => out.push_str(&format!("{mm:02}")),
            Some('S') => out.push_str(&format!("{ss:02}")),
            Some('a') => out.push_str(DAYS.get(wd as usize).unwrap_or(&"Mon")),
            Some('b') => out.push_str(MONTHS.get(m as usize - 1).unwrap_or(&"Jan")),
            Some('y') => out.push_str(&format!("{:02}", y % 100)),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}
