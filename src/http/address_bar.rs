//! What a browser's address bar does with what is typed into it, before
//! the URL is parsed ([`crate::http::Url::parse`] stays strict).

use super::url::{Url, UrlError};

/// What a browser's address bar makes of what was typed into it: the text
/// without surrounding spaces, and `http://` put in front when it names no
/// scheme (`www.example.test/about.html` is visited as
/// `http://www.example.test/about.html`, as Chrome and Firefox do). Text
/// that names a scheme, even a refused one, is left for [`Url::parse`] to
/// judge.
pub fn address_bar(typed: &str) -> String {
    let text = typed.trim();
    if !text.is_empty()
        && !text.contains("://")
        && matches!(Url::parse(text), Err(UrlError::MissingScheme))
    {
        format!("http://{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_bar_puts_http_in_front_of_a_bare_host_and_nothing_else() {
        for (typed, visited) in [
            (
                "www.example.test/about.html",
                "http://www.example.test/about.html",
            ),
            (
                "news.163.com/18/1122/10/E178J2O4000189FH.html?page=1&count=10",
                "http://news.163.com/18/1122/10/E178J2O4000189FH.html?page=1&count=10",
            ),
            ("localhost:8080/", "http://localhost:8080/"),
            ("  http://www.example.test/ ", "http://www.example.test/"),
            ("HTTP://www.example.test/", "HTTP://www.example.test/"),
            ("ftp://files.example.test/", "ftp://files.example.test/"),
            ("mailto:someone@example.test", "mailto:someone@example.test"),
            ("://x", "://x"),
            ("   ", ""),
        ] {
            assert_eq!(address_bar(typed), visited, "{typed:?}");
        }
        // What it makes parses, or fails for another reason than the scheme.
        let url = Url::parse(&address_bar("www.example.test/a?b=1")).unwrap();
        assert_eq!((url.host.text.as_str(), url.port), ("www.example.test", 80));
        assert!(matches!(
            Url::parse(&address_bar("mailto:someone@example.test")),
            Err(UrlError::UnsupportedScheme(_))
        ));
    }
}
