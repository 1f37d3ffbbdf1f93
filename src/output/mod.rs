//! Everything dashi prints, in one place (ripgrep's printer layer is the model): the
//! findings of the rules, verification reports, the archive's log, the batch and intake
//! summaries, failures with their hints, and progress bars. The library computes; the
//! commands (`cmd`) hand what it computed to this module, and nothing else writes to
//! the terminal.

pub mod batch;
pub mod findings;
pub mod intake;
pub mod ledger;
pub mod log;
pub mod progress;
pub mod room;

use std::io::Write;

use crate::failure::{Details, Exit, Failure};

/// Whether to colour the output (only on a terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Never,
    Always,
}

impl Color {
    /// `text` in the ANSI colour `code`, when colours are on.
    pub fn paint(self, code: &str, text: &str) -> String {
        match self {
            Color::Never => text.to_string(),
            Color::Always => format!("\x1b[{code}m{text}\x1b[0m"),
        }
    }
}

/// Writes to standard output. A reader that has gone away (`dashi schema | head -1`)
/// ends the program quietly with success, as ripgrep and typst do.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { $crate::output::emit(format_args!($($arg)*)) };
}

/// The writer behind `say!`.
pub fn emit(args: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("错误：无法输出：{e}");
        std::process::exit(2);
    }
}

/// An error line and its hint, on standard error.
pub fn error(message: &str, hint: Option<&str>) {
    // A quoted value never reaches the terminal as a control character.
    eprintln!("错误：{}", crate::portable::shown_lines(message));
    if let Some(hint) = hint {
        eprintln!("提示：{}", crate::portable::shown_lines(hint));
    }
}

/// Prints a failure: its findings or report, then `错误：` and `提示：` lines; returns
/// how the command ends.
pub fn failure(failure: &dyn Failure, color: Color) -> Exit {
    if let Some(details) = failure.details() {
        say!("{}", details_text(details, color));
    }
    if !failure.details_suffice() {
        error(&failure.to_string(), failure.hint().as_deref());
    }
    failure.exit()
}

/// The text of a failure's details.
pub fn details_text(details: Details<'_>, color: Color) -> String {
    match details {
        Details::Findings(doc, found) => findings::render(doc, found, color),
        Details::Files(all, blocked) => findings::render_all(&all, color, blocked),
        Details::Text(text) => text,
    }
}

/// Keeps a window of dashi's own open until the user presses a key (a double-clicked
/// dashi.exe: its window closes as soon as it ends).
#[cfg(windows)]
pub fn wait_for_key() {
    unsafe extern "C" {
        /// The C runtime's read of one key press, without echo (msvcrt).
        fn _getch() -> i32;
    }
    print!("\n按任意键关闭此窗口……");
    let _ = std::io::stdout().flush();
    // SAFETY: `_getch` takes no arguments and only reads the console.
    unsafe {
        _getch();
    }
}

/// Keeps a window of dashi's own open until the user presses Enter (only Windows gives
/// dashi a window of its own; this is for completeness).
#[cfg(not(windows))]
pub fn wait_for_key() {
    use std::io::BufRead;
    print!("\n按回车键关闭此窗口……");
    let _ = std::io::stdout().flush();
    let _ = std::io::stdin().lock().read_line(&mut String::new());
}
