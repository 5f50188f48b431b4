//! From a request target to a file, without ever leaving the served root.
//!
//! A static web server joins the request path onto its root directory. If
//! the path could say `..`, a request for `/../../etc/passwd` would read a
//! file outside the root ("path traversal"). [`resolve_target`] is the one
//! gate: it percent-decodes each segment and rejects anything that could
//! climb out or be read two ways (`..`, `%2e%2e`, encoded slashes,
//! backslashes, NUL, drive letters). What it returns, a [`SafePath`], can only
//! be made by it, so a [`FileSource`] that takes a `SafePath` cannot be handed
//! an unchecked path.

use std::fmt;
use std::sync::Arc;

use super::url::Url;

/// A checked path relative to the served root: segments joined by `/`, each
/// non-empty, none `.` or `..`, none containing `/`, `\`, `:` or NUL or
/// another control character. Never empty, never starts with `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SafePath(String);

impl SafePath {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The segments, e.g. `["css", "site.css"]`.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// The extension of the last segment, if it has one.
    pub fn extension(&self) -> Option<&str> {
        let name = self.0.rsplit('/').next()?;
        match name.rfind('.') {
            Some(i) if i > 0 => Some(&name[i + 1..]),
            _ => None,
        }
    }
}

impl fmt::Display for SafePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a request target does not name a file under the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathError {
    /// Not `/path` (nor `http://host/path`): e.g. `*` or `index.html`.
    NotAbsolutePath,
    /// `%` not followed by two hex digits.
    BadPercentEncoding,
    /// A `..` segment, written plainly or percent-encoded.
    DotDot,
    /// `%2f` or `%5c`: a slash hidden inside a segment.
    EncodedSlash,
    /// A backslash, which Windows reads as a separator.
    Backslash,
    /// NUL or another control character.
    ControlCharacter,
    /// A `:` as in `C:` (a drive on Windows) or an alternate data stream.
    Colon,
    /// The decoded path is not UTF-8.
    NotUtf8,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathError::NotAbsolutePath => "the request target must start with /",
            PathError::BadPercentEncoding => "% must be followed by two hex digits",
            PathError::DotDot => "'..' would leave the served directory",
            PathError::EncodedSlash => "an encoded slash (%2f or %5c) is not allowed",
            PathError::Backslash => "a backslash is not allowed in a path",
            PathError::ControlCharacter => "control characters (such as NUL) are not allowed",
            PathError::Colon => "':' is not allowed in a path",
            PathError::NotUtf8 => "the decoded path is not UTF-8",
        })
    }
}

impl std::error::Error for PathError {}

/// Resolves a request target (`/docs/?page=1`) to a file path under the root
/// (`docs/index.html`).
///
/// - the query (`?…`) and any fragment (`#…`) are dropped;
/// - an absolute-form target (`http://host/path`) uses its path;
/// - each segment is percent-decoded; empty and `.` segments are skipped;
/// - `/` and any path ending in `/` get `index.html`;
/// - anything that could name a file outside the root is an error.
pub fn resolve_target(target: &str) -> Result<SafePath, PathError> {
    let owned;
    let target = if target.starts_with("http://") || target.starts_with("https://") {
        let url = Url::parse(target).map_err(|_| PathError::NotAbsolutePath)?;
        owned = url.path.text;
        owned.as_str()
    } else {
        target
    };
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path.strip_prefix('/') else {
        return Err(PathError::NotAbsolutePath);
    };

    let mut out = String::with_capacity(rest.len() + 10);
    let mut dir = true; // the path so far names a directory
    for raw in rest.split('/') {
        if raw.contains('\\') {
            return Err(PathError::Backslash);
        }
        let bytes = decode_segment(raw)?;
        if bytes.contains(&b'/') || bytes.contains(&b'\\') {
            return Err(PathError::EncodedSlash);
        }
        if bytes.iter().any(|&b| b < 0x20 || b == 0x7f) {
            return Err(PathError::ControlCharacter);
        }
        if bytes.contains(&b':') {
            return Err(PathError::Colon);
        }
        let seg = String::from_utf8(bytes).map_err(|_| PathError::NotUtf8)?;
        match seg.as_str() {
            ".." => return Err(PathError::DotDot),
            "" | "." => {
                dir = true;
                continue;
            }
            _ => {}
        }
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&seg);
        dir = false;
    }
    if dir {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str("index.html");
    }
    Ok(SafePath(out))
}

fn decode_segment(raw: &str) -> Result<Vec<u8>, PathError> {
    let b = raw.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                _ => return Err(PathError::BadPercentEncoding),
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    NotFound,
    /// The path names a directory (the server redirects to `path/`).
    IsDirectory,
    /// The file exists but may not be read.
    Forbidden,
    /// Anything else; the text is for the log, not for the client.
    Other(String),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NotFound => f.write_str("not found"),
            FileError::IsDirectory => f.write_str("is a directory"),
            FileError::Forbidden => f.write_str("forbidden"),
            FileError::Other(e) => f.write_str(e),
        }
    }
}

/// Where a static web server's files come from.
pub trait FileSource {
    /// The whole content of the file at `path`.
    fn read(&self, path: &SafePath) -> Result<Arc<[u8]>, FileError>;
}

impl<T: FileSource + ?Sized> FileSource for &T {
    fn read(&self, path: &SafePath) -> Result<Arc<[u8]>, FileError> {
        (**self).read(path)
    }
}

/// Files held in memory, for the simulated server (and tests).
///
/// A site of a few files: a `Vec` sorted by path (no two entries share one),
/// searched by bisection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryFiles {
    files: Vec<(SafePath, Arc<[u8]>)>,
}

impl MemoryFiles {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file at a URL path such as `/css/site.css`; `/` or a path ending
    /// in `/` stores `index.html` there. The path goes through
    /// [`resolve_target`], so an invalid path is refused.
    pub fn insert(
        &mut self,
        url_path: &str,
        content: impl Into<Vec<u8>>,
    ) -> Result<SafePath, PathError> {
        let path = resolve_target(url_path)?;
        let content = Arc::from(content.into());
        match self.find(&path) {
            Ok(i) => self.files[i].1 = content,
            Err(i) => self.files.insert(i, (path.clone(), content)),
        }
        Ok(path)
    }

    /// The stored paths, in order.
    pub fn paths(&self) -> impl Iterator<Item = &SafePath> {
        self.files.iter().map(|(path, _)| path)
    }

    /// Where `path` is, or where it would go.
    fn find(&self, path: &SafePath) -> Result<usize, usize> {
        self.files.binary_search_by(|(p, _)| p.cmp(path))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl FileSource for MemoryFiles {
    fn read(&self, path: &SafePath) -> Result<Arc<[u8]>, FileError> {
        if let Ok(i) = self.find(path) {
            return Ok(self.files[i].1.clone());
        }
        let prefix = format!("{}/", path.0);
        if self.paths().any(|k| k.0.starts_with(&prefix)) {
            return Err(FileError::IsDirectory);
        }
        Err(FileError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_to_relative_paths() {
        let table = [
            ("/", "index.html"),
            ("/index.html", "index.html"),
            ("/?page=1&count=10", "index.html"),
            ("/css/site.css", "css/site.css"),
            ("/css/site.css?v=2#top", "css/site.css"),
            ("/docs/", "docs/index.html"),
            ("/docs", "docs"),
            ("//a///b", "a/b"),
            ("/./a/./b", "a/b"),
            ("/a/.", "a/index.html"),
            ("/hello%20world.txt", "hello world.txt"),
            ("/%E4%BD%A0%E5%A5%BD.html", "你好.html"),
            ("/%2e%2e%2e", "..."),
            ("/%252e%252e/x", "%2e%2e/x"),
            ("/..a/b..", "..a/b.."),
            ("http://example.com:8080/a/b?x=1", "a/b"),
            ("http://example.com", "index.html"),
        ];
        for (target, expected) in table {
            assert_eq!(
                resolve_target(target).map(|p| p.0),
                Ok(expected.to_string()),
                "{target}"
            );
        }
    }

    #[test]
    fn traversal_attempts_never_resolve() {
        let table = [
            ("/..", PathError::DotDot),
            ("/../etc/passwd", PathError::DotDot),
            ("/a/../../etc/passwd", PathError::DotDot),
            ("/a/../b", PathError::DotDot),
            ("/%2e%2e/etc/passwd", PathError::DotDot),
            ("/%2E%2e/etc/passwd", PathError::DotDot),
            ("/.%2E/x", PathError::DotDot),
            ("/a/..?x=/", PathError::DotDot),
            ("/..%2fetc%2fpasswd", PathError::EncodedSlash),
            ("/a%2F..%2F..%2Fetc", PathError::EncodedSlash),
            ("/..%5c..%5cwindows", PathError::EncodedSlash),
            ("/..\\..\\windows", PathError::Backslash),
            ("/a\\b", PathError::Backslash),
            ("/index.html%00.png", PathError::ControlCharacter),
            ("/a%0d%0aX: y", PathError::ControlCharacter),
            ("/C:/Windows/win.ini", PathError::Colon),
            ("/c%3a/x", PathError::Colon),
            ("/file.txt::$DATA", PathError::Colon),
            ("/%zz", PathError::BadPercentEncoding),
            ("/%2", PathError::BadPercentEncoding),
            ("/%ff", PathError::NotUtf8),
            ("etc/passwd", PathError::NotAbsolutePath),
            ("*", PathError::NotAbsolutePath),
            ("", PathError::NotAbsolutePath),
            ("http://[bad/x", PathError::NotAbsolutePath),
        ];
        for (target, err) in table {
            assert_eq!(resolve_target(target), Err(err), "{target}");
        }
    }

    #[test]
    fn extension_of_the_last_segment() {
        let p = |t| resolve_target(t).unwrap();
        assert_eq!(p("/a.b/c.CSS").extension(), Some("CSS"));
        assert_eq!(p("/a.b/c").extension(), None);
        assert_eq!(p("/.env").extension(), None);
        assert_eq!(p("/").extension(), Some("html"));
        assert_eq!(p("/x/y/z").segments().collect::<Vec<_>>(), ["x", "y", "z"]);
    }

    #[test]
    fn memory_files_know_files_and_directories() {
        let mut files = MemoryFiles::new();
        files.insert("/", "<h1>home</h1>").unwrap();
        files.insert("/css/site.css", "h1{}").unwrap();
        assert!(files.insert("/../x", "no").is_err());
        assert_eq!(files.len(), 2);
        let read = |t| files.read(&resolve_target(t).unwrap());
        assert_eq!(&*read("/").unwrap(), b"<h1>home</h1>");
        assert_eq!(&*read("/index.html?x").unwrap(), b"<h1>home</h1>");
        assert_eq!(read("/css"), Err(FileError::IsDirectory));
        assert_eq!(read("/css/"), Err(FileError::NotFound));
        assert_eq!(read("/cs"), Err(FileError::NotFound));
        assert_eq!(read("/nope.html"), Err(FileError::NotFound));
    }

    #[test]
    fn memory_files_keep_one_entry_per_path_in_order() {
        let mut files = MemoryFiles::new();
        for (path, body) in [
            ("/b.txt", "1"),
            ("/a.txt", "2"),
            ("/c/d.txt", "3"),
            ("/b.txt", "4"),
        ] {
            files.insert(path, body).unwrap();
        }
        let paths: Vec<&str> = files.paths().map(SafePath::as_str).collect();
        assert_eq!(paths, ["a.txt", "b.txt", "c/d.txt"]);
        let b = files.read(&resolve_target("/b.txt").unwrap()).unwrap();
        assert_eq!(&*b, b"4");
    }
}
