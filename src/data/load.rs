//! Reading a data file: text, syntax, keys against the schema, then typed values. Each
//! stage reports everything it finds at its own line; only a file that passes all three
//! becomes an `Application`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::messages::{syntax_hint, value_hint, value_message, variant_choices};
use super::model::Application;
use super::recover::{self, BareKey};
use super::schema::{Format, Mismatch, Shape};
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
    /// The file's format: its fields' labels.
    pub format: &'static Format,
}

impl crate::finding::Located for Document {
    fn path(&self) -> &Path {
        &self.path
    }

    fn text(&self) -> &str {
        &self.text
    }

    fn span_of(&self, field: &str) -> Option<Range<usize>> {
        Document::span_of(self, field)
    }

    fn label(&self, field: &str) -> String {
        self.format.label(field)
    }
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
    #[error("无法读取数据文件 {path}：{why}", why = crate::fsio::why(.source))]
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

impl crate::failure::Failure for LoadError {
    fn hint(&self) -> Option<String> {
        match self {
            LoadError::Syntax { .. } | LoadError::Invalid { .. } => None,
            LoadError::NotText { .. } => Some(
                "用记事本或 WPS 打开后“另存为”，编码选 UTF-8；申报数据文件由 dashi init 生成，档案记录由 dashi record new 生成"
                    .into(),
            ),
            _ => Some(
                "确认路径正确；申报数据文件由 dashi init 生成，档案记录由 dashi record new 生成，都是 UTF-8 文本"
                    .into(),
            ),
        }
    }

    fn exit(&self) -> crate::failure::Exit {
        match self {
            LoadError::Invalid { .. } => crate::failure::Exit::Findings,
            _ => crate::failure::Exit::Unusable,
        }
    }

    fn details(&self) -> Option<crate::failure::Details<'_>> {
        match self {
            LoadError::Syntax { doc, findings } | LoadError::Invalid { doc, findings } => {
                Some(crate::failure::Details::Findings(&**doc, findings))
            }
            _ => None,
        }
    }

    fn details_suffice(&self) -> bool {
        matches!(self, LoadError::Syntax { .. } | LoadError::Invalid { .. })
    }
}

/// Reads and understands a data file (`.json` as JSON, anything else as TOML). Any
/// unknown key, missing key or wrong value makes it `LoadError::Invalid`, with all of
/// them reported.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let partial = load_partial(path)?;
    if partial.findings.is_empty() {
        Ok(Loaded {
            doc: partial.doc,
            app: partial.value,
        })
    } else {
        Err(LoadError::Invalid {
            doc: Box::new(partial.doc),
            findings: partial.findings,
        })
    }
}

/// A file read as far as it goes: every key and value problem is a finding, and the
/// value holds stand-ins at the `unsure` paths, so the rules can still judge everything
/// else.
#[derive(Debug, Clone)]
pub struct Partial<T = Application> {
    pub doc: Document,
    pub value: T,
    /// Unknown keys, missing keys and wrong values (D002–D004).
    pub findings: Vec<Finding>,
    /// Field paths whose value is a stand-in.
    pub unsure: Vec<String>,
}

/// Reads a data file as far as it goes. Only a file that cannot be read, or whose
/// syntax or format version rules out reading it at all, is an `Err`.
pub fn load_partial(path: &Path) -> Result<Partial, LoadError> {
    load_as(Format::application(), path)
}

/// Reads data-file text as far as it goes (`path` names it in messages and decides
/// TOML or JSON by its extension).
pub fn read_partial(path: &Path, text: String) -> Result<Partial, LoadError> {
    read_as(Format::application(), path, text)
}

/// Reads any dashi file of `format` (a record, …) as far as it goes.
pub fn load_as<T: DeserializeOwned>(
    format: &'static Format,
    path: &Path,
) -> Result<Partial<T>, LoadError> {
    let text = read_text(path)?;
    read_as(format, path, text)
}

/// Reads text of a dashi file of `format` as far as it goes.
pub fn read_as<T: DeserializeOwned>(
    format: &'static Format,
    path: &Path,
    text: String,
) -> Result<Partial<T>, LoadError> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let doc = Document {
        path: path.to_path_buf(),
        text,
        index: BTreeMap::new(),
        format,
    };
    let parsed = if is_json {
        parse_json(&doc.text)
    } else {
        parse_toml(&doc.text)
    };
    match parsed {
        Ok((root, value, bare)) => understand(doc, root, value, &bare),
        Err(findings) => Err(LoadError::Syntax {
            doc: Box::new(doc),
            findings,
        }),
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

/// The tree (for spans and keys), the value (for the typed read) and the keys written
/// in Chinese without quotes, which are read as keys so that they can be named.
type Parsed = (Node, Value, Vec<BareKey>);

fn parse_toml(text: &str) -> Result<Parsed, Vec<Finding>> {
    let (table, errors) = toml::de::DeTable::parse_recoverable(text);
    if errors.is_empty() {
        let root = tree::from_toml(table.get_ref(), table.span());
        let value = recover::toml_value(table).ok_or_else(Vec::new)?;
        return Ok((root, value, Vec::new()));
    }
    let findings: Vec<Finding> = errors
        .iter()
        .map(|e| syntax_finding(text, e.message(), e.span().unwrap_or(0..0)))
        .collect();
    // A key written in Chinese (`职业 = "焊工"`) is the usual slip: read it as a key.
    let mut lines: Vec<usize> = errors
        .iter()
        .filter_map(|e| e.span())
        .map(|span| line_start(text, span.start))
        .collect();
    lines.dedup();
    let (fixed, bare) = recover::quote_bare_keys(text, &lines);
    if bare.is_empty() {
        return Err(findings);
    }
    let (table, errors) = toml::de::DeTable::parse_recoverable(&fixed);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| syntax_finding(text, e.message(), e.span().unwrap_or(0..0)))
            .collect());
    }
    let mut root = tree::from_toml(table.get_ref(), table.span());
    root.rename_keys(&|span| {
        bare.iter()
            .find(|b| b.span == *span)
            .map(|b| b.written.clone())
    });
    let value = recover::toml_value(table).ok_or(findings)?;
    Ok((root, value, bare))
}

fn parse_json(text: &str) -> Result<Parsed, Vec<Finding>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let at = offset_of(text, e.line(), e.column());
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        vec![syntax_finding(text, message, at..at)]
    })?;
    let root = tree::from_json(text).expect("serde_json accepted this text");
    Ok((root, value, Vec::new()))
}

/// Keys against the schema, then the typed read, reading past every mistake.
fn understand<T: DeserializeOwned>(
    mut doc: Document,
    root: Node,
    mut value: Value,
    bare: &[BareKey],
) -> Result<Partial<T>, LoadError> {
    let format = doc.format;
    doc.index = root.index();
    if let Some(version) = value.get("format_version").and_then(Value::as_u64)
        && version != u64::from(FORMAT_VERSION)
    {
        let finding = Finding::new(
            Code::FormatVersion,
            "format_version",
            format!("数据格式版本为 {version}，本版 dashi 只认识版本 {FORMAT_VERSION}"),
        )
        .hint(format!(
            "将 format_version 改为 {FORMAT_VERSION}，或换用相应版本的 dashi"
        ));
        return Err(LoadError::Invalid {
            doc: Box::new(doc),
            findings: vec![finding],
        });
    }
    let mut findings = Vec::new();
    let mut unsure = Vec::new();
    for mismatch in format.mismatches(&root) {
        match mismatch {
            Mismatch::Unknown {
                path,
                key_span,
                suggestion,
            } => {
                let as_parsed = match bare.iter().find(|b| b.span == key_span) {
                    Some(b) => replace_last_key(&path, &b.stand_in),
                    None => path.clone(),
                };
                recover::set(&mut value, &as_parsed, None);
                // A misspelt required key: its value is unsure, not missing.
                if let Some(key) = &suggestion {
                    let meant = replace_last_key(&path, key);
                    if recover::get(&value, &meant).is_none()
                        && let Some(stand_in) = recover::stand_in_for(format, &meant)
                    {
                        recover::set(&mut value, &meant, Some(stand_in));
                        unsure.push(meant);
                    }
                }
                findings.push(unknown_key(format, &path, key_span, suggestion));
            }
            Mismatch::Missing { table, key } => {
                let path = tree::join_key(&table, &key);
                recover::set(&mut value, &path, recover::stand_in_for(format, &path));
                findings.push(
                    Finding::new(
                        Code::MissingKey,
                        table.clone(),
                        format!("缺少必填字段 “{key}”（{}）", format.label(&path)),
                    )
                    .hint(format!("在这一部分加上 {key} = …，写法见样例 studio.toml")),
                );
                unsure.push(path);
            }
        }
    }
    let mut tried = std::collections::BTreeSet::new();
    loop {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(read) => {
                return Ok(Partial {
                    doc,
                    value: read,
                    findings,
                    unsure,
                });
            }
            Err(error) => {
                let path = path_string(error.path());
                let written = recover::get(&value, &path).cloned();
                findings.push(wrong_value(
                    &doc,
                    &path,
                    &error.inner().to_string(),
                    written.as_ref(),
                ));
                let progress = !path.is_empty()
                    && tried.insert(path.clone())
                    && recover::set(&mut value, &path, recover::stand_in_for(format, &path));
                if !progress {
                    return Err(LoadError::Invalid {
                        doc: Box::new(doc),
                        findings,
                    });
                }
                unsure.push(path);
            }
        }
    }
}

fn unknown_key(
    format: &Format,
    path: &str,
    key_span: Range<usize>,
    suggestion: Option<String>,
) -> Finding {
    let key = path.rsplit('.').next().unwrap_or(path).to_string();
    let in_chinese = !key.is_ascii();
    let message = if in_chinese {
        format!("字段名须用英文：不认识 “{key}”")
    } else {
        format!("不认识的字段名 “{key}”")
    };
    let finding = Finding::new(Code::UnknownKey, path, message).at(key_span);
    match suggestion {
        Some(s) if in_chinese => finding.hint(format!(
            "“{key}”应写作 {s}（{}），如 {s} = …",
            format.label(&replace_last_key(path, &s))
        )),
        Some(s) => finding.hint(format!(
            "是不是要写 “{s}”（{}）？",
            format.label(&replace_last_key(path, &s))
        )),
        None => finding.hint("删去这个字段，或对照 dashi schema 输出的格式改正字段名"),
    }
}

fn replace_last_key(path: &str, key: &str) -> String {
    match path.rfind('.') {
        Some(i) => format!("{}.{key}", &path[..i]),
        None => key.to_string(),
    }
}

/// A value of the wrong kind, with what to write instead where that can be told.
fn wrong_value(doc: &Document, path: &str, raw: &str, written: Option<&Value>) -> Finding {
    let mut finding = Finding::new(Code::WrongValue, path, value_message(raw));
    if let Some((found, choices)) = variant_choices(raw) {
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
    let kind = doc.format.shape_at(path).and_then(|shape| match shape {
        Shape::Value(kind) => Some(kind),
        _ => None,
    });
    if finding.hint.is_none()
        && let (Some(kind), Some(Value::String(text))) = (kind, written)
        && let Some(hint) = value_hint(path, kind, text)
    {
        finding = finding.hint(hint);
    }
    if finding.hint.is_none() {
        finding = finding.hint("对照样例 studio.toml 或 dashi schema 改正这个值");
    }
    if let Some(span) = doc.span_of(path) {
        finding = finding.at(span);
    }
    finding
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
    Finding::new(
        Code::Syntax,
        "",
        format!(
            "这里的写法有误，无法读取：{}",
            super::messages::syntax_detail(raw)
        ),
    )
    .hint(syntax_hint(line))
    .at(span)
}

/// The byte offset where the line holding byte `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[..at].rfind('\n').map_or(0, |i| i + 1)
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
