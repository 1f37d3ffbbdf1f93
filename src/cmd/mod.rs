//! One module per command, as typst-cli and rocfl have them: each turns its parsed
//! arguments into the library's options, calls the library, and hands what came back
//! to `dashi::output`. Nothing here decides a rule or computes a result.

pub mod archive;
pub mod build;
pub mod change;
pub mod check;
pub mod disc;
pub mod init;
pub mod intake;
pub mod ledger;
pub mod record;
pub mod report;
pub mod roster;
pub mod schema;
pub mod seal;
pub mod serve;
pub mod verify;

use std::path::PathBuf;

use dashi::data::dates::Date;
use dashi::failure::{Exit, Failure};
use dashi::output::Color;
use dashi::typeset::{Options, Renderer, TypesetError};

/// What every command may need besides its own arguments.
pub struct Context {
    pub color: Color,
    /// The fixed time of outputs (`SOURCE_DATE_EPOCH`, Unix seconds), read once by clap.
    pub source_epoch: Option<i64>,
    /// Its day.
    pub source_date: Option<Date>,
    /// How long to wait for an archive another dashi is using.
    pub lock_wait: std::time::Duration,
}

impl Context {
    /// Today in China time, or the fixed source date when one is given.
    pub fn today(&self) -> Date {
        self.source_date.unwrap_or_else(Date::today)
    }

    /// Now in Unix seconds, or the fixed source time.
    pub fn now(&self) -> i64 {
        self.source_epoch.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
    }

    /// What adding records (and completing a stopped major add) needs of this run.
    pub fn add_options<'a>(&self, renderer: &'a Renderer) -> dashi::record::add::AddOptions<'a> {
        dashi::record::add::AddOptions {
            today: self.today(),
            now: self.now(),
            user: None,
            renderer,
            lock_wait: self.lock_wait,
        }
    }

    /// The renderer of a command: the built-in templates (or `templates`), the embedded
    /// fonts plus `font_paths`, and the fixed date when one is given.
    pub fn renderer(
        &self,
        font_paths: &[PathBuf],
        templates: Option<PathBuf>,
    ) -> Result<Renderer, TypesetError> {
        Renderer::new(&self.renderer_options(font_paths, templates))
    }

    /// The options `renderer` makes its renderer from (for commands that make one only
    /// when they need it).
    pub fn renderer_options(&self, font_paths: &[PathBuf], templates: Option<PathBuf>) -> Options {
        Options {
            templates,
            font_paths: font_paths.to_vec(),
            source_date: self.source_date,
        }
    }
}

/// How a command ends: its exit class, or a failure for `output` to print.
pub type Outcome = Result<Exit, Box<dyn Failure>>;

/// `Exit::Findings` when `failed`, else success.
pub fn exit_unless(failed: bool) -> Exit {
    if failed {
        Exit::Findings
    } else {
        Exit::Success
    }
}
