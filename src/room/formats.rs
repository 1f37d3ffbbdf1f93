//! What a file is, from its bytes (not its name), and how many pages it counts for:
//! what the 件 descriptions record at 归档 and the 四性检测 checks again.

use std::io::Read;
use std::path::Path;

/// A file's format as identified from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Jpeg,
    Png,
    Tiff,
    Mp4,
    /// OFD (GB/T 33190), the Chinese fixed-layout format: a zip whose root holds
    /// `OFD.xml`.
    Ofd,
    /// UTF-8 text: data files (TOML, JSON), BagIt tag files, notes.
    Text,
    /// Programs and scripts (PE, ELF, Mach-O, `#!`).
    Executable,
    /// ZIP, OLE (Office with possible macros), RAR, 7z: containers that hide files.
    Container,
    Other,
}

impl Kind {
    /// The name the description and the 检测报告 use.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::Tiff => "TIFF",
            Kind::Mp4 => "MP4",
            Kind::Ofd => "OFD",
            Kind::Text => "文本",
            Kind::Executable => "可执行程序",
            Kind::Container => "压缩包或复合文档",
            Kind::Other => "未知格式",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png | Kind::Tiff)
    }
}

/// Identifies a file from its first bytes and its name (text files are told apart from
/// unknown binary only by being valid UTF-8 without control characters).
pub fn identify(head: &[u8]) -> Kind {
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(b"%PDF-") {
        Kind::Pdf
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Kind::Jpeg
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Kind::Png
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Kind::Tiff
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
        Kind::Mp4
    } else if starts(b"MZ")
        || starts(b"\x7fELF")
        || starts(&[0xCF, 0xFA, 0xED, 0xFE])
        || starts(&[0xCE, 0xFA, 0xED, 0xFE])
        || starts(&[0xCA, 0xFE, 0xBA, 0xBE])
        || starts(b"#!")
    {
        Kind::Executable
    } else if starts(b"PK\x03\x04")
        || starts(&[0xD0, 0xCF, 0x11, 0xE0])
        || starts(b"Rar!")
        || starts(&[b'7', b'z', 0xBC, 0xAF])
    {
        Kind::Container
    } else if is_text(head) {
        Kind::Text
    } else {
        Kind::Other
    }
}

/// Identifies a file from its first bytes, and a zip by what it holds: one whose root
/// holds `OFD.xml` is an OFD document, not a container.
pub fn identify_in<R: std::io::Read + std::io::Seek>(head: &[u8], file: R) -> Kind {
    match identify(head) {
        Kind::Container if head.starts_with(b"PK") && is_ofd(file) => Kind::Ofd,
        kind => kind,
    }
}

fn is_ofd<R: std::io::Read + std::io::Seek>(file: R) -> bool {
    ::zip::ZipArchive::new(file).is_ok_and(|z| z.index_for_name("OFD.xml").is_some())
}

/// UTF-8 text without control characters other than tab, CR and LF (a character cut
/// at the end of the sample is allowed).
fn is_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    !valid
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
}

/// The first bytes of a file (enough to identify it).
pub fn head_of(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)?
        .take(4096)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// A PDF's page count, and whether its catalog's XMP metadata declares PDF/A
/// conformance; `None` when it cannot be parsed.
pub fn pdf_facts(bytes: &[u8]) -> Option<(u32, bool)> {
    super::pdf::facts(bytes).map(|(pages, pdfa)| (pages, pdfa.is_some()))
}

/// The format name of a file as described (`PDF/A` for a PDF that declares it).
pub fn format_name(kind: Kind, pdfa: bool) -> &'static str {
    if kind == Kind::Pdf && pdfa {
        "PDF/A"
    } else {
        kind.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_bytes() {
        assert_eq!(identify(b"%PDF-1.7\n"), Kind::Pdf);
        assert_eq!(identify(&[0xFF, 0xD8, 0xFF, 0xE0]), Kind::Jpeg);
        assert_eq!(identify(b"\0\0\0\x18ftypisom"), Kind::Mp4);
        assert_eq!(identify(b"MZ\x90\0"), Kind::Executable);
        assert_eq!(identify(b"#!/bin/sh\n"), Kind::Executable);
        assert_eq!(identify(b"PK\x03\x04"), Kind::Container);
        assert_eq!(identify("id = \"活动\"\n".as_bytes()), Kind::Text);
        assert_eq!(identify(&[0, 1, 2, 3]), Kind::Other);
    }
}
