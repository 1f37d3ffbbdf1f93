//! intake.json: every submission of an output folder with its 受理编号. A number is
//! given once, to the submission's key (its seal, or its file's digest), and kept on
//! every later run; new submissions get the numbers after the highest ever given.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::cross::Traits;
use super::examine::Examined;
use super::{Conclusion, IntakeError, Submission};
use crate::data::dates::Date;

/// The ledger's file name in the output folder.
pub const LEDGER: &str = "intake.json";
const FORMAT: &str = "dashi-intake/1";

/// Everything intake found, for other programs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ledger {
    pub format: String,
    pub submissions: Vec<Submission>,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger {
            format: FORMAT.into(),
            submissions: Vec::new(),
        }
    }
}

impl Ledger {
    /// The ledger of an output folder, if it has one.
    pub fn read(out: &Path) -> Result<Option<Ledger>, IntakeError> {
        let path = out.join(LEDGER);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(IntakeError::input(
                    format!("无法读取 {}：{}", path.display(), crate::fsio::why(&e)),
                    "intake.json 记录已给出的受理编号；检查文件权限",
                ));
            }
        };
        let ledger: Ledger = serde_json::from_str(&text).map_err(|e| {
            IntakeError::input(
                format!(
                    "{} 第 {} 行有误，无法读取已给出的受理编号：{e}",
                    path.display(),
                    e.line()
                ),
                "intake.json 由 dashi 写入，不要手工修改；已损坏时从备份恢复，或换一个输出文件夹重新受理",
            )
        })?;
        if ledger.format != FORMAT {
            return Err(IntakeError::input(
                format!(
                    "{} 的格式为“{}”，本版 dashi 只认识“{FORMAT}”",
                    path.display(),
                    ledger.format
                ),
                "换用写入它的 dashi 版本，或换一个输出文件夹",
            ));
        }
        Ok(Some(ledger))
    }

    /// Writes the ledger (atomically).
    pub fn write(&self, out: &Path) -> Result<(), IntakeError> {
        let path = out.join(LEDGER);
        let mut text = serde_json::to_string_pretty(self).expect("the ledger serializes");
        text.push('\n');
        crate::fsio::write_atomic(&path, text.as_bytes()).map_err(IntakeError::write(&path))
    }

    /// Numbers this run's submissions: a key seen before keeps its number and day of
    /// receipt; a new one gets the next number, received on `received`.
    pub fn assign(
        &self,
        examined: Vec<Examined>,
        received: Date,
    ) -> Vec<(Submission, Option<Traits>)> {
        let known: BTreeMap<&str, &Submission> = self
            .submissions
            .iter()
            .map(|s| (s.key.as_str(), s))
            .collect();
        let mut next = self
            .submissions
            .iter()
            .map(|s| s.sequence)
            .max()
            .unwrap_or(0);
        let mut used = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for ex in examined {
            // The same submission given twice in one run (a zip and its folder) is
            // numbered twice: two keys.
            let mut key = ex.key.clone();
            let mut n = 2;
            while used.contains(&key) {
                key = format!("{}#{n}", ex.key);
                n += 1;
            }
            used.insert(key.clone());
            let (number, sequence, day) = match known.get(key.as_str()) {
                Some(old) => (old.number.clone(), old.sequence, old.received.clone()),
                None => {
                    next += 1;
                    (
                        format!("{}-{next:03}", received.year),
                        next,
                        received.to_string(),
                    )
                }
            };
            let name = ex
                .facts
                .as_ref()
                .map(|f| f.studio.clone())
                .filter(|s| !s.is_empty())
                .or_else(|| ex.identifier.clone());
            let mut facts = ex.facts;
            if facts.is_none()
                && let Some(name) = name
            {
                facts = Some(super::Facts {
                    studio: name,
                    ..Default::default()
                });
            }
            out.push((
                Submission {
                    number,
                    sequence,
                    key,
                    input: ex.input,
                    form: ex.form.label().to_string(),
                    received: day,
                    integrity: ex.integrity,
                    facts,
                    evidence_digest: ex.evidence_digest,
                    typed_digest: None,
                    seal: ex.seal,
                    pages: ex.pages,
                    evidence_items: ex.evidence_items,
                    problems: ex.problems,
                    conclusion: Conclusion {
                        verdict: String::new(),
                        reasons: Vec::new(),
                    },
                    files: Vec::new(),
                    carried: false,
                    traits: None,
                },
                ex.traits,
            ));
        }
        out.sort_by_key(|(s, _)| s.sequence);
        out
    }

    /// This run's submissions, and those of earlier runs not given again (kept as they
    /// were, marked carried); returns how many were carried.
    pub fn merge(&mut self, now: Vec<Submission>) -> usize {
        let keys: std::collections::BTreeSet<String> = now.iter().map(|s| s.key.clone()).collect();
        let mut carried: Vec<Submission> = std::mem::take(&mut self.submissions)
            .into_iter()
            .filter(|s| !keys.contains(&s.key))
            .map(|mut s| {
                s.carried = true;
                s
            })
            .collect();
        let count = carried.len();
        carried.extend(now);
        carried.sort_by_key(|s| s.sequence);
        self.submissions = carried;
        count
    }

    /// The latest day of receipt, the date the outputs carry.
    pub fn latest_received(&self) -> Option<Date> {
        self.submissions
            .iter()
            .filter_map(|s| Date::parse(&s.received))
            .max()
    }

    /// The name a submission's sheets carry: `NN-工作室名称`, the number first, without
    /// invisible or reordering characters, at most `STEM_CHARS` characters (a studio
    /// name of 200 characters must not make a name the disk refuses).
    pub fn stem(s: &Submission) -> String {
        let name = s
            .facts
            .as_ref()
            .map(|f| f.studio.as_str())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or("未能读取名称");
        let number = format!("{:02}", s.sequence);
        let name = crate::portable::portable(name.trim(), "未能读取名称");
        let room = STEM_CHARS.saturating_sub(number.chars().count() + 1);
        let stem = format!("{number}-{}", crate::portable::shortened(&name, room));
        crate::portable::portable(&stem, &number)
    }
}

/// The longest sheet name (without `.pdf`), in characters.
pub const STEM_CHARS: usize = 60;

/// Whether a path of the ledger is one of the sheets intake writes.
pub fn is_sheet_path(path: &str) -> bool {
    let mut parts = path.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(super::REVIEW_DIR | super::EXPERT_DIR), Some(name), None) if name.ends_with(".pdf")
    )
}
