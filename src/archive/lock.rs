//! One add at a time: an advisory lock on `logs/dashi.lock` in the archive. The
//! operating system releases it when the process ends, however it ends, so a killed
//! add never leaves the archive locked. A second add waits briefly, then gives up with
//! a clear message.

use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

use super::ArchiveError;

/// How long a second add waits for the first.
pub const WAIT: Duration = Duration::from_secs(3);

/// The held lock; released when dropped.
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the archive's lock, waiting up to `wait`.
    pub fn acquire(root: &Path, wait: Duration) -> Result<Lock, ArchiveError> {
        let logs = root.join("logs");
        std::fs::create_dir_all(&logs).map_err(ArchiveError::io(&logs))?;
        let path = logs.join("dashi.lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(ArchiveError::io(&path))?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Lock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(ArchiveError::Locked(root.to_path_buf()));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(ArchiveError::io(&path)(e)),
            }
        }
    }
}
