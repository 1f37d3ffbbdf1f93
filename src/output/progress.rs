//! Progress bars on a terminal (standard error); nothing when output goes to a file or
//! a pipe.

use std::io::IsTerminal;

use crate::progress::Progress;

/// A byte progress bar on a terminal for runs over 64 MiB; silent otherwise.
pub struct TerminalBar {
    label: &'static str,
    bar: std::sync::OnceLock<indicatif::ProgressBar>,
}

impl TerminalBar {
    pub fn new(label: &'static str) -> TerminalBar {
        TerminalBar {
            label,
            bar: std::sync::OnceLock::new(),
        }
    }
}

impl Progress for TerminalBar {
    fn start(&self, total: u64) {
        if total < 64 << 20 || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{} {{bar:30}} {{bytes}}/{{total_bytes}} {{bytes_per_sec}}",
                self.label
            ))
            .expect("a valid template"),
        );
        let _ = self.bar.set(bar);
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = self.bar.get() {
            bar.inc(n);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

/// A bar counting items (packets of a batch, submissions of an intake) on a terminal;
/// silent when output goes to a file or pipe.
#[derive(Default)]
pub struct ItemBar {
    bar: std::sync::OnceLock<indicatif::ProgressBar>,
}

impl Progress for ItemBar {
    fn start(&self, items: u64) {
        if !std::io::stderr().is_terminal() {
            return;
        }
        let bar = indicatif::ProgressBar::new(items);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} 份  {wide_msg}")
                .expect("a valid template"),
        );
        let _ = self.bar.set(bar);
    }

    fn item_done(&self, name: &str) {
        if let Some(bar) = self.bar.get() {
            bar.set_message(name.to_string());
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}
