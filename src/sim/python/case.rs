//! Case mapping as CPython does it: `lower`, `upper`, `title`, `casefold`
//! of one character (full mappings: `'ß'.upper()` is `'SS'`), the final
//! sigma of `str.lower()`, and the cased / case-ignorable properties.
//!
//! The tables (`case_data.rs`) are generated from CPython by
//! `scripts/gen_case_tables.py`: a few KB of varint runs where std's case
//! conversion tables are 24 KB, and CPython's Unicode version rather than
//! Rust's.

use super::case_data as data;

/// Reads LEB128 varints.
struct Varints<'a>(&'a [u8]);

impl Iterator for Varints<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let mut n = 0u32;
        let mut shift = 0;
        loop {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            n |= u32::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
            shift += 7;
        }
    }
}

/// A run of characters mapped by the same delta: `start`, `start + step`, …
/// up to `end`.
struct Run {
    start: u32,
    end: u32,
    step: u32,
    delta: i32,
}

/// A table decoded: its runs and its multi-character entries, both sorted.
struct Table {
    runs: Vec<Run>,
    multi: Vec<(char, &'static str)>,
}

impl Table {
    fn decode(runs: &[u8], multi: &'static str) -> Table {
        let mut v = Varints(runs);
        let mut start = 0;
        let mut out = Vec::new();
        while let (Some(gap), Some(len), Some(delta)) = (v.next(), v.next(), v.next()) {
            start += gap;
            let (n, step) = (len >> 1, (len & 1) + 1);
            let end = start + (n - 1) * step;
            let delta = (delta >> 1) as i32 ^ -((delta & 1) as i32);
            out.push(Run {
                start,
                end,
                step,
                delta,
            });
            start = end + 1;
        }
        let multi = multi
            .split('\0')
            .filter_map(|e| {
                let c = e.chars().next()?;
                Some((c, &e[c.len_utf8()..]))
            })
            .collect();
        Table { runs: out, multi }
    }

    /// Writes the mapping of `c`; false if it has none here.
    fn map(&self, c: char, out: &mut String) -> bool {
        let u = c as u32;
        // CJK, Hangul and the planes above: no case (the tests check it).
        if matches!(u, 0x2d30..=0xa63f | 0xabc0..=0xfaff | 0x1e950..) {
            return false;
        }
        let i = self.runs.partition_point(|r| r.end < u);
        if let Some(r) = self.runs.get(i) {
            if r.start <= u && (u - r.start).is_multiple_of(r.step) {
                if let Some(m) = char::from_u32((u as i32 + r.delta) as u32) {
                    out.push(m);
                    return true;
                }
            }
        }
        match self.multi.binary_search_by_key(&c, |e| e.0) {
            Ok(i) => {
                out.push_str(self.multi[i].1);
                true
            }
            Err(_) => false,
        }
    }
}

/// The four tables, decoded at first use: lower, upper, title, fold.
fn tables() -> &'static [Table; 4] {
    static TABLES: std::sync::OnceLock<[Table; 4]> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        [
            Table::decode(data::LOWER, data::LOWER_MULTI),
            Table::decode(data::UPPER, data::UPPER_MULTI),
            Table::decode(data::TITLE, data::TITLE_MULTI),
            Table::decode(data::FOLD, data::FOLD_MULTI),
        ]
    })
}

/// `c.lower()` (without the final-sigma context).
pub fn lower(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if !tables()[0].map(c, out) {
        out.push(c);
    }
}

/// `c.upper()`.
pub fn upper(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_uppercase());
    } else if !tables()[1].map(c, out) {
        out.push(c);
    }
}

/// The titlecase of `c`, as `title()` and `capitalize()` write a word's
/// first letter.
pub fn title(c: char, out: &mut String) {
    if c.is_ascii() || !tables()[2].map(c, out) {
        upper(c, out);
    }
}

/// `c.casefold()`.
pub fn fold(c: char, out: &mut String) {
    if c.is_ascii() || !tables()[3].map(c, out) {
        lower(c, out);
    }
}

/// Unicode's Cased: lowercase, uppercase or titlecase letters.
pub fn is_cased(c: char) -> bool {
    c.is_lowercase()
        || c.is_uppercase()
        || matches!(c, 'ǅ' | 'ǈ' | 'ǋ' | 'ǲ' | 'ᾼ' | 'ῌ' | 'ῼ')
        || matches!(c as u32, 0x1f88..=0x1f8f | 0x1f98..=0x1f9f | 0x1fa8..=0x1faf)
}

fn is_case_ignorable(c: char) -> bool {
    let c = c as u32;
    let mut v = Varints(data::IGNORABLE);
    let mut start = 0;
    while let (Some(gap), Some(len)) = (v.next(), v.next()) {
        start += gap;
        if c < start {
            return false;
        }
        if c < start + len {
            return true;
        }
        start += len;
    }
    false
}

/// `chars[i].lower()` in its context: a capital sigma that ends a word
/// (cased letters before it, none after, case-ignorable ones skipped)
/// becomes the final form ς, as CPython's `str.lower()` writes it.
pub fn lower_at(chars: &[char], i: usize, out: &mut String) {
    let c = chars[i];
    if c != 'Σ' {
        return lower(c, out);
    }
    let before = chars[..i].iter().rev().find(|c| !is_case_ignorable(**c));
    let after = chars[i + 1..].iter().find(|c| !is_case_ignorable(**c));
    let final_sigma = before.is_some_and(|c| is_cased(*c)) && !after.is_some_and(|c| is_cased(*c));
    out.push(if final_sigma { 'ς' } else { 'σ' });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character against CPython (the tables' source), and the
    /// final sigma in a few contexts.
    #[test]
    fn every_character_maps_as_in_cpython() {
        let script = "import sys\n\
            for c in range(0x110000):\n\
            \x20   if 0xD800 <= c < 0xE000: continue\n\
            \x20   ch = chr(c)\n\
            \x20   m = (ch.lower(), ch.upper(), ch.title(), ch.casefold())\n\
            \x20   if m != (ch, ch, ch, ch): print(c, *[ord(x) for x in '\\0'.join(m)])\n";
        let out = std::process::Command::new("python3")
            .args(["-c", script])
            .output()
            .expect("python3 runs");
        let want = String::from_utf8(out.stdout).unwrap();
        let mut ours = String::new();
        for c in (0..0x110000u32).filter_map(char::from_u32) {
            let mut m = [String::new(), String::new(), String::new(), String::new()];
            lower(c, &mut m[0]);
            upper(c, &mut m[1]);
            title(c, &mut m[2]);
            fold(c, &mut m[3]);
            if m.iter().any(|s| s.chars().ne(std::iter::once(c))) {
                let codes: Vec<String> = m
                    .join("\0")
                    .chars()
                    .map(|x| (x as u32).to_string())
                    .collect();
                ours.push_str(&format!("{} {}\n", c as u32, codes.join(" ")));
            }
        }
        assert_eq!(ours.lines().count(), want.lines().count());
        for (a, b) in ours.lines().zip(want.lines()) {
            assert_eq!(a, b);
        }
    }

    #[test]
    fn final_sigma() {
        let lower_str = |s: &str| {
            let cs: Vec<char> = s.chars().collect();
            let mut out = String::new();
            for i in 0..cs.len() {
                lower_at(&cs, i, &mut out);
            }
            out
        };
        assert_eq!(
            lower_str("ΟΔΟΣ ΣΑ Σ ΑΣ.Σ Α\u{300}Σ"),
            "οδος σα σ ασ.ς α\u{300}ς"
        );
        assert_eq!(lower_str("Α'Σ'"), "α'ς'");
        assert_eq!(lower_str("ΑΣ1"), "ας1");
    }
}
