//! The rules: every check of the data and its evidence against the Hohhot rules
//! (呼和浩特市技能大师工作室建设项目实施细则) and the national standards the forms rely
//! on. Each group is named after what it judges and cites its article; all findings
//! are collected and returned together.

pub mod change;
pub mod contact;
pub mod dates;
pub mod eligibility;
pub mod host;
pub mod identity;
pub mod leftover;
pub mod materials;
pub mod plan;
pub mod studio;
pub mod vocab;

use std::path::Path;

use crate::data::dates::Date;
use crate::data::load::{self, Document, LoadError};
use crate::data::model::Application;
use crate::finding::{Finding, Severity};

/// Runs every rule; `base_dir` is where evidence paths start, `today` the day (China
/// time, or the fixed source date) no 填报时间 may pass.
pub fn run(app: &Application, base_dir: &Path, today: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    dates::filed_by(app, today, &mut out);
    studio::check(app, &mut out);
    eligibility::check(app, &mut out);
    host::check(app, &mut out);
    materials::check(app, base_dir, &mut out);
    identity::check(app, &mut out);
    contact::check(app, &mut out);
    vocab::check(app, &mut out);
    dates::check(app, &mut out);
    plan::check(app, &mut out);
    leftover::check(app, &mut out);
    out
}

/// Whether every character can be printed in the fonts the documents are set in. The
/// typesetting layer answers (`typeset::Renderer`); `check` itself knows no fonts.
pub trait Glyphs {
    /// Characters of the application that no font has (errors) or that come from a
    /// fallback font (warnings), each at its first place in `doc`.
    fn of_application(&self, app: &Application, doc: &Document) -> Vec<Finding>;

    /// The same for a record, printed in the fonts of the application `app`.
    fn of_record(
        &self,
        app: &Application,
        record: &serde_json::Value,
        doc: &Document,
    ) -> Vec<Finding>;
}

/// The whole check of an application: every rule, the scans found from `base_dir`
/// included, and whether every character can be printed — less what rests on fields
/// that could not be read (`unsure`). `dashi check`, `build`, `intake` and the web form
/// all check through here.
pub fn full(
    app: &Application,
    doc: &Document,
    base_dir: &Path,
    unsure: &[String],
    glyphs: &dyn Glyphs,
    today: Date,
) -> Vec<Finding> {
    let mut found = run(app, base_dir, today);
    found.extend(glyphs.of_application(app, doc));
    found.retain(|f| !f.rests_on(unsure));
    found
}

/// The result of checking a data file that could be read.
#[derive(Debug)]
pub struct Report {
    pub doc: Document,
    /// The data as read; values at `unsure` paths are stand-ins.
    pub app: Option<Application>,
    pub findings: Vec<Finding>,
    /// Field paths that could not be read (their findings are in `findings`).
    pub unsure: Vec<String>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity() == Severity::Error)
    }
}

/// Loads a data file and checks it in full. A file that cannot be read or parsed at
/// all is an `Err`; otherwise every unknown key, missing key and wrong value is
/// reported together with every finding of `full` that does not rest on one of them.
pub fn check_file(path: &Path, glyphs: &dyn Glyphs, today: Date) -> Result<Report, LoadError> {
    from_partial(load::load_partial(path), glyphs, today)
}

/// `check_file` of data-file text not (yet) on disk (the web form's unsaved data);
/// `path` names it and places its evidence.
pub fn check_text(
    path: &Path,
    text: String,
    glyphs: &dyn Glyphs,
    today: Date,
) -> Result<Report, LoadError> {
    from_partial(load::read_partial(path, text), glyphs, today)
}

fn from_partial(
    read: Result<load::Partial, LoadError>,
    glyphs: &dyn Glyphs,
    today: Date,
) -> Result<Report, LoadError> {
    match read {
        Ok(partial) => {
            let mut findings = partial.findings;
            findings.extend(full(
                &partial.value,
                &partial.doc,
                partial.doc.base_dir(),
                &partial.unsure,
                glyphs,
                today,
            ));
            Ok(Report {
                doc: partial.doc,
                app: Some(partial.value),
                findings,
                unsure: partial.unsure,
            })
        }
        Err(LoadError::Invalid { doc, findings }) => Ok(Report {
            doc: *doc,
            app: None,
            findings,
            unsure: Vec::new(),
        }),
        Err(other) => Err(other),
    }
}

/// How messages name a person: by name, or, while the name is blank, by place
/// (“第 3 位成员（尚未填写姓名）”, “领办人（尚未填写姓名）”), so that no message reads
/// “缺少的身份证复印件”.
pub fn called(name: &str, member: Option<usize>) -> std::borrow::Cow<'_, str> {
    if !name.trim().is_empty() {
        return std::borrow::Cow::Borrowed(name);
    }
    std::borrow::Cow::Owned(match member {
        Some(i) => format!("第 {} 位成员（尚未填写姓名）", i + 1),
        None => "领办人（尚未填写姓名）".to_string(),
    })
}
