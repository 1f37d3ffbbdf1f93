//! Writing files so that a crash never leaves a half-written one: write to a temporary
//! file beside the target, flush it to disk, then rename it into place. What Windows
//! refuses (a file another program holds open, a device name such as `CON` in a path)
//! is said in words, and a system error in Chinese (`why`). Also a private temporary
//! folder that removes itself.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Whether `name` is a temporary file `write_via` makes (`.target.<pid>.<n>.tmp`), left
/// behind when a process was killed before its rename.
pub fn is_temporary(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let mut parts = rest.rsplitn(3, '.');
    let digits =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    digits(parts.next()) && digits(parts.next()) && parts.next().is_some_and(|t| !t.is_empty())
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_via(path, |mut file| file.write_all(bytes), |e| e)
}

/// Writes `dest` through `fill`, which gets a fresh temporary file (readable and
/// writable) beside it; only when `fill` succeeds is the file synced and renamed into
/// place, replacing an existing `dest`. On any failure the temporary file is removed
/// and `dest` is untouched.
pub fn write_via<E>(
    dest: &Path,
    fill: impl FnOnce(fs::File) -> Result<(), E>,
    io_err: impl Fn(io::Error) -> E,
) -> Result<(), E> {
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_dirs(dir).map_err(&io_err)?;
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
                Err(e) => Some(Err(device_named(dest, e))),
            }
        })
        .unwrap_or_else(|| Err(io::Error::other("旁边的临时文件名都已被占用")))
        .map_err(&io_err)?;
    // The file is synced through a duplicate of the handle that wrote it: Windows
    // flushes a file only through a handle with write access.
    let result = match file.try_clone() {
        Ok(writer) => fill(writer).and_then(|()| {
            let synced = file.sync_all();
            drop(file);
            synced.and_then(|()| replace(&tmp, dest)).map_err(&io_err)
        }),
        Err(e) => {
            drop(file);
            Err(io_err(e))
        }
    };
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Renames `tmp` over `dest`. On Windows a file another program holds open (a PDF
/// reader showing the old document) cannot be replaced: that is said in words, after a
/// few tries (a virus scanner may hold a new file for a moment), and `dest` stays.
pub fn replace(tmp: &Path, dest: &Path) -> io::Result<()> {
    let mut tries = 0;
    loop {
        match fs::rename(tmp, dest) {
            Ok(()) => return Ok(()),
            Err(e) if cfg!(windows) && held_open(&e) => {
                tries += 1;
                if tries == 5 {
                    return Err(in_use(e));
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Whether `dest`, if it exists, can be replaced: on Windows, not when another program
/// holds it open without letting it be deleted (as PDF readers do). Checked for every
/// file of a set before any is replaced, so that either all are or none.
pub fn replaceable(dest: &Path) -> io::Result<()> {
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        /// The DELETE access right, which replacing a file needs.
        const DELETE: u32 = 0x0001_0000;
        if let Err(e) = fs::OpenOptions::new().access_mode(DELETE).open(dest)
            && held_open(&e)
        {
            return Err(in_use(e));
        }
    }
    let _ = dest;
    Ok(())
}

/// Why Windows would not write a file, in words.
#[derive(Debug)]
enum Refused {
    /// Another program holds the file open.
    InUse,
    /// A part of the path is a device name.
    Device(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::InUse => {
                f.write_str("文件正被其他程序打开（例如 PDF 阅读器），无法替换；原来的文件没有改动")
            }
            Refused::Device(name) => {
                write!(f, "“{name}”是 Windows 的设备名，不能用作文件或文件夹的名字")
            }
        }
    }
}

impl std::error::Error for Refused {}

fn in_use(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), Refused::InUse)
}

/// On Windows, an error on a path with a device name in it (`CON`, `NUL`…) says so.
fn device_named(path: &Path, e: io::Error) -> io::Error {
    match crate::portable::device_in(path) {
        Some(name) if cfg!(windows) => io::Error::new(e.kind(), Refused::Device(name)),
        _ => e,
    }
}

/// What went wrong with a file, in words: dashi's own reasons as they are, the system's
/// by kind, with its error number for support.
pub fn why(e: &io::Error) -> String {
    if let Some(inner) = e.get_ref() {
        let text = inner.to_string();
        return match text.as_str() {
            // What the zip reader says of an entry whose bytes fail its CRC-32.
            "Invalid checksum" => "压缩数据的校验码（CRC-32）不符：内容已损坏或被改动".into(),
            other if other.contains("deflate") => {
                "压缩数据已损坏，无法解压：内容已损坏或被改动".into()
            }
            other if other.is_ascii() && !other.is_empty() => format!("读取出错（{other}）"),
            _ => text,
        };
    }
    use io::ErrorKind as K;
    let words = match e.kind() {
        K::NotFound => "找不到该文件或文件夹",
        K::PermissionDenied => "没有权限（文件或文件夹可能是只读的，或正被其他程序使用）",
        K::AlreadyExists => "已经存在",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "磁盘是只读的",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::NotADirectory => "路径中有一部分不是文件夹",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::InvalidFilename => "文件名无效或太长",
        K::InvalidData => "内容不是有效的 UTF-8 文本",
        K::UnexpectedEof => "文件不完整（提前结束）",
        K::Interrupted => "被中断",
        K::OutOfMemory => "内存不足",
        _ => "",
    };
    match (words, e.raw_os_error()) {
        ("", _) => format!("系统错误：{e}"),
        (words, Some(code)) => format!("{words}（系统错误 {code}）"),
        (words, None) => words.to_string(),
    }
}

/// Makes a folder and the folders above it.
pub fn create_dirs(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir).map_err(|e| device_named(dir, e))
}

/// What to do about a write Windows refused, when that is why it failed.
pub fn write_hint(e: &io::Error) -> Option<String> {
    match e.get_ref()?.downcast_ref::<Refused>()? {
        Refused::InUse => Some("关闭打开着这个文件的程序（如 PDF 阅读器）后重新运行".into()),
        Refused::Device(_) => Some("换一个名字，如在名字后加上“_”或其他文字".into()),
    }
}

/// Whether an error is Windows' answer for a file in use: access denied (5), sharing
/// violation (32) or lock violation (33).
fn held_open(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

/// A private folder under the system's temporary folder, removed when dropped.
pub struct TempDir {
    path: std::path::PathBuf,
}

impl TempDir {
    pub fn new(prefix: &str) -> io::Result<TempDir> {
        Self::within(&std::env::temp_dir(), prefix)
    }

    /// A private folder inside `base` (which must exist).
    pub fn within(base: &Path, prefix: &str) -> io::Result<TempDir> {
        for n in 0..10_000u32 {
            let path = base.join(format!("{prefix}-{}-{n}", std::process::id()));
            match fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other("临时文件夹名都已被占用"))
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

#[cfg(test)]
mod tests {
    use super::is_temporary;

    #[test]
    fn temporary_names_are_told_apart() {
        assert!(is_temporary(".inventory.json.1234.0.tmp"));
        assert!(is_temporary(".dashi-pending.json.99.12.tmp"));
        assert!(!is_temporary("inventory.json.1234.0.tmp"));
        assert!(!is_temporary(".inventory.json.tmp"));
        assert!(!is_temporary(".x.12a.0.tmp"));
        assert!(!is_temporary("..1.2.tmp"));
    }
}
