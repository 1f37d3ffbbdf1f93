//! The rules: every check of the data and its evidence against the Hohhot rules
//! (呼和浩特市技能大师工作室建设项目实施细则) and the national standards the forms rely
//! on. Each group is named after what it judges and cites its article; all findings
//! are collected and returned together.

pub mod contact;
pub mod dates;
pub mod eligibility;
pub mod host;
pub mod identity;
pub mod materials;
pub mod plan;
pub mod scan;
pub mod studio;
pub mod vocab;

use std::path::Path;

use crate::data::load::{self, Document, LoadError};
use crate::data::model::Application;
use crate::finding::{Finding, Severity};

/// Runs every rule; `base_dir` is where evidence paths start.
pub fn run(app: &Application, base_dir: &Path) -> Vec<Finding> {
    let mut out = Vec::new();
    studio::check(app, &mut out);
    eligibility::check(app, &mut out);
    host::check(app, &mut out);
    materials::check(app, base_dir, &mut out);
    identity::check(app, &mut out);
    contact::check(app, &mut out);
    vocab::check(app, &mut out);
    dates::check(app, &mut out);
    plan::check(app, &mut out);
    out
}

/// The result of checking a data file that could be read.
#[derive(Debug)]
pub struct Report {
    pub doc: Document,
    pub app: Option<Application>,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity() == Severity::Error)
    }
}

/// Loads a data file and checks it. A file that cannot be read or parsed at all is
/// an `Err`; a file with wrong keys or values gives a report of those findings.
pub fn check_file(path: &Path) -> Result<Report, LoadError> {
    match load::load(path) {
        Ok(loaded) => {
            let findings = run(&loaded.app, loaded.doc.base_dir());
            Ok(Report {
                doc: loaded.doc,
                app: Some(loaded.app),
                findings,
            })
        }
        Err(LoadError::Invalid { doc, findings }) => Ok(Report {
            doc: *doc,
            app: None,
            findings,
        }),
        Err(other) => Err(other),
    }
}
