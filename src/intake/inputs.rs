//! What the clerk gives: sealed zips, disc images, bag folders, and folders holding
//! any of them (searched to any depth). Each found submission is one input; the order
//! is the order given, each folder's finds sorted by name, so a run is repeatable.

use std::path::{Path, PathBuf};

use super::IntakeError;

/// How a submission arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Zip,
    Iso,
    Folder,
}

impl Form {
    pub fn label(self) -> &'static str {
        match self {
            Form::Zip => "压缩包",
            Form::Iso => "光盘映像",
            Form::Folder => "包文件夹",
        }
    }
}

/// One submission to examine.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    pub form: Form,
}

/// The submissions under the given paths. A path that does not exist is an error
/// (a typing mistake); a file given by name is always examined, even when it is not a
/// readable zip (it gets its row with the reason).
pub fn expand(given: &[PathBuf]) -> Result<Vec<Input>, IntakeError> {
    let mut found = Vec::new();
    for path in given {
        let meta = std::fs::metadata(path).map_err(|e| {
            IntakeError::input(
                format!("无法读取 {}：{}", path.display(), crate::fsio::why(&e)),
                "核对路径；可以给出多个压缩包、光盘映像或文件夹",
            )
        })?;
        if meta.is_dir() {
            folder(path, &mut found);
        } else {
            found.push(file(path));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    found.retain(|input| seen.insert(input.path.clone()));
    Ok(found)
}

fn file(path: &Path) -> Input {
    let form = if crate::verify::iso::is_iso(path) {
        Form::Iso
    } else {
        Form::Zip
    };
    Input {
        path: path.to_path_buf(),
        form,
    }
}

/// A bag folder is one submission; any other folder is searched.
fn folder(dir: &Path, found: &mut Vec<Input>) {
    if dir.join("bagit.txt").is_file() {
        found.push(Input {
            path: dir.to_path_buf(),
            form: Form::Folder,
        });
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    children.sort();
    for child in children {
        let name = child
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        // Hidden folders (dashi's own work folders among them) and links are not
        // followed: a link may lead back up the tree or out of it.
        let Ok(meta) = std::fs::symlink_metadata(&child) else {
            continue;
        };
        if name.starts_with('.') || meta.file_type().is_symlink() {
            continue;
        }
        if meta.is_dir() {
            folder(&child, found);
        } else if meta.is_file() {
            let ext = child
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            if matches!(ext.as_deref(), Some("zip" | "iso")) {
                found.push(file(&child));
            }
        }
    }
}
