//! A build that fails leaves the packet of an earlier build in the output folder, now
//! out of date: a note beside it says so (which files, since when, why), and the next
//! build that succeeds takes the note away. The note is best effort: a full disk that
//! stopped the build may stop the note too, and then the caller still says it.

use std::path::{Path, PathBuf};

use crate::data::dates::Date;

/// The note's file name in the output folder.
pub const NOTE: &str = "注意-此前生成的文件已过期.txt";

/// The earlier outputs in `out` (the documents, the sealed zip, the disc image).
pub fn earlier(out: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            !name.starts_with('.')
                && [".pdf", ".zip", ".iso"]
                    .iter()
                    .any(|ext| name.to_lowercase().ends_with(ext))
        })
        .collect();
    found.sort();
    found
}

/// Writes the note when `out` holds earlier outputs; returns them.
pub fn mark(out: &Path, today: Date, why: &str) -> Vec<PathBuf> {
    let files = earlier(out);
    if files.is_empty() {
        return files;
    }
    let mut text = format!(
        "{today} 重新生成申报材料没有成功：{why}\r\n\r\n\
         本文件夹中的下列文件是此前生成的，与现在的数据文件不一致，请不要打印或提交：\r\n"
    );
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        text.push_str(&format!("  {name}\r\n"));
    }
    text.push_str("\r\n按上面的原因处理后重新生成；生成成功后，本说明会自动删除。\r\n");
    let _ = crate::fsio::write_atomic(&out.join(NOTE), text.as_bytes());
    files
}

/// Takes the note away after a build that succeeded.
pub fn clear(out: &Path) {
    let _ = std::fs::remove_file(out.join(NOTE));
}
