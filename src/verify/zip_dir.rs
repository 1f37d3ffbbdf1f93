//! What dashi reads of a zip's structure itself, rather than trusting the zip crate's
//! index: the entry count its end-of-central-directory record declares (zip64 too),
//! and the name in an entry's local header. A zip crafted to show one file to one
//! tool and another to the next differs in exactly these places.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// The end-of-central-directory record's signature.
const EOCD: &[u8; 4] = b"PK\x05\x06";
/// The zip64 end-of-central-directory locator's and record's signatures.
const ZIP64_LOCATOR: &[u8; 4] = b"PK\x06\x07";
const ZIP64_EOCD: &[u8; 4] = b"PK\x06\x06";
/// A local file header's signature.
const LOCAL: &[u8; 4] = b"PK\x03\x04";

/// How many entries the zip's central directory declares.
pub fn entry_count(file: &File) -> Result<u64, String> {
    let mut file = file;
    let len = file.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
    // The record is 22 bytes plus a comment of at most 65535.
    let tail_len = len.min(22 + 65_535);
    let mut tail = vec![0u8; tail_len as usize];
    file.seek(SeekFrom::Start(len - tail_len))
        .and_then(|_| file.read_exact(&mut tail))
        .map_err(|e| e.to_string())?;
    let at = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| &tail[i..i + 4] == EOCD)
        .ok_or("找不到中央目录结束记录（文件可能被截断）")?;
    let entries = u64::from(u16::from_le_bytes([tail[at + 10], tail[at + 11]]));
    if entries != 0xFFFF {
        return Ok(entries);
    }
    // zip64: the locator stands right before the record and names the zip64 record.
    let eocd_at = len - tail_len + at as u64;
    let locator_at = eocd_at.checked_sub(20).ok_or("zip64 定位记录缺失")?;
    let mut locator = [0u8; 20];
    file.seek(SeekFrom::Start(locator_at))
        .and_then(|_| file.read_exact(&mut locator))
        .map_err(|e| e.to_string())?;
    if &locator[..4] != ZIP64_LOCATOR {
        return Err("zip64 定位记录缺失".into());
    }
    let record_at = u64::from_le_bytes(locator[8..16].try_into().expect("8 bytes"));
    let mut record = [0u8; 40];
    file.seek(SeekFrom::Start(record_at))
        .and_then(|_| file.read_exact(&mut record))
        .map_err(|e| e.to_string())?;
    if &record[..4] != ZIP64_EOCD {
        return Err("zip64 中央目录结束记录缺失".into());
    }
    Ok(u64::from_le_bytes(
        record[32..40].try_into().expect("8 bytes"),
    ))
}

/// The file name in the local header at `at`, when there is one.
pub fn local_name(file: &mut File, at: u64) -> Option<Vec<u8>> {
    let mut header = [0u8; 30];
    file.seek(SeekFrom::Start(at)).ok()?;
    file.read_exact(&mut header).ok()?;
    if &header[..4] != LOCAL {
        return None;
    }
    let name_len = usize::from(u16::from_le_bytes([header[26], header[27]]));
    let mut name = vec![0u8; name_len];
    file.read_exact(&mut name).ok()?;
    Some(name)
}
