//! A [`FileSource`] on disk: the directory the static web server serves.
//!
//! The request path has already been checked by
//! [`crate::http::resolve_target`], so it cannot contain `..`. A symbolic
//! link inside the root could still point outside it, so the real path of
//! every file is checked to lie under the real path of the root.
//!
//! Small files are kept in memory and re-checked against the disk (size and
//! modification time) at most once a second, so a rebuilt `dist/` shows up
//! without a restart and a hot file costs no system call per request.

use std::collections::HashMap;
use std::fs;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use crate::http::{FileError, FileSource, SafePath};

/// Files larger than this are not served (a teaching server, not a CDN).
pub const MAX_FILE: u64 = 64 * 1024 * 1024;
/// Files up to this size are cached in memory.
const MAX_CACHED: u64 = 4 * 1024 * 1024;
const RECHECK: Duration = Duration::from_secs(1);

struct Entry {
    body: Arc<[u8]>,
    len: u64,
    modified: Option<SystemTime>,
    checked: Instant,
}

/// The files under one directory.
pub struct DiskFiles {
    root: PathBuf,
    cache: RwLock<HashMap<SafePath, Entry>>,
}

impl DiskFiles {
    /// Serves `root`, which must be an existing directory.
    pub fn new(root: &Path) -> io::Result<DiskFiles> {
        let canonical = fs::canonicalize(root).map_err(|e| {
            io::Error::new(e.kind(), format!("root directory {}: {e}", root.display()))
        })?;
        if !canonical.is_dir() {
            return Err(io::Error::new(
                ErrorKind::InvalidInput,
                format!("root {} is not a directory", root.display()),
            ));
        }
        Ok(DiskFiles {
            root: canonical,
            cache: RwLock::new(HashMap::new()),
        })
    }

    /// The served directory, as an absolute path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn load(&self, path: &SafePath) -> Result<Entry, FileError> {
        let mut full = self.root.clone();
        full.extend(path.segments());
        let real = fs::canonicalize(&full).map_err(io_error)?;
        if !real.starts_with(&self.root) {
            // A symbolic link that leads out of the root.
            return Err(FileError::Forbidden);
        }
        let meta = fs::metadata(&real).map_err(io_error)?;
        if meta.is_dir() {
            return Err(FileError::IsDirectory);
        }
        if meta.len() > MAX_FILE {
            return Err(FileError::Other(format!(
                "{path}: larger than {MAX_FILE} bytes"
            )));
        }
        let body = fs::read(&real).map_err(io_error)?;
        Ok(Entry {
            len: body.len() as u64,
            body: body.into(),
            modified: meta.modified().ok(),
            checked: Instant::now(),
        })
    }
}

fn io_error(e: io::Error) -> FileError {
    match e.kind() {
        ErrorKind::NotFound | ErrorKind::NotADirectory => FileError::NotFound,
        ErrorKind::PermissionDenied => FileError::Forbidden,
        ErrorKind::IsADirectory => FileError::IsDirectory,
        _ => FileError::Other(e.to_string()),
    }
}

impl FileSource for DiskFiles {
    fn read(&self, path: &SafePath) -> Result<Arc<[u8]>, FileError> {
        let now = Instant::now();
        let stale = {
            let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
            match cache.get(path) {
                Some(e) if now.duration_since(e.checked) < RECHECK => return Ok(e.body.clone()),
                Some(e) => Some((e.len, e.modified, e.body.clone())),
                None => None,
            }
        };
        if let Some((len, modified, body)) = stale {
            let mut full = self.root.clone();
            full.extend(path.segments());
            if let Ok(meta) = fs::metadata(&full) {
                if meta.is_file() && meta.len() == len && meta.modified().ok() == modified {
                    let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
                    if let Some(e) = cache.get_mut(path) {
                        e.checked = now;
                    }
                    return Ok(body);
                }
            }
        }
        let entry = match self.load(path) {
            Ok(e) => e,
            Err(e) => {
                self.cache
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(path);
                return Err(e);
            }
        };
        let body = entry.body.clone();
        if entry.len <= MAX_CACHED {
            self.cache
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path.clone(), entry);
        }
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::resolve_target;

    fn temp_root(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("sockscope-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("www/sub")).unwrap();
        fs::write(dir.join("www/index.html"), "home").unwrap();
        fs::write(dir.join("www/sub/a.txt"), "a").unwrap();
        fs::write(dir.join("secret.txt"), "secret").unwrap();
        dir
    }

    #[test]
    fn reads_files_directories_and_refuses_links_out() {
        let dir = temp_root("basic");
        let files = DiskFiles::new(&dir.join("www")).unwrap();
        let read = |t: &str| files.read(&resolve_target(t).unwrap());
        assert_eq!(&*read("/").unwrap(), b"home");
        assert_eq!(&*read("/sub/a.txt").unwrap(), b"a");
        assert_eq!(read("/sub"), Err(FileError::IsDirectory));
        assert_eq!(read("/nope"), Err(FileError::NotFound));
        assert_eq!(read("/index.html/x"), Err(FileError::NotFound));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("www/link.txt")).unwrap();
            assert_eq!(read("/link.txt"), Err(FileError::Forbidden));
        }
        // A changed file is seen after the re-check interval.
        fs::write(dir.join("www/sub/a.txt"), "changed!").unwrap();
        std::thread::sleep(RECHECK + Duration::from_millis(50));
        assert_eq!(&*read("/sub/a.txt").unwrap(), b"changed!");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_root_is_an_error_naming_it() {
        let err = DiskFiles::new(Path::new("/definitely/not/here"))
            .err()
            .unwrap();
        assert!(err.to_string().contains("/definitely/not/here"));
    }
}
