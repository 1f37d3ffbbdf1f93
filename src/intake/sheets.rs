//! The PDFs of intake, in the house style: a 初审意见表 for every submission
//! (`初审/NN-工作室名称.pdf`) and a blank 专家评审表 for every admissible one
//! (`专家评审表/NN-工作室名称.pdf`), typeset on every core.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::{EXPERT_DIR, IntakeError, Ledger, Problem, REVIEW_DIR, Submission};
use crate::data::dates::Date;
use crate::render::Doc;
use crate::typeset::Renderer;

/// What the templates read of one submission.
#[derive(Serialize)]
struct Sheet<'a> {
    s: &'a Submission,
    f: super::Facts,
    own: Vec<&'a Problem>,
    cross: Vec<&'a Problem>,
    digest: String,
    typed: String,
    seal: String,
    admissible: bool,
    date_cn: String,
}

/// A digest in groups of eight, so it wraps between groups.
fn grouped(digest: Option<&str>) -> String {
    digest.map_or_else(String::new, |d| {
        crate::seal::digest::hex_groups(d).join(" ")
    })
}

/// Writes the sheets of every submission that needs them anew (one of this run, one
/// whose findings, conclusion or history changed, or one whose files are missing or
/// named for another numbering) and records each submission's sheets; returns the
/// paths written, relative to `out`, and a note for each sheet that could not be
/// typeset (that sheet is missing; the others are written).
pub fn write_all(
    renderer: &Renderer,
    ledger: &mut Ledger,
    previous: Option<&Ledger>,
    out: &Path,
    date: Date,
) -> Result<(Vec<String>, Vec<String>), IntakeError> {
    let width = ledger.width();
    let before: BTreeMap<&str, &Submission> = previous
        .iter()
        .flat_map(|l| l.submissions.iter())
        .map(|s| (s.number.as_str(), s))
        .collect();
    let mut jobs: Vec<(usize, Doc, String)> = Vec::new();
    for (i, s) in ledger.submissions.iter().enumerate() {
        let files = sheets_of(s, width);
        let names: Vec<&String> = files.iter().map(|(_, f)| f).collect();
        let stands = s.carried
            && before.get(s.number.as_str()).is_some_and(|old| {
                old.files.iter().collect::<Vec<_>>() == names && same_sheet(old, s)
            })
            && names.iter().all(|f| out.join(f).is_file());
        if !stands {
            jobs.extend(files.into_iter().map(|(doc, rel)| (i, doc, rel)));
        }
    }
    // One sheet at a time: typst lays out each on every core already, and sheets
    // compiled side by side only hold more memory at once.
    let mut written = Vec::new();
    let mut failed = Vec::new();
    let mut notes = Vec::new();
    for (i, doc, rel) in jobs {
        let s = &ledger.submissions[i];
        let bytes = typeset(renderer, s, doc, date);
        // Typst memoizes across compilations; keep memory flat over many sheets.
        typst::comemo::evict(30);
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(IntakeError::Render(e)) => {
                notes.push(format!(
                    "受理编号 {} 的 {rel} 未能生成（{e}），请人工填写；其余各份不受影响",
                    s.number
                ));
                failed.push(rel);
                continue;
            }
            Err(e) => return Err(e),
        };
        let path = out.join(&rel);
        crate::fsio::write_atomic(&path, &bytes).map_err(IntakeError::write(&path))?;
        written.push(rel);
    }
    for s in &mut ledger.submissions {
        s.files = sheets_of(s, width)
            .into_iter()
            .map(|(_, rel)| rel)
            .filter(|rel| !failed.contains(rel))
            .collect();
    }
    Ok((written, notes))
}

/// The sheets a submission has: its 初审意见表, and a 专家评审表 when admissible, each
/// with its path relative to the output folder.
fn sheets_of(s: &Submission, width: usize) -> Vec<(Doc, String)> {
    let stem = Ledger::stem(s, width);
    let mut files = vec![(Doc::INTAKE_REVIEW, format!("{REVIEW_DIR}/{stem}.pdf"))];
    if s.conclusion.admissible() {
        files.push((Doc::EXPERT_SHEET, format!("{EXPERT_DIR}/{stem}.pdf")));
    }
    files
}

/// Whether two states of a submission print the same sheets (what only intake.json
/// keeps, such as the traits, aside).
fn same_sheet(a: &Submission, b: &Submission) -> bool {
    let printed = |s: &Submission| {
        serde_json::to_string(&Submission {
            files: Vec::new(),
            carried: false,
            traits: None,
            ..s.clone()
        })
        .unwrap_or_default()
    };
    printed(a) == printed(b)
}

fn typeset(
    renderer: &Renderer,
    s: &Submission,
    doc: Doc,
    date: Date,
) -> Result<Vec<u8>, IntakeError> {
    let (cross, own): (Vec<&Problem>, Vec<&Problem>) =
        s.problems.iter().partition(|p| !p.joins.is_empty());
    let sheet = Sheet {
        s,
        f: s.facts.clone().unwrap_or_default(),
        own,
        cross,
        digest: grouped(s.evidence_digest.as_deref()),
        typed: grouped(s.typed_digest.as_deref()),
        seal: grouped(s.seal.as_deref()),
        admissible: s.conclusion.admissible(),
        date_cn: date.chinese(),
    };
    let ident = format!("dashi/受理/{}/{}", s.number, doc.file_name());
    let compile = |values: &serde_json::Value| -> Result<Vec<u8>, IntakeError> {
        Ok(renderer.pdf_of(
            values,
            doc,
            "呼和浩特市人力资源和社会保障局",
            Default::default(),
            &ident,
            date,
        )?)
    };
    let values = serde_json::to_value(&sheet).expect("a sheet serializes");
    // A character the fonts lack (a submission may carry anything) stops only this
    // sheet's first try: the second prints every uncommon character as its code point.
    compile(&values).or_else(|_| compile(&plain(values)))
}

/// Every string in `value` with each character outside the common set (ASCII, CJK
/// ideographs and punctuation, full-width forms) shown as its code point.
fn plain(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let common = |c: char| {
        matches!(c,
            ' '..='~'
            | '\u{3000}'..='\u{303F}'
            | '\u{4E00}'..='\u{9FA5}'
            | '\u{FF01}'..='\u{FF5E}'
            | '·' | '—' | '…' | '“' | '”' | '‘' | '’' | '×' | '\n')
    };
    match value {
        Value::String(text) => Value::String(
            text.chars()
                .map(|c| {
                    if common(c) {
                        c.to_string()
                    } else {
                        format!("<U+{:04X}>", u32::from(c))
                    }
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(plain).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, plain(v))).collect()),
        other => other,
    }
}
