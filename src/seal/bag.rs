//! A BagIt 1.0 bag (RFC 8493): the payload under `data/`, `bagit.txt`, `bag-info.txt`,
//! `manifest-sha256.txt` and `tagmanifest-sha256.txt` (two spaces between digest and
//! path, `/` separators, sorted, so `sha256sum -c` works from the bag root). Each
//! payload file is hashed once, while streaming, on every core. The seal is the SHA-256
//! of the tag manifest.

use rayon::prelude::*;
use std::path::PathBuf;

use super::digest::{self, ManifestLine, Sha256Hex};
use crate::progress::Progress;

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
pub enum Content {
    /// A file on disk, streamed when hashed and when written.
    Disk(PathBuf),
    /// Bytes dashi made (a PDF, a tag file).
    Memory(std::sync::Arc<Vec<u8>>),
}

/// One file of a bag: its path from the bag root and its content.
#[derive(Debug, Clone)]
pub struct BagFile {
    pub path: String,
    pub content: Content,
    pub size: u64,
}

/// What a bag is made of, before sealing.
#[derive(Debug, Clone)]
pub struct BagSpec {
    /// The bag's name: the zip's single top-level folder.
    pub name: String,
    /// Payload files, with paths starting `data/`.
    pub payload: Vec<(String, Content)>,
    /// bag-info.txt fields before the computed ones (Payload-Oxum, agent).
    pub info: Vec<(String, String)>,
    /// Digests already computed (path → digest and size), so no file is hashed twice.
    pub known: std::collections::BTreeMap<String, (Sha256Hex, u64)>,
    /// Further tag files (name, bytes), listed in the tag manifest like the others.
    pub tags: Vec<(String, Vec<u8>)>,
}

/// A sealed bag: every file (payload and tag files) in path order, and its seal.
#[derive(Debug, Clone)]
pub struct Bag {
    pub name: String,
    pub files: Vec<BagFile>,
    pub manifest: Vec<ManifestLine>,
    /// SHA-256 of tagmanifest-sha256.txt.
    pub seal: Sha256Hex,
}

/// Why a bag could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// A payload file could not be read.
    #[error("无法读取 {}：{}", path.display(), crate::fsio::why(source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A name that BagIt tools disagree on (`%`, CR, LF) or that is not a plain
    /// relative path.
    #[error("文件名 “{path}” 不能封存：{reason}")]
    Name { path: String, reason: &'static str },
    /// Two payload files have the same path.
    #[error("有两个文件都叫 “{0}”")]
    Duplicate(String),
    /// The folder has no files.
    #[error("没有可封存的文件")]
    Empty,
    /// The zip could not be written.
    #[error("无法写入 {}：{}", path.display(), crate::fsio::why(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::failure::Failure for SealError {
    fn hint(&self) -> Option<String> {
        match self {
            SealError::Name { .. } => Some("把文件改名后再封存".into()),
            SealError::Empty => Some("给出含有文件的文件夹".into()),
            SealError::Write { source, .. } => crate::fsio::write_hint(source)
                .or_else(|| Some("确认输出位置可以写入、磁盘没有写满".into())),
            _ => None,
        }
    }
}

/// Checks a bag path: relative, `/`-separated, no empty, `.` or `..` parts, and none of
/// the characters on which bagit-python and RFC 8493 disagree.
pub fn check_path(path: &str) -> Result<(), SealError> {
    let bad = |reason| {
        Err(SealError::Name {
            path: path.to_string(),
            reason,
        })
    };
    if path.contains(['%', '\r', '\n']) {
        return bad("含有 %、回车或换行，不同的 BagIt 工具对它们的理解不一致，请改名");
    }
    if path.contains('\\') || path.starts_with('/') {
        return bad("须为相对路径，用 / 分隔");
    }
    if path
        .split('/')
        .any(|p| p.is_empty() || p == "." || p == "..")
    {
        return bad("路径中有空的部分、. 或 ..");
    }
    if path.chars().any(char::is_control) {
        return bad("含有控制字符，请改名");
    }
    Ok(())
}

/// Hashes the payload (every core, each file once), writes the tag files, seals.
pub fn seal(spec: BagSpec, agent: &str, progress: &dyn Progress) -> Result<Bag, SealError> {
    if spec.payload.is_empty() {
        return Err(SealError::Empty);
    }
    let mut payload = spec.payload;
    payload.sort_by(|a, b| a.0.cmp(&b.0));
    for pair in payload.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(SealError::Duplicate(pair[0].0.clone()));
        }
    }
    for (path, _) in &payload {
        check_path(path)?;
    }
    let hashed = hash_all(&payload, &spec.known, progress)?;

    let total: u64 = hashed.iter().map(|(_, size)| size).sum();
    let manifest: Vec<ManifestLine> = payload
        .iter()
        .zip(&hashed)
        .map(|((path, _), (digest, _))| ManifestLine {
            digest: *digest,
            path: path.clone(),
        })
        .collect();

    let bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_string();
    let mut info = String::new();
    for (key, value) in spec.info.iter().chain(&[
        (
            "Payload-Oxum".to_string(),
            format!("{total}.{}", payload.len()),
        ),
        ("Bag-Software-Agent".to_string(), agent.to_string()),
    ]) {
        // One line per field: values never carry line breaks.
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        info.push_str(&format!("{key}: {value}\n"));
    }
    let manifest_text: String = manifest.iter().map(|l| format!("{l}\n")).collect();

    let mut tags: Vec<(String, Vec<u8>)> = vec![
        ("bagit.txt".to_string(), bagit.into_bytes()),
        ("bag-info.txt".to_string(), info.into_bytes()),
        (
            "manifest-sha256.txt".to_string(),
            manifest_text.into_bytes(),
        ),
    ];
    for (name, bytes) in spec.tags {
        check_path(&name)?;
        tags.push((name, bytes));
    }
    let tagmanifest: String = tags
        .iter()
        .map(|(path, text)| {
            format!(
                "{}\n",
                ManifestLine {
                    digest: digest::sha256_bytes(text),
                    path: path.clone(),
                }
            )
        })
        .collect();
    let seal = digest::sha256_bytes(tagmanifest.as_bytes());
    tags.push((
        "tagmanifest-sha256.txt".to_string(),
        tagmanifest.into_bytes(),
    ));

    let mut files: Vec<BagFile> = tags
        .into_iter()
        .map(|(path, text)| BagFile {
            size: text.len() as u64,
            path,
            content: Content::Memory(std::sync::Arc::new(text)),
        })
        .chain(
            payload
                .into_iter()
                .zip(&hashed)
                .map(|((path, content), (_, size))| BagFile {
                    path,
                    content,
                    size: *size,
                }),
        )
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Bag {
        name: spec.name,
        files,
        manifest,
        seal,
    })
}

/// Digest and size of every payload file, in order, hashed on every core.
fn hash_all(
    payload: &[(String, Content)],
    known: &std::collections::BTreeMap<String, (Sha256Hex, u64)>,
    progress: &dyn Progress,
) -> Result<Vec<(Sha256Hex, u64)>, SealError> {
    payload
        .par_iter()
        .map(|(path, content)| {
            if let Some(done) = known.get(path) {
                progress.advance(done.1);
                return Ok(*done);
            }
            let hashed = match content {
                Content::Disk(path) => {
                    digest::sha256_file(path).map_err(|source| SealError::Read {
                        path: path.clone(),
                        source,
                    })
                }
                Content::Memory(bytes) => Ok((digest::sha256_bytes(bytes), bytes.len() as u64)),
            };
            if let Ok((_, size)) = &hashed {
                progress.advance(*size);
            }
            hashed
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory(text: &str) -> Content {
        Content::Memory(std::sync::Arc::new(text.as_bytes().to_vec()))
    }

    #[test]
    fn a_small_bag() {
        let spec = BagSpec {
            name: "样例".into(),
            payload: vec![
                ("data/b.txt".into(), memory("b")),
                ("data/申报材料/a.txt".into(), memory("aa")),
            ],
            info: vec![("External-Identifier".into(), "样例".into())],
            known: Default::default(),
            tags: Vec::new(),
        };
        let bag = seal(spec, "dashi test", &crate::progress::Silent).unwrap();
        let paths: Vec<&str> = bag.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "bag-info.txt",
                "bagit.txt",
                "data/b.txt",
                "data/申报材料/a.txt",
                "manifest-sha256.txt",
                "tagmanifest-sha256.txt"
            ]
        );
        let info = bag.files.iter().find(|f| f.path == "bag-info.txt").unwrap();
        let Content::Memory(text) = &info.content else {
            panic!()
        };
        assert!(String::from_utf8_lossy(text).contains("Payload-Oxum: 3.2\n"));
    }

    #[test]
    fn names_bagit_tools_disagree_on_are_refused() {
        assert!(check_path("data/a%20b.txt").is_err());
        assert!(check_path("data/a\nb").is_err());
        assert!(check_path("data/../x").is_err());
        assert!(check_path("/data/x").is_err());
        assert!(check_path("data/申报材料/01-承诺书.pdf").is_ok());
    }
}
