//! `dashi init`: writes the fictional sample project — the data file with every field
//! explained in Chinese, its schema for editors, and sample scans marked 样例 — so a
//! new user starts from something that passes `dashi check` and builds.

use std::path::{Path, PathBuf};

use crate::data::schema;
use crate::fsio::write_atomic;

/// The data file's name in a project.
pub const DATA_FILE: &str = "studio.toml";
/// The schema file the data file's first line points editors at.
pub const SCHEMA_FILE: &str = "studio.schema.json";

macro_rules! sample_files {
    ($($name:literal),* $(,)?) => {
        &[$((concat!("evidence/", $name), include_bytes!(concat!("../samples/evidence/", $name)) as &[u8]),)*]
    };
}

/// The sample scans, as committed under samples/evidence.
const SCANS: &[(&str, &[u8])] = sample_files![
    "营业执照.jpg",
    "王建军-身份证.jpg",
    "王建军-高级技师证书.jpg",
    "王建军-全国技术能手证书.jpg",
    "王建军-五一劳动奖章证书.jpg",
    "王建军-专利证书.pdf",
    "李红梅-身份证.jpg",
    "张伟-身份证.jpg",
    "张伟-高级工证书.jpg",
];

/// The sample data file.
pub const SAMPLE_DATA: &str = crate::data::SAMPLE;

/// Why the sample could not be written.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder already holds a data file; it is never overwritten silently.
    #[error("{} 已存在，未做任何改动", .0.display())]
    Exists(PathBuf),
    /// A file or folder could not be written.
    #[error("无法写入 {path}：{why}", path = .path.display(), why = crate::fsio::why(.source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::failure::Failure for InitError {
    fn hint(&self) -> Option<String> {
        match self {
            InitError::Exists(_) => Some("换一个文件夹，或加 --force 覆盖".into()),
            InitError::Write { source, .. } => crate::fsio::write_hint(source)
                .or_else(|| Some("确认文件夹可以写入、磁盘没有写满".into())),
        }
    }
}

/// Every file of the sample project: relative path and content.
pub fn sample_files() -> Vec<(&'static str, std::borrow::Cow<'static, [u8]>)> {
    let mut files: Vec<(&str, std::borrow::Cow<[u8]>)> = vec![
        (DATA_FILE, SAMPLE_DATA.as_bytes().into()),
        (SCHEMA_FILE, schema::schema_text().into_bytes().into()),
    ];
    files.extend(SCANS.iter().map(|(p, b)| (*p, (*b).into())));
    files
}

/// Writes the sample project into `dir` (created if needed). Refuses when `dir`
/// already has a data file, unless `force`.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, InitError> {
    let data = dir.join(DATA_FILE);
    if data.exists() && !force {
        return Err(InitError::Exists(data));
    }
    let mut written = Vec::new();
    for (rel, bytes) in sample_files() {
        let path = dir.join(rel);
        let parent = path.parent().unwrap_or(dir);
        crate::fsio::create_dirs(parent).map_err(|source| InitError::Write {
            path: parent.to_path_buf(),
            source,
        })?;
        write_atomic(&path, &bytes).map_err(|source| InitError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
