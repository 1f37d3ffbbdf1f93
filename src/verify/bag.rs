//! The steps of verifying a bag, in RFC 8493's order: the declaration (`bagit.txt`),
//! the manifests and tag manifests, `fetch.txt`, what each listed file must hash to,
//! the payload (listed in every manifest), the hashing itself (once per file, on every
//! core), the comparison, and `bag-info.txt` (Payload-Oxum, dashi's evidence digest),
//! then the seal and `--expect`.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use unicode_normalization::UnicodeNormalization;

use super::source::{Entry, Source};
use super::tagfiles::{self, Algorithm, Encoding};
use super::{FileState, Report, expected_digest};
use crate::progress::Progress;
use crate::seal::digest::hex;
use crate::seal::digest::{ManifestLine, Sha256Hex, evidence_digest, in_evidence_scope};

/// Names that operating systems drop into folders on their own.
const SYSTEM_FILES: [&str; 4] = [".DS_Store", "Thumbs.db", "desktop.ini", "._"];

/// The largest tag file read (a manifest of about 600 000 files): a bigger one is
/// refused by name rather than read into memory.
const TAG_FILE_LIMIT: u64 = 64 << 20;

/// The digests a listed file must have, by algorithm. Small vectors, not maps: a bag
/// lists one or two algorithms and seldom more than one digest each, and may hold many
/// thousands of files.
type Expected = Vec<(Algorithm, Vec<String>)>;

/// The digests computed for a file, by algorithm.
type Computed = Vec<(Algorithm, String)>;

/// Manifests by algorithm.
type Manifests = BTreeMap<Algorithm, Vec<tagfiles::Listed>>;

/// A bag being read: its files by (NFC) path and its tag files' encoding.
struct Reading<'a> {
    source: &'a Source,
    by_path: BTreeMap<String, &'a Entry>,
    encoding: Encoding,
}

impl Reading<'_> {
    /// A tag file's bytes, read up to the limit.
    fn read_small(&self, name: &str) -> Option<Vec<u8>> {
        let entry = self.by_path.get(name)?;
        let mut bytes = Vec::new();
        self.source
            .stream(entry, &mut |chunk| {
                if bytes.len() < TAG_FILE_LIMIT as usize {
                    bytes.extend_from_slice(chunk)
                }
            })
            .ok()?;
        Some(bytes)
    }

    /// A tag file as text in the bag's encoding; oversized or undecodable ones are
    /// reported.
    fn decode(&self, name: &str, report: &mut Report) -> Option<String> {
        if self
            .by_path
            .get(name)
            .is_some_and(|e| e.size > TAG_FILE_LIMIT)
        {
            report.error(
                Some(name),
                None,
                format!("{name} 超过 {} MiB，不予读取", TAG_FILE_LIMIT >> 20),
            );
            return None;
        }
        let bytes = self.read_small(name)?;
        match tagfiles::decode(&bytes, self.encoding) {
            Ok(text) => Some(text),
            Err(e) => {
                report.error(Some(name), None, format!("{name} {e}"));
                None
            }
        }
    }
}

/// Whether a read failed because the system refused it (not because of the bytes).
fn is_refusal(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    e.get_ref().is_none()
        && matches!(
            e.kind(),
            K::PermissionDenied | K::NotFound | K::Interrupted | K::TimedOut | K::ResourceBusy
        )
}

/// Every step, in order; a bag without a declaration or any manifest stops early.
pub(super) fn check(
    source: &Source,
    report: &mut Report,
    expect: Option<&str>,
    progress: &dyn Progress,
) {
    let by_path: BTreeMap<String, &Entry> = source
        .entries()
        .iter()
        .map(|e| (e.path.nfc().collect::<String>(), e))
        .collect();
    let mut reading = Reading {
        source,
        by_path,
        encoding: Encoding::Utf8,
    };
    let Some(strict) = declaration(&mut reading, report) else {
        return;
    };
    let Some((manifests, tag_manifests)) = manifests(&reading, report) else {
        return;
    };
    let fetchable = fetchable(&reading, report);
    let wanted = wanted(&manifests, &tag_manifests, strict, report);
    payload(&reading, &manifests, report);
    let computed = hash(&reading, &wanted, progress, report);
    let tolerated = compare(&reading, &wanted, &computed, &fetchable, report);
    info(&reading, &manifests, tolerated, &fetchable, report);
    seal_and_expect(&reading, expect, report);
}

/// `bagit.txt`: the version and the tag files' encoding. Returns whether the bag is
/// BagIt 1.0 or later (stricter about repeated manifest lines).
fn declaration(reading: &mut Reading<'_>, report: &mut Report) -> Option<bool> {
    let Some(bagit) = reading.read_small("bagit.txt") else {
        report.error(
            Some("bagit.txt"),
            Some(FileState::Missing),
            "缺少 bagit.txt，不是 BagIt 包",
        );
        return None;
    };
    let declaration = match tagfiles::declaration(&bagit) {
        Ok(d) => d,
        Err(message) => {
            report.error(Some("bagit.txt"), None, message);
            return None;
        }
    };
    report.version = Some(format!(
        "{}.{}",
        declaration.version.0, declaration.version.1
    ));
    reading.encoding = declaration.encoding;
    Some(declaration.version >= (1, 0))
}

/// The manifests and tag manifests, by algorithm; `None` when there is no manifest.
fn manifests(reading: &Reading<'_>, report: &mut Report) -> Option<(Manifests, Manifests)> {
    let mut manifests: BTreeMap<Algorithm, Vec<tagfiles::Listed>> = BTreeMap::new();
    let mut tag_manifests: BTreeMap<Algorithm, Vec<tagfiles::Listed>> = BTreeMap::new();
    for entry in reading.source.entries() {
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
        let Some(text) = reading.decode(name, report) else {
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
        return None;
    }
    report.algorithms = manifests
        .keys()
        .map(|a| format!("{a:?}").to_lowercase())
        .collect();
    Some((manifests, tag_manifests))
}

/// `fetch.txt`: files that may be fetched later need not be present.
fn fetchable(reading: &Reading<'_>, report: &mut Report) -> BTreeSet<String> {
    let mut fetchable = BTreeSet::new();
    if let Some(text) = reading.decode("fetch.txt", report) {
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
    fetchable
}

/// What each listed file must hash to, under every algorithm that lists it.
fn wanted(
    manifests: &Manifests,
    tag_manifests: &Manifests,
    strict: bool,
    report: &mut Report,
) -> BTreeMap<String, Expected> {
    let mut wanted: BTreeMap<String, Expected> = BTreeMap::new();
    for (is_tag, set) in [(false, manifests), (true, tag_manifests)] {
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
    wanted
}

/// The payload: every file under `data/` is listed in every manifest; system files and
/// names that differ only in case are noted.
fn payload(reading: &Reading<'_>, manifests: &Manifests, report: &mut Report) {
    let payload: Vec<&Entry> = reading
        .source
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
}

/// Hashes every listed file that exists, once, on every core.
fn hash<'a>(
    reading: &Reading<'_>,
    wanted: &'a BTreeMap<String, Expected>,
    progress: &dyn Progress,
    report: &mut Report,
) -> BTreeMap<&'a String, Computed> {
    let jobs: Vec<(&String, &Entry, Vec<Algorithm>)> = wanted
        .iter()
        .filter_map(|(path, algos)| {
            reading
                .by_path
                .get(path)
                .map(|e| (path, *e, algos.iter().map(|(a, _)| *a).collect()))
        })
        .collect();
    progress.start(jobs.iter().map(|(_, e, _)| e.size).sum());
    let results = jobs
        .par_iter()
        .map(|(_, entry, algos)| {
            let mut hashers: Vec<_> = algos.iter().map(|a| (*a, a.hasher())).collect();
            let result = reading.source.stream(entry, &mut |chunk| {
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
        })
        .collect::<Vec<_>>();
    let mut computed: BTreeMap<&String, Computed> = BTreeMap::new();
    for ((path, _, _), result) in jobs.iter().zip(results) {
        match result {
            Ok(digests) => {
                computed.insert(path, digests);
            }
            // The system refusing to read a file says nothing of its bytes.
            Err(e) if is_refusal(&e) => report.error(
                Some(path),
                Some(FileState::Unreadable),
                format!("无法读取：{}", crate::fsio::why(&e)),
            ),
            Err(e) => report.error(
                Some(path),
                Some(FileState::Altered),
                format!("无法完整读取：{}", crate::fsio::why(&e)),
            ),
        }
    }
    computed
}

/// Each listed file against its digests: altered, missing, or lost to a file system.
/// Returns the size and count of files tolerated as lost, for Payload-Oxum.
fn compare(
    reading: &Reading<'_>,
    wanted: &BTreeMap<String, Expected>,
    computed: &BTreeMap<&String, Computed>,
    fetchable: &BTreeSet<String>,
    report: &mut Report,
) -> (u64, usize) {
    // Files a file system could not keep (a name differing only in case from a twin with
    // the same content, an empty system file): warned about, counted in Payload-Oxum.
    let mut tolerated = (0u64, 0usize);
    let mut by_lowercase: BTreeMap<String, Vec<&Computed>> = BTreeMap::new();
    for (path, digests) in computed {
        by_lowercase
            .entry(path.to_lowercase())
            .or_default()
            .push(digests);
    }
    for (path, algos) in wanted {
        match computed.get(&path) {
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
            None if !reading.by_path.contains_key(path) && !fetchable.contains(path) => {
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
    tolerated
}

/// `bag-info.txt`: a dashi disc's guide files, Payload-Oxum, who and when, and dashi's
/// evidence digest recomputed from the manifest.
fn info(
    reading: &Reading<'_>,
    manifests: &Manifests,
    tolerated: (u64, usize),
    fetchable: &BTreeSet<String>,
    report: &mut Report,
) {
    let info = reading
        .decode("bag-info.txt", report)
        .map(|t| tagfiles::bag_info(&t))
        .unwrap_or_default();
    // A dashi disc (an image, or a folder of one) carries its two guide files.
    let by_dashi = info
        .get("bag-software-agent")
        .and_then(|v| v.first())
        .is_some_and(|a| a.starts_with("dashi"));
    if reading.source.is_disc() && (matches!(reading.source, Source::Iso { .. }) || by_dashi) {
        for name in [crate::disc::INDEX_NAME, crate::disc::README_NAME] {
            if !reading.by_path.contains_key(name) {
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
}

/// The seal (SHA-256 of the tag manifest) and `--expect`.
fn seal_and_expect(reading: &Reading<'_>, expect: Option<&str>, report: &mut Report) {
    if let Some(tag) = reading.by_path.get("tagmanifest-sha256.txt")
        && reading.encoding == Encoding::Utf8
    {
        let mut hasher = sha2::Sha256::default();
        use sha2::Digest;
        if reading
            .source
            .stream(tag, &mut |c| hasher.update(c))
            .is_ok()
        {
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
