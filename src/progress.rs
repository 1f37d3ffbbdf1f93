//! Progress of long runs (hashing a large bag), reported to whoever shows it: the
//! binary draws a bar on a terminal; tests and batch builds stay silent.

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
