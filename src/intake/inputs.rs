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

/// What the given paths hold.
#[derive(Debug, Default)]
pub struct Expanded {
    pub inputs: Vec<Input>,
    /// Folders and entries that could not be read, each said as such.
    pub skipped: Vec<String>,
}

/// The submissions under the given paths. A path that does not exist is an error
/// (a typing mistake); a file given by name is always examined, even when it is not a
/// readable zip (it gets its row with the reason).
pub fn expand(given: &[PathBuf]) -> Result<Expanded, IntakeError> {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for path in given {
        let meta = std::fs::metadata(path).map_err(|e| {
            IntakeError::input(
                format!(
                    "无法读取 {}：{}",
                    crate::portable::path_shown(path),
                    crate::fsio::why(&e)
                ),
                "核对路径；可以给出多个压缩包、光盘映像或文件夹",
            )
        })?;
        if meta.is_dir() {
            folder(path, &mut found, &mut skipped);
        } else {
            found.push(file(path));
        }
    }
    // One file however it is named (`x.zip`, `./x.zip`, `in/../in/x.zip`): its
    // canonical path decides, and the first spelling is kept.
    let mut seen = std::collections::BTreeSet::new();
    found.retain(|input| {
        seen.insert(std::fs::canonicalize(&input.path).unwrap_or_else(|_| input.path.clone()))
    });
    Ok(Expanded {
        inputs: found,
        skipped,
    })
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

/// A bag folder is one submission; any other folder is searched (hidden folders, dashi's
/// own work folders among them, and links are not followed: a link may lead back up
/// the tree or out of it). A folder or entry that cannot be read is named in `skipped`.
fn folder(dir: &Path, found: &mut Vec<Input>, skipped: &mut Vec<String>) {
    if is_bag(dir) {
        found.push(Input {
            path: dir.to_path_buf(),
            form: Form::Folder,
        });
        return;
    }
    let descend = |e: &crate::walk::DirEntry| !hidden(e) && !is_bag(e.path());
    for entry in crate::walk::below(dir, descend) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(unreadable) => {
                skipped.push(format!("{unreadable}（其中的申报未能查找）"));
                continue;
            }
        };
        let kind = entry.file_type();
        let path = entry.path();
        let shown = crate::portable::path_shown(path);
        if hidden(&entry) {
            let name = entry.file_name().to_string_lossy();
            // dashi's own work folders and unfinished files are no one's submission.
            if !name.starts_with(".dashi") && !crate::fsio::is_temporary(&name) {
                let what = if kind.is_dir() { "文件夹" } else { "文件" };
                skipped.push(format!(
                    "{shown}：名称以“.”开头的隐藏{what}，未受理；确是申报的，改名后重新给出"
                ));
            }
            continue;
        }
        if kind.is_symlink() {
            skipped.push(format!(
                "{shown}：是链接（快捷方式），未跟随；请直接给出它指向的文件或文件夹"
            ));
            continue;
        }
        if kind.is_dir() {
            if is_bag(path) {
                found.push(Input {
                    path: path.to_path_buf(),
                    form: Form::Folder,
                });
            }
        } else if kind.is_file() {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            match ext.as_deref() {
                Some("zip" | "iso") => found.push(file(path)),
                Some("rar" | "7z" | "tar" | "gz" | "tgz" | "bz2" | "xz" | "cab" | "arj") => {
                    skipped.push(format!(
                        "{shown}：dashi 只读 .zip 压缩包和 .iso 光盘映像；请解压后给出包文件夹，或请报送单位按 .zip 重新报送"
                    ))
                }
                _ => skipped.push(format!(
                    "{shown}：不是压缩包（.zip）、光盘映像（.iso）或包文件夹"
                )),
            }
        }
    }
}

fn hidden(entry: &crate::walk::DirEntry) -> bool {
    entry.file_name().to_string_lossy().starts_with('.')
}

fn is_bag(dir: &Path) -> bool {
    dir.join("bagit.txt").is_file()
}
