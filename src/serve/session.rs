//! The data file the form edits: its path, the TOML document as last read or saved, and
//! the digest of the bytes that were on disk then — so a save notices a file another
//! program changed in the meantime, and never overwrites it silently.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use toml_edit::DocumentMut;

use super::edit;

/// The file being edited.
pub struct Session {
    pub path: PathBuf,
    /// The document as loaded; `None` when the file is missing or not TOML.
    pub doc: Option<DocumentMut>,
    /// Why `doc` is missing.
    pub problem: Option<String>,
    /// SHA-256 of the file's bytes when loaded or saved.
    pub version: String,
}

/// How a save ended.
pub enum Saved {
    Done(String),
    /// The file changed on disk since it was loaded.
    Changed,
    Refused(String),
}

fn digest(bytes: &[u8]) -> String {
    crate::seal::digest::sha256_bytes(bytes).to_string()
}

impl Session {
    pub fn open(path: &Path) -> Session {
        let mut session = Session {
            path: path.to_path_buf(),
            doc: None,
            problem: None,
            version: String::new(),
        };
        session.reload();
        session
    }

    /// Reads the file again.
    pub fn reload(&mut self) {
        match std::fs::read(&self.path) {
            Ok(bytes) => {
                self.version = digest(&bytes);
                match String::from_utf8(bytes)
                    .map_err(|_| "不是 UTF-8 编码的文本文件".to_string())
                    .and_then(|t| t.parse::<DocumentMut>().map_err(|e| e.to_string()))
                {
                    Ok(doc) => {
                        self.doc = Some(doc);
                        self.problem = None;
                    }
                    Err(why) => {
                        self.doc = None;
                        self.problem =
                            Some(format!("{} 无法读取为 TOML：{why}", self.path.display()));
                    }
                }
            }
            Err(e) => {
                self.version.clear();
                self.doc = None;
                self.problem = Some(format!(
                    "无法读取 {}：{}",
                    self.path.display(),
                    crate::fsio::why(&e)
                ));
            }
        }
    }

    /// The folder the data file is in (its evidence paths start there).
    pub fn base_dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// The data as the page shows it.
    pub fn json(&self) -> Option<Json> {
        self.doc.as_ref().map(edit::to_json)
    }

    /// The file's text with the page's data written in.
    pub fn text_for(&self, data: &Json) -> Result<String, String> {
        let mut doc = self.doc.clone().ok_or_else(|| {
            self.problem
                .clone()
                .unwrap_or_else(|| "没有数据文件".into())
        })?;
        edit::apply(&mut doc, data).map_err(|e| e.0)?;
        Ok(doc.to_string())
    }

    /// Whether the file on disk is still the one loaded.
    pub fn unchanged_on_disk(&self) -> bool {
        std::fs::read(&self.path).is_ok_and(|b| digest(&b) == self.version)
    }

    /// Saves the page's data, atomically, unless the file changed on disk.
    pub fn save(&mut self, data: &Json) -> Saved {
        if !self.unchanged_on_disk() {
            return Saved::Changed;
        }
        let text = match self.text_for(data) {
            Ok(text) => text,
            Err(why) => return Saved::Refused(why),
        };
        if let Err(e) = crate::fsio::write_atomic(&self.path, text.as_bytes()) {
            return Saved::Refused(format!(
                "无法写入 {}：{}",
                self.path.display(),
                crate::fsio::why(&e)
            ));
        }
        self.version = digest(text.as_bytes());
        self.doc = text.parse().ok();
        Saved::Done(self.version.clone())
    }
}
