//! Reading a data file: text, syntax, keys against the schema, then typed values. Each
//! stage reports everything it finds at its own line; only a file that passes all three
//! becomes an `Application`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::messages::{syntax_hint, value_message, variant_choices};
use super::model::Application;
use super::schema::{self, Mismatch};
use super::tree::{self, Node};
use crate::finding::{Code, Finding};

/// Data files are small; anything larger is not a data file.
const MAX_DATA_FILE: u64 = 8 * 1024 * 1024;

/// The data format version this dashi reads.
pub const FORMAT_VERSION: u32 = 1;

/// A data file's text and where each field sits in it.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    pub text: String,
    /// Field path → span of its value.
    pub index: BTreeMap<String, Range<usize>>,
}

impl Document {
    /// The span a finding about `path` points at: the field's value, or the nearest
    /// enclosing table that is written in the file.
    pub fn span_of(&self, path: &str) -> Option<Range<usize>> {
        let mut p = path;
        while !p.is_empty() {
            if let Some(span) = self.index.get(p) {
                return Some(span.clone());
            }
            p = p.rfind(['.', '[']).map_or("", |cut| &p[..cut]);
        }
        None
    }

    /// The folder evidence paths are relative to.
    pub fn base_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// A data file that was read and understood.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub doc: Document,
    pub app: Application,
}

/// Why a data file could not become an `Application`.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file is missing or unreadable.
    #[error("无法读取数据文件 {path}：{source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is far larger than any data file.
    #[error("{path} 有 {size} 字节，不像是数据文件（上限 8 MiB）")]
    TooLarge { path: PathBuf, size: u64 },
    /// The bytes are not UTF-8 text.
    #[error("{path} 不是 UTF-8 编码的文本文件（第 {line} 行附近）")]
    NotText { path: PathBuf, line: usize },
    /// TOML or JSON syntax is broken; nothing further can be read.
    #[error("数据文件写法有误")]
    Syntax {
        doc: Box<Document>,
        findings: Vec<Finding>,
    },
    /// Syntax is fine but keys or values do not fit the data format.
    #[error("数据文件内容不符合数据格式")]
    Invalid {
        doc: Box<Document>,
        findings: Vec<Finding>,
    },
}

/// Reads and understands a data file (`.json` as JSON, anything else as TOML).
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let text = read_text(path)?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        load_json(path, text)
    } else {
        load_toml(path, text)
    }
}

fn read_text(path: &Path) -> Result<String, LoadError> {
    let read_err = |source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_DATA_FILE {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        LoadError::NotText {
            path: path.to_path_buf(),
            line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
        }
    })?;
    // Windows editors often start UTF-8 files with a byte order mark.
    if text.starts_with('\u{feff}') {
        text.replace_range(..3, "   ");
    }
    Ok(text)
}

fn load_toml(path: &Path, text: String) -> Result<Loaded, LoadError> {
    let (table, errors) = toml::de::DeTable::parse_recoverable(&text);
    let mut doc = Document {
        path: path.to_path_buf(),
        text: text.clone(),
        index: BTreeMap::new(),
    };
    if !errors.is_empty() {
        let findings = errors
            .iter()
            .map(|e| syntax_finding(&text, e.message(), e.span().unwrap_or(0..0)))
            .collect();
        return Err(LoadError::Syntax {
            doc: Box::new(doc),
            findings,
        });
    }
    let root = tree::from_toml(table.get_ref(), table.span());
    doc.index = root.index();
    check_shape(&doc, &root)?;
    let deserializer = toml::de::Deserializer::from(table);
    let app = typed(&doc, deserializer, |e: &toml::de::Error| {
        (e.message().to_string(), e.span())
    })?;
    finish(doc, app)
}

fn load_json(path: &Path, text: String) -> Result<Loaded, LoadError> {
    let mut doc = Document {
        path: path.to_path_buf(),
        text,
        index: BTreeMap::new(),
    };
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&doc.text) {
        let at = offset_of(&doc.text, e.line(), e.column());
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        let finding = syntax_finding(&doc.text, message, at..at);
        return Err(LoadError::Syntax {
            doc: Box::new(doc),
            findings: vec![finding],
        });
    }
    let root = tree::from_json(&doc.text).expect("serde_json accepted this text");
    doc.index = root.index();
    check_shape(&doc, &root)?;
    let text = doc.text.clone();
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let app = typed(&doc, &mut deserializer, |e: &serde_json::Error| {
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        (message, None)
    })?;
    finish(doc, app)
}

fn finish(doc: Document, app: Application) -> Result<Loaded, LoadError> {
    if app.format_version != FORMAT_VERSION {
        let finding = Finding::new(
            Code::FormatVersion,
            "format_version",
            format!(
                "数据格式版本为 {}，本版 dashi 只认识版本 {FORMAT_VERSION}",
                app.format_version
            ),
        )
        .hint(format!(
            "将 format_version 改为 {FORMAT_VERSION}，或换用相应版本的 dashi"
        ));
        return Err(LoadError::Invalid {
            doc: Box::new(doc),
            findings: vec![finding],
        });
    }
    Ok(Loaded { doc, app })
}

/// Unknown and missing keys, all at once.
fn check_shape(doc: &Document, root: &Node) -> Result<(), LoadError> {
    let findings: Vec<Finding> = schema::mismatches(root)
        .into_iter()
        .map(|m| match m {
            Mismatch::Unknown {
                path,
                key_span,
                suggestion,
            } => {
                let key = path.rsplit('.').next().unwrap_or(&path).to_string();
                let finding = Finding::new(
                    Code::UnknownKey,
                    path.clone(),
                    format!("不认识的字段名 “{key}”"),
                )
                .at(key_span);
                match suggestion {
                    Some(s) => finding.hint(format!(
                        "是不是要写 “{s}”（{}）？",
                        schema::label(&replace_last_key(&path, &s))
                    )),
                    None => finding.hint("删去这个字段，或对照 dashi schema 输出的格式改正字段名"),
                }
            }
            Mismatch::Missing { table, key } => {
                let path = tree::join_key(&table, &key);
                Finding::new(
                    Code::MissingKey,
                    table.clone(),
                    format!("缺少必填字段 “{key}”（{}）", schema::label(&path)),
                )
                .hint(format!("在这一部分加上 {key} = …，写法见样例 studio.toml"))
            }
        })
        .collect();
    if findings.is_empty() {
        Ok(())
    } else {
        Err(LoadError::Invalid {
            doc: Box::new(doc.clone()),
            findings,
        })
    }
}

fn replace_last_key(path: &str, key: &str) -> String {
    match path.rfind('.') {
        Some(i) => format!("{}.{key}", &path[..i]),
        None => key.to_string(),
    }
}

/// The typed read; serde stops at the first bad value, which is reported at its line.
fn typed<'de, D, E>(
    doc: &Document,
    deserializer: D,
    describe: impl Fn(&E) -> (String, Option<Range<usize>>),
) -> Result<Application, LoadError>
where
    D: serde::Deserializer<'de, Error = E>,
    E: serde::de::Error,
{
    match deserialize::<Application, D>(deserializer) {
        Ok(app) => Ok(app),
        Err(error) => {
            let path = path_string(error.path());
            let (raw, span) = describe(error.inner());
            let mut finding = Finding::new(Code::WrongValue, path.clone(), value_message(&raw));
            if let Some((found, choices)) = variant_choices(&raw) {
                let nearest = choices
                    .iter()
                    .max_by(|a, b| {
                        strsim::jaro_winkler(&found, a).total_cmp(&strsim::jaro_winkler(&found, b))
                    })
                    .filter(|c| c.chars().any(|ch| found.contains(ch)));
                if let Some(n) = nearest {
                    finding = finding.hint(format!("是不是要写 “{n}”？"));
                }
            }
            if finding.hint.is_none() {
                finding = finding.hint("对照样例 studio.toml 或 dashi schema 改正这个值");
            }
            if let Some(span) = span.or_else(|| doc.span_of(&path)) {
                finding = finding.at(span);
            }
            Err(LoadError::Invalid {
                doc: Box::new(doc.clone()),
                findings: vec![finding],
            })
        }
    }
}

fn deserialize<'de, T: DeserializeOwned, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, serde_path_to_error::Error<D::Error>> {
    serde_path_to_error::deserialize(deserializer)
}

/// `serde_path_to_error`'s path in dashi's form (`members[1].name`).
fn path_string(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out = tree::join_key(&out, key);
            }
            Segment::Unknown => {}
        }
    }
    out
}

fn syntax_finding(text: &str, raw: &str, span: Range<usize>) -> Finding {
    let line = line_at(text, span.start);
    let detail = raw.lines().next().unwrap_or(raw).trim();
    Finding::new(
        Code::Syntax,
        "",
        format!("这里的写法有误，无法读取（解析器提示：{detail}）"),
    )
    .hint(syntax_hint(line))
    .at(span)
}

/// The text of the line that holds byte `at`.
pub fn line_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// Byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}
