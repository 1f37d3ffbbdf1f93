//! `dashi verify`: checks any BagIt bag — a folder or a zip read in place — the way
//! RFC 8493 asks: `bagit.txt`, every manifest against every payload file (each listed
//! file present and unchanged, each payload file listed), the tag manifests,
//! Payload-Oxum, and `--expect` (the evidence digest on the paper pledge, or the seal).
//! Every file is hashed once, streaming, on every core. It stands alone: it never uses
//! the renderer or the rules, so it verifies any bag, not only dashi's.

mod iso;
pub mod ocfl;
pub mod source;
pub mod tagfiles;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::progress::Progress;
use crate::seal::digest::{ManifestLine, Sha256Hex, evidence_digest, in_evidence_scope};
use source::{Entry, Source, SourceError};
use tagfiles::{Algorithm, Encoding};

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FileState {
    /// 已篡改: the content differs from the manifest.
    #[serde(rename = "已篡改")]
    Altered,
    /// 缺失: listed but not there.
    #[serde(rename = "缺失")]
    Missing,
    /// 多余: in the payload but in no manifest.
    #[serde(rename = "多余")]
    Extra,
}

impl FileState {
    pub fn label(self) -> &'static str {
        match self {
            FileState::Altered => "已篡改",
            FileState::Missing => "缺失",
            FileState::Extra => "多余",
        }
    }
}

/// One problem with a bag.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Whether the bag is broken (错误) or only odd (警告).
    pub error: bool,
    pub path: Option<String>,
    pub state: Option<FileState>,
    pub message: String,
}

/// The verification report (also printed as JSON with `--json`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub bag: String,
    pub version: Option<String>,
    pub payload_files: usize,
    pub payload_bytes: u64,
    pub algorithms: Vec<String>,
    /// Whose bag it is and when it was made, as bag-info.txt says (External-Identifier,
    /// Bagging-Date): what a reviewer matches with the paper first.
    pub identifier: Option<String>,
    pub bagging_date: Option<String>,
    pub evidence_digest: Option<String>,
    pub seal: Option<String>,
    pub problems: Vec<Problem>,
    pub intact: bool,
}

impl Report {
    fn error(&mut self, path: Option<&str>, state: Option<FileState>, message: impl Into<String>) {
        self.problems.push(Problem {
            error: true,
            path: path.map(str::to_string),
            state,
            message: message.into(),
        });
    }

    fn warn(&mut self, path: Option<&str>, message: impl Into<String>) {
        self.problems.push(Problem {
            error: false,
            path: path.map(str::to_string),
            state: None,
            message: message.into(),
        });
    }
}

/// Names that operating systems drop into folders on their own.
const SYSTEM_FILES: [&str; 4] = [".DS_Store", "Thumbs.db", "desktop.ini", "._"];

/// Verifies the bag at `path`; `expect` is a digest the bag must carry (its evidence
/// digest or its seal). Errors only when the path cannot be read at all.
pub fn verify(
    path: &Path,
    expect: Option<&str>,
    progress: &dyn Progress,
) -> Result<Report, SourceError> {
    let source = Source::open(path)?;
    let mut report = Report {
        bag: path.display().to_string(),
        version: None,
        payload_files: 0,
        payload_bytes: 0,
        algorithms: Vec::new(),
        identifier: None,
        bagging_date: None,
        evidence_digest: None,
        seal: None,
        problems: Vec::new(),
        intact: false,
    };
    check(&source, &mut report, expect, progress);
    progress.finish();
    report.intact = !report.problems.iter().any(|p| p.error);
    Ok(report)
}

fn check(source: &Source, report: &mut Report, expect: Option<&str>, progress: &dyn Progress) {
    let by_path: BTreeMap<String, &Entry> = source
        .entries()
        .iter()
        .map(|e| (e.path.nfc().collect::<String>(), e))
        .collect();
    let read_small = |name: &str| -> Option<Vec<u8>> {
        let entry = by_path.get(name)?;
        let mut bytes = Vec::new();
        source
            .stream(entry, &mut |chunk| {
                if bytes.len() < TAG_FILE_LIMIT as usize {
                    bytes.extend_from_slice(chunk)
                }
            })
            .ok()?;
        Some(bytes)
    };

    // bagit.txt
    let Some(bagit) = read_small("bagit.txt") else {
        report.error(
            Some("bagit.txt"),
            Some(FileState::Missing),
            "缺少 bagit.txt，不是 BagIt 包",
        );
        return;
    };
    let declaration = match tagfiles::declaration(&bagit) {
        Ok(d) => d,
        Err(message) => {
            report.error(Some("bagit.txt"), None, message);
            return;
        }
    };
    report.version = Some(format!(
        "{}.{}",
        declaration.version.0, declaration.version.1
    ));
    let strict = declaration.version >= (1, 0);
    let decode = |name: &str, report: &mut Report| -> Option<String> {
        if by_path.get(name).is_some_and(|e| e.size > TAG_FILE_LIMIT) {
            report.error(
                Some(name),
                None,
                format!("{name} 超过 {} MiB，不予读取", TAG_FILE_LIMIT >> 20),
            );
            return None;
        }
        let bytes = read_small(name)?;
        match tagfiles::decode(&bytes, declaration.encoding) {
            Ok(text) => Some(text),
            Err(e) => {
                report.error(Some(name), None, format!("{name} {e}"));
                None
            }
        }
    };

    // Manifests and tag manifests.
    let mut manifests: BTreeMap<Algorithm, Vec<tagfiles::Listed>> = BTreeMap::new();
    let mut tag_manifests: BTreeMap<Algorithm, Vec<tagfiles::Listed>> = BTreeMap::new();
    for entry in source.entries() {
        let name = entry.path.as_str();
        if name.contains('/') {
            continue;
        }
        let (kind, algo) = if let Some(a) = name
            .strip_prefix("tagmanifest-")
            .and_then(|n| n.strip_suffix(".txt"))
        {
            (true, a)
        } else if let Some(a) = name
            .strip_prefix("manifest-")
            .and_then(|n| n.strip_suffix(".txt"))
        {
            (false, a)
        } else {
            continue;
        };
        let Some(algorithm) = Algorithm::from_name(algo) else {
            report.warn(Some(name), format!("不认识的摘要算法 {algo}，跳过此清单"));
            continue;
        };
        let Some(text) = decode(name, report) else {
            continue;
        };
        match tagfiles::manifest(&text) {
            Ok(lines) => {
                if kind {
                    tag_manifests.insert(algorithm, lines);
                } else {
                    manifests.insert(algorithm, lines);
                }
            }
            Err(message) => report.error(Some(name), None, message),
        }
    }
    if manifests.is_empty() {
        report.error(None, None, "没有任何有效的清单（manifest-*.txt）");
        return;
    }
    report.algorithms = manifests
        .keys()
        .map(|a| format!("{a:?}").to_lowercase())
        .collect();

    // fetch.txt: files that may be fetched later need not be present.
    let mut fetchable = BTreeSet::new();
    if let Some(text) = decode("fetch.txt", report) {
        for line in tagfiles::lines(&text) {
            let parts: Vec<&str> = line.splitn(3, [' ', '\t']).collect();
            let path = parts.get(2).map(|p| tagfiles::percent_decode(p.trim()));
            match path {
                Some(p) if tagfiles::in_scope(&p) => {
                    fetchable.insert(p.nfc().collect::<String>());
                }
                _ => report.error(
                    Some("fetch.txt"),
                    None,
                    format!("fetch.txt 中的路径指向包外：“{line}”"),
                ),
            }
        }
    }

    // What must be hashed with what.
    let mut wanted: BTreeMap<String, Expected> = BTreeMap::new();
    for (is_tag, set) in [(false, &manifests), (true, &tag_manifests)] {
        for (algorithm, lines) in set {
            let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
            for listed in lines {
                if let Some(oddity) = listed.oddity {
                    report.warn(Some(&listed.path), oddity);
                }
                if !tagfiles::in_scope(&listed.path)
                    || (!is_tag && !listed.path.starts_with("data/"))
                {
                    report.error(
                        Some(&listed.path),
                        None,
                        "清单中的路径指向包外或不在 data/ 下",
                    );
                    continue;
                }
                let key = listed.path.nfc().collect::<String>();
                if let Some((raw, digest)) = seen.get(&key) {
                    if digest != &listed.digest {
                        report.error(
                            Some(&listed.path),
                            None,
                            "同一文件在清单中列出两次，摘要不同",
                        );
                    } else if raw != &listed.path {
                        report.warn(
                            Some(&listed.path),
                            "同一文件名以不同的 Unicode 形式列出两次",
                        );
                    } else if strict {
                        report.error(
                            Some(&listed.path),
                            None,
                            "同一文件在清单中列出两次（BagIt 1.0 不允许）",
                        );
                    } else {
                        report.warn(Some(&listed.path), "同一文件在清单中列出两次");
                    }
                    continue;
                }
                seen.insert(key.clone(), (listed.path.clone(), listed.digest.clone()));
                expect_digest(wanted.entry(key).or_default(), *algorithm, &listed.digest);
            }
        }
    }

    // Payload files: each must be listed in every manifest.
    let payload: Vec<&Entry> = source
        .entries()
        .iter()
        .filter(|e| e.path.starts_with("data/"))
        .collect();
    report.payload_files = payload.len();
    report.payload_bytes = payload.iter().map(|e| e.size).sum();
    let listed: BTreeMap<Algorithm, BTreeSet<String>> = manifests
        .iter()
        .map(|(algorithm, lines)| {
            let paths = lines.iter().map(|l| l.path.nfc().collect()).collect();
            (*algorithm, paths)
        })
        .collect();
    let mut lower: BTreeMap<String, &str> = BTreeMap::new();
    for entry in &payload {
        let key = entry.path.nfc().collect::<String>();
        for (algorithm, paths) in &listed {
            if !paths.contains(&key) {
                report.error(
                    Some(&entry.path),
                    Some(FileState::Extra),
                    format!(
                        "不在 manifest-{} 清单中",
                        format!("{algorithm:?}").to_lowercase()
                    ),
                );
            }
        }
        let name = entry.path.rsplit('/').next().unwrap_or("");
        if SYSTEM_FILES
            .iter()
            .any(|s| name == *s || (s.ends_with('_') && name.starts_with(s)))
        {
            report.warn(Some(&entry.path), "操作系统自动生成的文件");
        }
        if let Some(other) = lower.insert(key.to_lowercase(), &entry.path) {
            report.warn(
                Some(&entry.path),
                format!("与 {other} 只有大小写不同，在不区分大小写的系统上会冲突"),
            );
        }
    }

    // Hash every listed file that exists, once, on every core.
    let jobs: Vec<(&String, &Entry, Vec<Algorithm>)> = wanted
        .iter()
        .filter_map(|(path, algos)| {
            by_path
                .get(path)
                .map(|e| (path, *e, algos.iter().map(|(a, _)| *a).collect()))
        })
        .collect();
    progress.start(jobs.iter().map(|(_, e, _)| e.size).sum());
    let results = crate::parallel::map(&jobs, crate::parallel::cores(), |(_, entry, algos)| {
        let mut hashers: Vec<_> = algos.iter().map(|a| (*a, a.hasher())).collect();
        let result = source.stream(entry, &mut |chunk| {
            for (_, h) in hashers.iter_mut() {
                h.update(chunk);
            }
            progress.advance(chunk.len() as u64);
        });
        result.map(|_| {
            hashers
                .into_iter()
                .map(|(a, h)| (a, hex(&h.finalize())))
                .collect::<Computed>()
        })
    });
    let mut computed: BTreeMap<&String, Computed> = BTreeMap::new();
    for ((path, _, _), result) in jobs.iter().zip(results) {
        match result {
            Ok(digests) => {
                computed.insert(path, digests);
            }
            Err(e) => report.error(
                Some(path),
                Some(FileState::Altered),
                format!("无法完整读取：{e}"),
            ),
        }
    }
    // Files a file system could not keep (a name differing only in case from a twin with
    // the same content, an empty system file): warned about, counted in Payload-Oxum.
    let mut tolerated = (0u64, 0usize);
    let mut by_lowercase: BTreeMap<String, Vec<&Computed>> = BTreeMap::new();
    for (path, digests) in &computed {
        by_lowercase
            .entry(path.to_lowercase())
            .or_default()
            .push(digests);
    }
    for (path, algos) in &wanted {
        match computed.get(path) {
            Some(digests) => {
                for (algorithm, expected) in algos {
                    if !digest_of(digests, *algorithm).is_some_and(|d| expected.contains(d)) {
                        report.error(
                            Some(path),
                            Some(FileState::Altered),
                            format!(
                                "内容与 {} 摘要不符",
                                format!("{algorithm:?}").to_uppercase()
                            ),
                        );
                    }
                }
            }
            None if !by_path.contains_key(path) && !fetchable.contains(path) => {
                match lost_to_file_system(path, algos, &by_lowercase) {
                    Some((size, counted, why)) => {
                        report.warn(Some(path), why);
                        tolerated.0 += size;
                        tolerated.1 += counted;
                    }
                    None => {
                        report.error(Some(path), Some(FileState::Missing), "清单中列出但包中没有")
                    }
                }
            }
            None => {}
        }
    }

    // Payload-Oxum and dashi's own fields.
    let info = decode("bag-info.txt", report)
        .map(|t| tagfiles::bag_info(&t))
        .unwrap_or_default();
    // A dashi disc (an image, or a folder of one) carries its two guide files.
    let by_dashi = info
        .get("bag-software-agent")
        .and_then(|v| v.first())
        .is_some_and(|a| a.starts_with("dashi"));
    if source.is_disc() && (matches!(source, Source::Iso { .. }) || by_dashi) {
        for name in [crate::disc::INDEX_NAME, crate::disc::README_NAME] {
            if !by_path.contains_key(name) {
                report.error(
                    Some(name),
                    Some(FileState::Missing),
                    "光盘上缺少这个说明文件",
                );
            }
        }
    }
    if let Some(oxum) = info.get("payload-oxum").and_then(|v| v.first()) {
        let expected = format!(
            "{}.{}",
            report.payload_bytes + tolerated.0,
            report.payload_files + tolerated.1
        );
        if fetchable.is_empty() && oxum.trim() != expected {
            report.error(
                Some("bag-info.txt"),
                None,
                format!("Payload-Oxum 为 {oxum}，实际为 {expected}"),
            );
        }
    }
    let first = |key: &str| info.get(key).and_then(|v| v.first()).cloned();
    report.identifier = first("external-identifier");
    report.bagging_date = first("bagging-date");
    if let Some(lines) = manifests.get(&Algorithm::Sha256) {
        let evidence: Vec<ManifestLine> = lines
            .iter()
            .filter(|l| in_evidence_scope(&l.path))
            .filter_map(|l| {
                Some(ManifestLine {
                    digest: Sha256Hex::parse(&l.digest)?,
                    path: l.path.clone(),
                })
            })
            .collect();
        if let Some(recorded) = info.get("evidence-digest").and_then(|v| v.first()) {
            let actual = evidence_digest(&evidence).to_string();
            if recorded.to_ascii_lowercase() != actual {
                report.error(
                    Some("bag-info.txt"),
                    None,
                    format!("Evidence-Digest 为 {recorded}，按清单计算应为 {actual}"),
                );
            }
            report.evidence_digest = Some(recorded.to_ascii_lowercase());
        }
    }
    if let Some(tag) = by_path.get("tagmanifest-sha256.txt")
        && declaration.encoding == Encoding::Utf8
    {
        let mut hasher = sha2::Sha256::default();
        use sha2::Digest;
        if source.stream(tag, &mut |c| hasher.update(c)).is_ok() {
            report.seal = Some(hex(&hasher.finalize()));
        }
    }
    if let Some(expect) = expect {
        let expect = expected_digest(expect).unwrap_or_else(|_| expect.to_string());
        let matches = report.evidence_digest.as_deref() == Some(expect.as_str())
            || report.seal.as_deref() == Some(expect.as_str());
        if !matches {
            report.error(
                None,
                None,
                format!("期望的摘要 {expect} 既不是本包的电子材料摘要，也不是封存值"),
            );
        }
    }
}

/// A digest as a reviewer types it from paper — in groups, with spaces (also
/// full-width), hyphens or colons between them, in either case — as 64 lowercase hex
/// digits; or why it cannot be one.
pub fn expected_digest(typed: &str) -> Result<String, String> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | ':'))
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(format!("期望的摘要中有“{bad}”，摘要只由 0–9 和 a–f 组成"));
    }
    if digits.len() != 64 && digits.len() != 128 {
        return Err(format!(
            "期望的摘要应为 64 位（电子材料摘要、封存值）或 128 位（档案版本清单摘要）十六进制数，实为 {} 位",
            digits.len()
        ));
    }
    Ok(digits)
}

/// What `dashi verify` found: a bag's report, or an OCFL object's.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Verified {
    Bag(Report),
    Object(ocfl::ObjectReport),
}

impl Verified {
    pub fn intact(&self) -> bool {
        match self {
            Verified::Bag(r) => r.intact,
            Verified::Object(r) => r.intact,
        }
    }

    /// The report as a reviewer reads it.
    pub fn render(&self) -> String {
        match self {
            Verified::Bag(r) => render(r),
            Verified::Object(r) => ocfl::render(r),
        }
    }
}

/// Verifies whatever `path` is: an OCFL object (the studio archive) or a bag (folder,
/// zip, disc image or mounted disc).
pub fn verify_any(
    path: &Path,
    expect: Option<&str>,
    progress: &dyn Progress,
) -> Result<Verified, SourceError> {
    if path.is_dir() && ocfl::is_object(path) {
        let expect = expect.map(|e| expected_digest(e).unwrap_or_else(|_| e.to_string()));
        return Ok(Verified::Object(ocfl::verify_object(
            path,
            expect.as_deref(),
            progress,
        )));
    }
    verify(path, expect, progress).map(Verified::Bag)
}

/// Whether a listed but absent file was lost to a file system rather than removed: a
/// twin whose name differs only in case holds the same content (a case-insensitive
/// copy keeps one of the two), or it is an empty operating-system file (often not
/// copied). Returns its size and count for Payload-Oxum, and the warning.
fn lost_to_file_system(
    path: &str,
    algos: &Expected,
    by_lowercase: &BTreeMap<String, Vec<&Computed>>,
) -> Option<(u64, usize, &'static str)> {
    let twin = by_lowercase
        .get(&path.to_lowercase())
        .into_iter()
        .flatten()
        .find(|digests| {
            algos
                .iter()
                .all(|(a, expected)| digest_of(digests, *a).is_some_and(|d| expected.contains(d)))
        });
    if twin.is_some() {
        // On the case-insensitive system that made such a bag both names are one file,
        // counted once in Payload-Oxum.
        return Some((
            0,
            0,
            "与另一文件名只有大小写不同且内容相同；在不区分大小写的系统上只能保留一个",
        ));
    }
    let name = path.rsplit('/').next().unwrap_or("");
    let system = SYSTEM_FILES
        .iter()
        .any(|s| name == *s || (s.ends_with('_') && name.starts_with(s)));
    let empty = algos.iter().all(|(a, expected)| {
        let mut h = a.hasher();
        h.update(b"");
        expected.contains(&hex(&h.finalize()))
    });
    (system && empty).then_some((0, 1, "操作系统生成的空文件未随包保存"))
}

/// The digests a listed file must have, by algorithm. Small vectors, not maps: a bag
/// lists one or two algorithms and seldom more than one digest each, and may hold many
/// thousands of files.
type Expected = Vec<(Algorithm, Vec<String>)>;

/// The digests computed for a file, by algorithm.
type Computed = Vec<(Algorithm, String)>;

/// Records that a file must have `digest` under `algorithm`.
fn expect_digest(expected: &mut Expected, algorithm: Algorithm, digest: &str) {
    match expected.iter_mut().find(|(a, _)| *a == algorithm) {
        Some((_, digests)) if digests.iter().any(|d| d == digest) => {}
        Some((_, digests)) => digests.push(digest.to_string()),
        None => expected.push((algorithm, vec![digest.to_string()])),
    }
}

/// The digest computed under `algorithm`.
fn digest_of(computed: &Computed, algorithm: Algorithm) -> Option<&String> {
    computed
        .iter()
        .find(|(a, _)| *a == algorithm)
        .map(|(_, d)| d)
}

/// The largest tag file read (a manifest of about 600 000 files): a bigger one is
/// refused by name rather than read into memory.
const TAG_FILE_LIMIT: u64 = 64 << 20;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The Chinese report for people.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for p in &report.problems {
        let level = if p.error { "错误" } else { "警告" };
        let state = p
            .state
            .map(|s| format!("[{}] ", s.label()))
            .unwrap_or_default();
        match &p.path {
            Some(path) => out.push_str(&format!("{level}：{state}{path}：{}\n", p.message)),
            None => out.push_str(&format!("{level}：{}\n", p.message)),
        }
    }
    if let Some(id) = &report.identifier {
        match &report.bagging_date {
            Some(date) => out.push_str(&format!("包：{id}（封存日期 {date}）\n")),
            None => out.push_str(&format!("包：{id}\n")),
        }
    }
    // A broken bag's recorded values must not pass for a match with the paper.
    let caveat = if report.intact {
        ""
    } else {
        "（包未通过校验，不能据此与纸面核对）"
    };
    if let Some(d) = &report.evidence_digest {
        out.push_str(&format!("电子材料摘要{caveat}：{d}\n"));
    }
    if let Some(s) = &report.seal {
        out.push_str(&format!("封存值{caveat}：{s}\n"));
    }
    let errors = report.problems.iter().filter(|p| p.error).count();
    let warnings = report.problems.len() - errors;
    if report.intact {
        out.push_str(&format!(
            "校验通过：{} 个数据文件（{} 字节）完好，{warnings} 个警告。\n",
            report.payload_files, report.payload_bytes
        ));
    } else {
        out.push_str(&format!(
            "校验未通过：{errors} 个错误，{warnings} 个警告。\n"
        ));
    }
    out
}
