//! intake.json: every submission of an output folder with its 受理编号. A number is
//! given once, to the submission's key (its seal, or its file's digest), and kept on
//! every later run; new submissions get the numbers after the highest ever given.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::cross::Traits;
use super::examine::Examined;
use super::{Copy, IntakeError, Submission};
use crate::data::dates::Date;

/// The ledger's file name in the output folder.
pub const LEDGER: &str = "intake.json";
const FORMAT: &str = "dashi-intake/2";
/// The format before ID numbers were kept as keyed digests.
const FORMAT_1: &str = "dashi-intake/1";

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
        if ledger.format != FORMAT && ledger.format != FORMAT_1 {
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

    /// Takes this run's examinations into the ledger (the README says what is one
    /// submission):
    /// - a key seen before (the same seal, or the same bytes) is that submission: the
    ///   first time in a run it is judged afresh and keeps its number, day and first
    ///   file; any other file of it is a copy received again (重复收到);
    /// - a readable file named as an earlier one that could not be read (in this run or
    ///   before) replaces it and keeps its number;
    /// - anything else is new and gets the next number, received on `received`.
    ///
    /// Every submission not given in this run is marked carried. Returns the traits
    /// of this run's submissions by 受理编号, and notes for the clerk.
    pub fn receive(
        &mut self,
        examined: Vec<Examined>,
        received: Date,
    ) -> (BTreeMap<String, Traits>, Vec<String>) {
        let mut next = self
            .submissions
            .iter()
            .map(|s| s.sequence)
            .max()
            .unwrap_or(0);
        for s in &mut self.submissions {
            s.carried = true;
        }
        let mut traits = BTreeMap::new();
        let mut notes = Vec::new();
        let day = received.to_string();
        for mut ex in examined {
            let copy = Copy {
                input: ex.input.clone(),
                form: ex.form.label().to_string(),
                received: day.clone(),
            };
            let fresh = ex.traits.take();
            let name = file_name(&ex.input).to_string();
            let readable = ex.facts.as_ref().is_some_and(|f| !f.data_file.is_empty());
            let s = if let Some(s) = self.submissions.iter_mut().find(|s| s.key == ex.key) {
                // Already given in this run: this file is a copy of it, nothing more.
                let given = !s.carried;
                let again = format!(
                    "{} 与 {} 是同一份申报（封存值或文件相同），记为重复收到，不是第二份申报",
                    ex.input, s.input
                );
                if !given {
                    // Judged afresh; its first file stays its source.
                    let first = std::mem::take(&mut s.input);
                    s.take(ex);
                    if first != copy.input {
                        s.input = first;
                    }
                }
                let copies = s.copies.len();
                s.add_copy(copy);
                if s.copies.len() > copies {
                    notes.push(again);
                }
                if given {
                    continue;
                }
                s
            } else if let Some(s) = self
                .submissions
                .iter_mut()
                .filter(|_| readable)
                .find(|s| s.unread() && file_name(&s.input) == name)
            {
                s.history.push(format!(
                    "{day}：收到同名文件 {}，替换 {}（{} 收到，无法读取），受理编号不变",
                    crate::portable::shown(&ex.input),
                    crate::portable::shown(&s.input),
                    s.received
                ));
                notes.push(format!(
                    "{} 替换受理编号 {} 此前无法读取的同名文件",
                    crate::portable::shown(&ex.input),
                    s.number
                ));
                s.received = day.clone();
                s.copies.clear();
                s.take(ex);
                s
            } else {
                next += 1;
                let number = format!("{}-{next:03}", received.year);
                self.submissions
                    .push(Submission::blank(number, next, day.clone()));
                let s = self.submissions.last_mut().expect("just pushed");
                s.take(ex);
                s
            };
            if let Some(t) = fresh {
                traits.insert(s.number.clone(), t);
            }
        }
        self.submissions.sort_by_key(|s| s.sequence);
        (traits, notes)
    }

    /// Takes out the plain ID digests an older intake.json kept (a mask leaves only
    /// a few thousand numbers to try against them); returns how many submissions had
    /// them.
    pub fn forget_plain_digests(&mut self) -> usize {
        self.format = FORMAT.into();
        let mut count = 0;
        for s in &mut self.submissions {
            if let Some(t) = &mut s.traits
                && t.has_plain_digests()
            {
                *t = t.without_plain_digests();
                count += 1;
            }
        }
        count
    }

    /// The latest day of receipt, the date the outputs carry.
    pub fn latest_received(&self) -> Option<Date> {
        self.submissions
            .iter()
            .filter_map(|s| Date::parse(&s.received))
            .max()
    }

    /// How many digits the sheets' numbers take: three, or more once the folder holds
    /// a thousand submissions, so the files sort in number order.
    pub fn width(&self) -> usize {
        let most = self
            .submissions
            .iter()
            .map(|s| s.sequence)
            .max()
            .unwrap_or(0);
        most.to_string().len().max(3)
    }

    /// The name a submission's sheets carry: `001-工作室名称`, the number first (`width`
    /// digits), without invisible or reordering characters, at most `STEM_CHARS`
    /// characters (a studio name of 200 characters must not make a name the disk
    /// refuses).
    pub fn stem(s: &Submission, width: usize) -> String {
        let name = s
            .facts
            .as_ref()
            .map(|f| f.studio.as_str())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or("未能读取名称");
        let number = format!("{:0width$}", s.sequence);
        let name = crate::portable::portable(name.trim(), "未能读取名称");
        let room = STEM_CHARS.saturating_sub(number.chars().count() + 1);
        let stem = format!("{number}-{}", crate::portable::shortened(&name, room));
        crate::portable::portable(&stem, &number)
    }
}

/// The longest sheet name (without `.pdf`), in characters.
pub const STEM_CHARS: usize = 60;

/// Whether a file name in 初审/ or 专家评审表/ is one intake writes (`NN-….pdf`).
pub fn is_sheet_name(name: &str) -> bool {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    digits >= 2 && name[digits..].starts_with('-') && name.ends_with(".pdf")
}

/// The last part of an input's path, as the clerk named the file.
fn file_name(input: &str) -> &str {
    input.rsplit(['/', '\\']).next().unwrap_or(input)
}
