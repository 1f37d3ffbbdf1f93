//! How a command that could not finish ends: every error a user can meet carries its
//! own hint (what to do) and its exit class, so `main.rs` only prints them. Errors
//! that come with findings or a verification report also say how to show those.

use std::fmt::Display;

use crate::data::load::Document;
use crate::finding::{Blocked, Finding};

/// The documented exit codes of `dashi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done; there may be warnings.
    Success,
    /// 1: the data has errors, or an archive failed its check.
    Findings,
    /// 2: the input could not be read or the command could not be carried out.
    Unusable,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Findings => 1,
            Exit::Unusable => 2,
        }
    }
}

/// An error as the user meets it.
pub trait Failure: Display {
    /// What to do about it, in Chinese.
    fn hint(&self) -> Option<String> {
        None
    }

    /// How the command ends.
    fn exit(&self) -> Exit {
        Exit::Unusable
    }

    /// Findings or a report to show on standard output before the error line
    /// (`output` prints them).
    fn details(&self) -> Option<Details<'_>> {
        None
    }

    /// Whether the details say everything, so no `错误：` line follows them.
    fn details_suffice(&self) -> bool {
        false
    }
}

/// What a failure has to show besides its message.
#[derive(Debug, Clone, Copy)]
pub enum Details<'a> {
    /// The findings of one data file (a build or check stopped by them).
    Findings(&'a Document, &'a [Finding]),
    /// The findings of several files (records, report inputs) and what they stop.
    Files(&'a [(Document, Vec<Finding>)], Blocked),
    /// The report of a bag that failed its verification.
    Verification(&'a crate::verify::Report),
}

/// A failure the command line meets itself (an input it can only judge at run time).
#[derive(Debug)]
pub struct Plain {
    pub message: String,
    pub hint: Option<String>,
}

impl Plain {
    pub fn new(message: impl Into<String>) -> Plain {
        Plain {
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Plain {
        self.hint = Some(hint.into());
        self
    }
}

impl Display for Plain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Failure for Plain {
    fn hint(&self) -> Option<String> {
        self.hint.clone()
    }
}

impl<F: Failure + 'static> From<F> for Box<dyn Failure> {
    fn from(failure: F) -> Box<dyn Failure> {
        Box::new(failure)
    }
}
