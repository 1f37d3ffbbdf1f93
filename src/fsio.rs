//! Writing files so that a crash never leaves a half-written one: write to a temporary
//! file beside the target, flush it to disk, then rename it into place. Also a private
//! temporary folder that removes itself.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via(path, |mut file| file.write_all(bytes), |e| e)
}

/// Writes `dest` through `fill`, which gets a fresh temporary file (readable and
/// writable) beside it; only when `fill` succeeds is the file synced and renamed into
/// place. On any failure the temporary file is removed and `dest` is untouched.
pub fn write_via<E>(
    dest: &Path,
    fill: impl FnOnce(fs::File) -> Result<(), E>,
    io_err: impl Fn(io::Error) -> E,
) -> Result<(), E> {
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(&io_err)?;
    let name = dest.file_name().map_or_else(
        || std::ffi::OsString::from("dashi"),
        std::ffi::OsStr::to_os_string,
    );
    let (tmp, file) = (0..10_000u32)
        .find_map(|n| {
            let mut tmp_name = std::ffi::OsString::from(".");
            tmp_name.push(&name);
            tmp_name.push(format!(".{}.{n}.tmp", std::process::id()));
            let tmp = dir.join(tmp_name);
            match fs::File::options()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&tmp)
            {
                Ok(file) => Some(Ok((tmp, file))),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => None,
                Err(e) => Some(Err(e)),
            }
        })
        .unwrap_or_else(|| Err(io::Error::other("no temporary file name is free")))
        .map_err(&io_err)?;
    let result = fill(file).and_then(|()| {
        fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .and_then(|()| fs::rename(&tmp, dest))
            .map_err(&io_err)
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A private folder under the system's temporary folder, removed when dropped.
pub struct TempDir {
    path: std::path::PathBuf,
}

impl TempDir {
    pub fn new(prefix: &str) -> io::Result<TempDir> {
        let base = std::env::temp_dir();
        for n in 0..10_000u32 {
            let path = base.join(format!("{prefix}-{}-{n}", std::process::id()));
            match fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other("no temporary folder name is free"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}
