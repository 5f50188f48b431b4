//! Tests of the text module: `repr(float)`, format specs, `%`-formatting.

use super::*;

#[test]
fn float_repr_is_cpythons() {
    for (x, s) in [
        (0.1, "0.1"),
        (3.0, "3.0"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (1e-5, "1e-05"),
        (0.0001, "0.0001"),
        (0.1 + 0.2, "0.30000000000000004"),
        (-2.5, "-2.5"),
        (1.5e300, "1.5e+300"),
        (123456789.125, "123456789.125"),
        (f64::INFINITY, "inf"),
        (-0.0, "-0.0"),
        (2.0f64.powi(60), "1.152921504606847e+18"),
    ] {
        assert_eq!(float_repr(x), s, "{x}");
    }
    assert_eq!(float_repr(f64::NAN), "nan");
}

#[test]
fn format_specs() {
    let sp = |s: &str| parse_spec(s).unwrap();
    let s = sp(">10");
    assert_eq!(pad("ab", &s, '<', 0), "        ab");
    let s = sp("*^7");
    assert_eq!(pad("ab", &s, '<', 0), "**ab***");
    assert_eq!(fmt_g(1234567.0, 6, false, false, false), "1.23457e+06");
    assert_eq!(fmt_g(0.0001, 6, false, false, false), "0.0001");
    assert_eq!(fmt_g(100.0, 6, false, false, false), "100");
    assert_eq!(fmt_g(1.5, 2, false, false, true), "1.5");
    assert_eq!(fmt_g(2.0, 2, false, false, true), "2.0");
    assert_eq!(fmt_e(12345.678, 2, false), "1.23e+04");
    assert_eq!(group("1234567", ',', 3), "1,234,567");
    assert!(parse_spec(".f").is_none());
}

#[test]
fn percent_formatting() {
    use crate::sim::python::test_os::TestOs;
    let mut py = Interp::new("t.py", "");
    let mut os = TestOs::new();
    let t = |py: &mut Interp, items: Vec<Value>| py.new_tuple(items);
    let args = t(
        &mut py,
        vec![Value::str("Ann"), Value::Int(30), Value::float(1.756)],
    );
    let r = py.percent_format(&mut os, "%s is %d and %.2f|%5s|%-5s|%05d|%x|%%", &args);
    assert!(r.is_err(), "not enough arguments");
    let args = t(
        &mut py,
        vec![
            Value::str("Ann"),
            Value::Int(30),
            Value::float(1.756),
            Value::str("r"),
            Value::str("l"),
            Value::Int(-42),
            Value::Int(255),
        ],
    );
    let r = py.percent_format(&mut os, "%s is %d and %.2f|%5s|%-5s|%05d|%x|%%", &args);
    assert_eq!(
        r.ok().as_deref(),
        Some("Ann is 30 and 1.76|    r|l    |-0042|ff|%")
    );
    let a = t(&mut py, vec![Value::str("a"), Value::None]);
    let r = py.percent_format(&mut os, "%r and %s", &a);
    assert_eq!(r.ok().as_deref(), Some("'a' and None"));
    let r = py.percent_format(&mut os, "%d%%", &Value::Int(7));
    assert_eq!(r.ok().as_deref(), Some("7%"));
    let a = t(
        &mut py,
        vec![
            Value::float(12345.678),
            Value::float(0.0001),
            Value::float(1e-10),
            Value::float(1234567.0),
        ],
    );
    let r = py.percent_format(&mut os, "%e|%g|%G|%.3g", &a);
    assert_eq!(
        r.ok().as_deref(),
        Some("1.234568e+04|0.0001|1E-10|1.23e+06")
    );
}
