//! Records of the studio archive (第十一条): the record file format (`model`), its
//! rules (`check`), reading a record with the same diagnostics as `dashi check`, and
//! the commented samples `dashi record new` writes (`sample`).

pub mod add;
pub mod check;
pub mod people;
pub mod report;
pub mod sample;
pub mod withdraw;

use std::path::Path;

use crate::data::dates::Date;
use crate::data::load::{self, Document, LoadError};
use crate::data::record::Record;
use crate::finding::{Finding, Severity};

pub use crate::data::record::format;

/// A record file as checked.
#[derive(Debug)]
pub struct Checked {
    pub doc: Document,
    /// The record as read; values at `unsure` paths are stand-ins.
    pub record: Option<Record>,
    pub findings: Vec<Finding>,
    pub unsure: Vec<String>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity() == Severity::Error)
    }
}

/// Reads a record file and checks it on its own; `today` is the day it is added.
pub fn check_file(path: &Path, today: Date) -> Result<Checked, LoadError> {
    match load::load_as::<Record>(format(), path) {
        Ok(partial) => {
            let mut findings = partial.findings;
            let base = partial.doc.base_dir().to_path_buf();
            findings.extend(
                check::run(&partial.value, &base, today)
                    .into_iter()
                    .filter(|f| !f.rests_on(&partial.unsure)),
            );
            Ok(Checked {
                doc: partial.doc,
                record: Some(partial.value),
                findings,
                unsure: partial.unsure,
            })
        }
        Err(LoadError::Invalid { doc, findings }) => Ok(Checked {
            doc: *doc,
            record: None,
            findings,
            unsure: Vec::new(),
        }),
        Err(other) => Err(other),
    }
}
