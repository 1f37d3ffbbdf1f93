//! A video's duration where its container tells it (MP4 / QuickTime `mvhd`), read from
//! the boxes' headers without reading the video.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// A video's duration in seconds, from the `mvhd` box of an MP4 or QuickTime file.
pub fn video_seconds(path: &Path) -> Option<f64> {
    let mut file = BufReader::new(File::open(path).ok()?);
    let end = file.get_ref().metadata().ok()?.len();
    let moov = find_box(&mut file, 0, end, b"moov")?;
    let (start, len) = find_box(&mut file, moov.0, moov.0 + moov.1, b"mvhd")?;
    let mut body = vec![0u8; (len.min(120)) as usize];
    file.seek(SeekFrom::Start(start)).ok()?;
    file.read_exact(&mut body).ok()?;
    let be32 = |at: usize| Some(u32::from_be_bytes(body.get(at..at + 4)?.try_into().ok()?));
    let (scale, duration) = if body.first() == Some(&1) {
        let d = u64::from_be_bytes(body.get(24..32)?.try_into().ok()?);
        (be32(20)?, d)
    } else {
        (be32(12)?, u64::from(be32(16)?))
    };
    (scale > 0).then(|| duration as f64 / f64::from(scale))
}

/// The body (start, length) of the first box of `kind` between `from` and `to`.
fn find_box(file: &mut BufReader<File>, from: u64, to: u64, kind: &[u8; 4]) -> Option<(u64, u64)> {
    let mut at = from;
    while at + 8 <= to {
        file.seek(SeekFrom::Start(at)).ok()?;
        let mut head = [0u8; 16];
        file.read_exact(&mut head[..8]).ok()?;
        let mut size = u64::from(u32::from_be_bytes(head[..4].try_into().ok()?));
        let mut header = 8;
        if size == 1 {
            file.read_exact(&mut head[8..16]).ok()?;
            size = u64::from_be_bytes(head[8..16].try_into().ok()?);
            header = 16;
        } else if size == 0 {
            size = to - at;
        }
        if size < header {
            return None;
        }
        if &head[4..8] == kind {
            return Some((at + header, size - header));
        }
        at += size;
    }
    None
}

/// Whether a file name looks like a video.
pub fn is_video(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["mp4", "mov", "m4v", "avi", "mkv", "wmv", "flv", "3gp"]
            .contains(&e.to_ascii_lowercase().as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mp4_duration_from_mvhd() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.mp4");
        let mut mvhd = vec![0u8; 100];
        mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
        mvhd[16..20].copy_from_slice(&65_500u32.to_be_bytes());
        let mut moov = Vec::new();
        moov.extend_from_slice(&((mvhd.len() + 8) as u32).to_be_bytes());
        moov.extend_from_slice(b"mvhd");
        moov.extend_from_slice(&mvhd);
        let mut file = Vec::new();
        file.extend_from_slice(&16u32.to_be_bytes());
        file.extend_from_slice(b"ftypisom\0\0\0\0");
        file.extend_from_slice(&((moov.len() + 8) as u32).to_be_bytes());
        file.extend_from_slice(b"moov");
        file.extend_from_slice(&moov);
        std::fs::write(&path, file).unwrap();
        assert_eq!(video_seconds(&path), Some(65.5));
    }
}
