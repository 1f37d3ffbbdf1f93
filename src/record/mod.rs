//! Records of the studio archive (第十一条): the record file format (`model`), its
//! rules (`check`), reading a record with the same diagnostics as `dashi check`, and
//! the commented samples `dashi record new` writes (`sample`).

pub mod add;
pub mod check;
pub mod model;
pub mod report;
pub mod sample;

use std::path::Path;
use std::sync::OnceLock;

use crate::data::dates::Date;
use crate::data::load::{self, Document, LoadError};
use crate::data::schema::Format;
use crate::finding::{Finding, Severity};
use model::Record;

/// The record format.
pub fn format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(Format::of::<Record>)
}

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
