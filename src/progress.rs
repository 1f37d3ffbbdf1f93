//! Progress of long runs (hashing a large bag, a batch of packets, many submissions),
//! reported to whoever shows it: `output::progress` draws bars on a terminal; the
//! library only reports.

/// Receives progress in bytes.
pub trait Progress: Sync {
    /// The work ahead, in bytes.
    fn start(&self, _total: u64) {}
    /// `n` more bytes done.
    fn advance(&self, _n: u64) {}
    /// One item (a packet, a submission) done; `start` was given the item count.
    fn item_done(&self, _name: &str) {}
    /// All done.
    fn finish(&self) {}
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {}
