//! Tests of the clock text.

#[test]
fn clock_text() {
    assert_eq!(
        super::time::ctime(1_700_000_000.0),
        "Tue Nov 14 22:13:20 2023"
    );
    assert_eq!(
        super::time::strftime("%Y-%m-%d %H:%M:%S", 0.0),
        "1970-01-01 00:00:00"
    );
}
