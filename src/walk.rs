//! Every directory walk of dashi, with one policy (walkdir underneath): entries come
//! sorted by name within each folder, parents before their contents; links are never
//! followed (a link may lead out of the tree or back up it); and a folder or entry that
//! cannot be read comes as `Unreadable` naming its path — never as empty, never
//! skipped in silence. Each caller says what an unreadable entry means for it.

use std::io;
use std::path::{Path, PathBuf};

pub use walkdir::DirEntry;

/// An entry of a walked tree that could not be read.
#[derive(Debug)]
pub struct Unreadable {
    pub path: PathBuf,
    pub source: io::Error,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "无法读取 {}：{}",
            crate::portable::path_shown(&self.path),
            crate::fsio::why(&self.source)
        )
    }
}

/// The entries below `root` (not `root` itself); `descend` says whether to go into a
/// folder (it is still yielded).
pub fn below(
    root: &Path,
    descend: impl FnMut(&DirEntry) -> bool,
) -> impl Iterator<Item = Result<DirEntry, Unreadable>> {
    walk(root, 1, descend)
}

/// `root` itself, then every entry below it.
pub fn from(root: &Path) -> impl Iterator<Item = Result<DirEntry, Unreadable>> {
    walk(root, 0, |_| true)
}

fn walk(
    root: &Path,
    min_depth: usize,
    mut descend: impl FnMut(&DirEntry) -> bool,
) -> impl Iterator<Item = Result<DirEntry, Unreadable>> {
    let mut entries = walkdir::WalkDir::new(root)
        .min_depth(min_depth)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    std::iter::from_fn(move || {
        let next = entries.next()?;
        Some(match next {
            Ok(entry) => {
                if entry.depth() > 0 && entry.file_type().is_dir() && !descend(&entry) {
                    entries.skip_current_dir();
                }
                Ok(entry)
            }
            Err(error) => {
                let path = error.path().unwrap_or(root).to_path_buf();
                let source = error
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("文件夹中有循环的链接"));
                Err(Unreadable { path, source })
            }
        })
    })
}

/// The path of `entry` relative to `root`, with `/` between its parts.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_parents_first_links_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("b/inner")).unwrap();
        std::fs::write(root.join("b/inner/x"), "x").unwrap();
        std::fs::write(root.join("a"), "a").unwrap();
        std::fs::write(root.join("c"), "c").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("b"), root.join("d")).unwrap();
        let seen: Vec<String> = below(root, |_| true)
            .map(|e| relative(root, e.unwrap().path()))
            .collect();
        let mut expected = vec!["a", "b", "b/inner", "b/inner/x", "c"];
        if cfg!(unix) {
            expected.push("d");
        }
        assert_eq!(seen, expected);
        let skipped: Vec<String> = below(root, |e| e.file_name() != "inner")
            .map(|e| relative(root, e.unwrap().path()))
            .collect();
        assert!(skipped.contains(&"b/inner".to_string()));
        assert!(!skipped.contains(&"b/inner/x".to_string()));
    }
}
