//! Property tests for the HTTP module's parsers and path resolver: whatever
//! bytes a client sends, the parser does not panic, a valid request cut
//! anywhere is "not yet", and no target resolves outside the root.

use std::path::{Component, Path};

use proptest::prelude::*;
use sockscope::http::*;

fn small_limits() -> impl Strategy<Value = Limits> {
    (0usize..64, 0usize..256, 0usize..8, 0usize..64).prop_map(|(l, h, n, b)| Limits {
        max_request_line: l,
        max_head: h,
        max_headers: n,
        max_body: b,
    })
}

/// A valid request within the default limits, as bytes, with its parts.
fn valid_request() -> impl Strategy<Value = (Vec<u8>, String, String, Vec<u8>)> {
    let method = prop::sample::select(vec!["GET", "HEAD", "POST", "PUT", "OPTIONS", "X-CUSTOM"]);
    let target = "(/[a-zA-Z0-9._~%-]{0,12}){1,4}(\\?[a-z0-9=&]{0,12})?";
    let version = prop::sample::select(vec!["HTTP/1.0", "HTTP/1.1"]);
    let headers = prop::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,15}", "[ -~]{0,30}"), 0..8);
    let body = prop::collection::vec(any::<u8>(), 0..40);
    (method, target, version, headers, body).prop_map(|(m, t, v, hs, body)| {
        let mut out = format!("{m} {t} {v}\r\n").into_bytes();
        for (name, value) in hs {
            // These names would change the framing; the generator leaves them to the table tests.
            let lower = name.to_ascii_lowercase();
            if lower == "content-length" || lower == "transfer-encoding" {
                continue;
            }
            out.extend_from_slice(format!("{name}: {}\r\n", value.trim()).as_bytes());
        }
        if !body.is_empty() {
            out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&body);
        (out, m.to_string(), t, body)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn request_parser_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512), limits in small_limits()) {
        let _ = parse_request(&bytes, &limits);
        let _ = parse_request(&bytes, &Limits::default());
    }

    #[test]
    fn response_parser_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512), head in any::<bool>()) {
        let _ = parse_response(&bytes, &Limits::default(), head);
    }

    #[test]
    fn request_like_bytes_never_panic(s in "[A-Z]{1,6} [ -~]{0,20} HTTP/[0-9]\\.[0-9]\r?\n([ -~]{0,20}\r?\n){0,4}(\r\n)?") {
        let _ = parse_request(s.as_bytes(), &Limits::default());
    }

    #[test]
    fn every_prefix_of_a_valid_request_is_partial((bytes, method, target, body) in valid_request()) {
        let limits = Limits::default();
        for cut in 0..bytes.len() {
            let got = parse_request(&bytes[..cut], &limits);
            prop_assert_eq!(got, Ok(Parsed::Partial), "cut at {}", cut);
        }
        match parse_request(&bytes, &limits) {
            Ok(Parsed::Complete { message, len }) => {
                prop_assert_eq!(len, bytes.len());
                prop_assert_eq!(message.method, method);
                prop_assert_eq!(message.target, target);
                prop_assert_eq!(message.body, body);
            }
            other => prop_assert!(false, "not complete: {:?}", other),
        }
    }

    #[test]
    fn bytes_after_a_request_do_not_change_it(
        (bytes, _, _, _) in valid_request(),
        tail in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let limits = Limits::default();
        let Ok(Parsed::Complete { message: alone, len }) = parse_request(&bytes, &limits) else {
            return Err(TestCaseError::fail("valid request did not parse"));
        };
        let mut joined = bytes.clone();
        joined.extend_from_slice(&tail);
        prop_assert_eq!(parse_request(&joined, &limits), Ok(Parsed::Complete { message: alone, len }));
    }

    #[test]
    fn resolved_paths_stay_under_the_root(target in any::<String>()) {
        check_resolved(&target)?;
    }

    #[test]
    fn traversal_alphabet_stays_under_the_root(target in "[./%2eEfF5cC\\\\a0:\u{0}]{0,24}") {
        check_resolved(&target)?;
        check_resolved(&format!("/{target}"))?;
    }

    #[test]
    fn url_parser_never_panics_and_spans_match(s in any::<String>()) {
        check_url(&s)?;
    }

    #[test]
    fn url_like_strings_have_consistent_spans(s in "(https?|ftp|)(://)?[a-z0-9.:\\[\\]@-]{0,12}(/[a-z%0-9.]{0,6}){0,3}(\\?[a-z0-9=&+%]{0,12})?(#[a-z]{0,4})?") {
        check_url(&s)?;
    }
}

fn check_resolved(target: &str) -> Result<(), TestCaseError> {
    if let Ok(path) = resolve_target(target) {
        let s = path.as_str();
        prop_assert!(!s.is_empty());
        prop_assert!(!s.starts_with('/'), "{s:?} is absolute");
        prop_assert!(
            !s.contains('\\') && !s.contains('\0') && !s.contains(':'),
            "{s:?}"
        );
        for seg in path.segments() {
            prop_assert!(
                !seg.is_empty() && seg != "." && seg != "..",
                "{s:?} has segment {seg:?}"
            );
        }
        // Joined onto a root, it only goes down.
        let ok = Path::new(s)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        prop_assert!(ok, "{s:?} has a non-normal component");
    }
    Ok(())
}

fn check_url(s: &str) -> Result<(), TestCaseError> {
    if let Ok(url) = Url::parse(s) {
        for (_, span) in url.parts() {
            prop_assert!(s.get(span.clone()).is_some(), "span {span:?} of {s:?}");
        }
        prop_assert_eq!(&s[url.host.span.clone()], url.host.text.as_str());
        for p in &url.params {
            prop_assert!(s.get(p.span.clone()).is_some());
        }
        prop_assert!(url.port > 0);
        prop_assert!(url.request_target().starts_with('/'));
        prop_assert_eq!(url.to_string(), s);
    }
    Ok(())
}
