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
    /// The file on disk is not the revision the page edited (another tab saved, or
    /// another program changed it): nothing was written; the session now holds the file
    /// as it is on disk.
    Stale,
    Refused(String),
    /// The data would not read back as a studio data file; nothing was written.
    Invalid(
        Box<crate::data::load::Document>,
        Vec<crate::finding::Finding>,
    ),
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
                let text = String::from_utf8(bytes)
                    .map_err(|_| format!("{} 不是 UTF-8 编码的文本文件", self.path.display()));
                match text.and_then(|t| parse(&self.path, t)) {
                    Ok(doc) => {
                        self.doc = Some(doc);
                        self.problem = None;
                    }
                    Err(why) => {
                        self.doc = None;
                        self.problem = Some(why);
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

    /// The backup of the previous file a save keeps: `studio.toml.bak`.
    pub fn backup_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".bak");
        self.path.with_file_name(name)
    }

    /// Saves the page's data, edited from the revision `base`, atomically: refused when
    /// the file on disk is another revision, or when the data would not read back as a
    /// studio data file. The previous file is kept as `.bak` (one generation).
    pub fn save(&mut self, data: &Json, base: &str) -> Saved {
        let on_disk = std::fs::read(&self.path).ok();
        if on_disk.as_deref().map(digest).as_deref() != Some(base) || base != self.version {
            self.reload();
            return Saved::Stale;
        }
        let text = match self.text_for(data) {
            Ok(text) => text,
            Err(why) => return Saved::Refused(why),
        };
        match crate::data::load::read_partial(&self.path, text.clone()) {
            Ok(partial) if partial.findings.is_empty() => {}
            Ok(partial) => return Saved::Invalid(Box::new(partial.doc), partial.findings),
            Err(crate::data::load::LoadError::Syntax { doc, findings })
            | Err(crate::data::load::LoadError::Invalid { doc, findings }) => {
                return Saved::Invalid(doc, findings);
            }
            Err(e) => return Saved::Refused(e.to_string()),
        }
        let write = |path: &Path, bytes: &[u8]| {
            crate::fsio::write_atomic(path, bytes)
                .map_err(|e| format!("无法写入 {}：{}", path.display(), crate::fsio::why(&e)))
        };
        if let Some(old) = &on_disk
            && let Err(why) = write(&self.backup_path(), old)
        {
            return Saved::Refused(why);
        }
        if let Err(why) = write(&self.path, text.as_bytes()) {
            return Saved::Refused(why);
        }
        self.version = digest(text.as_bytes());
        self.doc = text.parse().ok();
        Saved::Done(self.version.clone())
    }
}

/// The file's text as a TOML document; a syntax error is said in Chinese, at its line,
/// as `dashi check` says it.
fn parse(path: &Path, text: String) -> Result<DocumentMut, String> {
    if let Ok(doc) = text.parse::<DocumentMut>() {
        return Ok(doc);
    }
    match crate::data::load::read_partial(path, text) {
        Err(crate::data::load::LoadError::Syntax { doc, findings }) => {
            let said: Vec<String> = findings
                .iter()
                .map(|f| {
                    let line = f
                        .span
                        .clone()
                        .map(|s| crate::finding::line_col(&doc.text, s.start).0);
                    let at = line.map(|l| format!("第 {l} 行：")).unwrap_or_default();
                    let hint = f
                        .hint
                        .as_deref()
                        .map(|h| format!("（{h}）"))
                        .unwrap_or_default();
                    format!("{at}{}{hint}", f.message)
                })
                .collect();
            Err(format!(
                "{} 写法有误，无法在表单中打开：{}。改正后按“重新载入”",
                path.display(),
                said.join("；")
            ))
        }
        _ => Err(format!("{} 无法读取为 TOML", path.display())),
    }
}
