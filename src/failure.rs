//! How a command that could not finish ends: every error a user can meet carries its
//! own hint (what to do) and its exit class, so `main.rs` only prints them. Errors
//! that come with findings or a verification report also say how to show those.

use std::fmt::Display;

use crate::finding::{Blocked, Finding, Located};

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
pub enum Details<'a> {
    /// The findings of one data file (a build or check stopped by them).
    Findings(&'a dyn Located, &'a [Finding]),
    /// The findings of several files (records, report inputs) and what they stop.
    Files(Vec<(&'a dyn Located, &'a [Finding])>, Blocked),
    /// A report already in words (a bag that failed its verification).
    Text(String),
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

/// Runs the work of one item of a batch (a packet of `build`, a submission of `intake`,
/// a record of `record add`) so that a defect in dashi that this item meets (a panic)
/// becomes this item's error, in words, and never the end of the batch. The panic's
/// own message is returned for the item's report.
pub fn caught<T>(item: &std::path::Path, work: impl FnOnce() -> T) -> Result<T, String> {
    CATCHING.with(|c| c.set(c.get() + 1));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        defect_for_tests(item);
        work()
    }));
    CATCHING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| {
        let said = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("dashi 处理“{}”时出现内部错误：{said}", item.display())
    })
}

thread_local! {
    /// How many `caught` calls this thread is inside.
    static CATCHING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Whether a panic on this thread is caught as an item's error (`caught`), so the
/// binary's panic hook need not say it.
pub fn is_caught() -> bool {
    CATCHING.with(|c| c.get() > 0)
}

/// In debug builds only (the tests' build), a panic at the item whose file name
/// `DASHI_TEST_DEFECT` gives: the one way a test can make a defect happen on purpose,
/// to prove that it stays that item's error.
fn defect_for_tests(item: &std::path::Path) {
    #[cfg(debug_assertions)]
    if let Some(name) = std::env::var_os("DASHI_TEST_DEFECT")
        && item.file_name() == Some(name.as_os_str())
    {
        panic!("a defect made on purpose at {}", item.display());
    }
    #[cfg(not(debug_assertions))]
    let _ = item;
}
