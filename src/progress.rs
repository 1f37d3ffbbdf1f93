//! Progress of long runs (hashing a large bag, a batch of packets), reported to whoever
//! shows it: a bar on a terminal, nothing when output goes to a file or pipe.

use std::io::IsTerminal;

/// Receives progress in bytes.
pub trait Progress: Sync {
    /// The work ahead, in bytes.
    fn start(&self, _total: u64) {}
    /// `n` more bytes done.
    fn advance(&self, _n: u64) {}
    /// All done.
    fn finish(&self) {}
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {}

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

/// A bar counting items (packets of a batch) on a terminal; none when output goes to
/// a file or pipe.
pub fn counter_bar(len: usize) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} 份  {wide_msg}")
            .expect("a valid template"),
    );
    Some(bar)
}
