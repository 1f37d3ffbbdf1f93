//! A sealed zip or disc image the clerk picks in the page, verified as `dashi verify`
//! would (every file re-hashed, against the digest printed on the 承诺书 when given).
//! The file comes as the request's body and is streamed into a temporary file, which
//! is removed whatever happens.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

/// A temporary copy of the picked file, removed when dropped.
pub struct Picked {
    pub path: PathBuf,
    file: Option<std::fs::File>,
}

impl Picked {
    /// A new empty copy for a file named `name` (its ending kept: zip or iso), or why
    /// this kind of file cannot be verified here.
    pub fn new(name: &str) -> Result<Picked, String> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let lower = name.to_lowercase();
        let Some(ending) = [".zip", ".iso"].into_iter().find(|e| lower.ends_with(e)) else {
            return Err(format!(
                "“{name}”不是申报材料的压缩包（.zip）或光盘映像（.iso）：请选择生成的那个文件"
            ));
        };
        let path = std::env::temp_dir().join(format!(
            "dashi-核对-{}-{}{ending}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| format!("无法存放要核对的文件：{}", crate::fsio::why(&e)))?;
        Ok(Picked {
            path,
            file: Some(file),
        })
    }

    /// Appends a piece of the file.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        let file = self.file.as_mut().expect("written before it is closed");
        file.write_all(bytes)
            .map_err(|e| format!("无法存放要核对的文件：{}", crate::fsio::why(&e)))
    }

    /// Verifies the whole file; the report's words name it as the clerk does (`name`).
    pub fn verify(mut self, name: &str, expect: Option<&str>) -> (bool, String) {
        drop(self.file.take());
        match crate::verify::verify_any(&self.path, expect, &crate::progress::Silent) {
            Ok(report) => {
                let shown = self.path.display().to_string();
                let text = crate::verify::text::verified(&report).replace(&shown, name);
                (report.intact(), text)
            }
            Err(e) => (
                false,
                e.to_string()
                    .replace(&self.path.display().to_string(), name),
            ),
        }
    }
}

impl Drop for Picked {
    fn drop(&mut self) {
        drop(self.file.take());
        let _ = std::fs::remove_file(&self.path);
    }
}
