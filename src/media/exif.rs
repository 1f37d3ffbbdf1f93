//! The little of EXIF dashi reads from a JPEG's APP1 block: the orientation (how a
//! camera or scanner held the page) and when a photo was taken (to check a photo
//! against its activity's date).

/// A reader of one EXIF (TIFF) block.
struct Tiff<'a> {
    bytes: &'a [u8],
    big: bool,
}

impl<'a> Tiff<'a> {
    fn new(bytes: &'a [u8]) -> Option<Tiff<'a>> {
        let big = match bytes.get(..2)? {
            b"MM" => true,
            b"II" => false,
            _ => return None,
        };
        Some(Tiff { bytes, big })
    }

    fn u16(&self, at: usize) -> Option<u16> {
        let b: [u8; 2] = self.bytes.get(at..at + 2)?.try_into().ok()?;
        Some(if self.big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }

    fn u32(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    /// The entry offset of `tag` in the directory at `ifd`.
    fn entry(&self, ifd: usize, tag: u16) -> Option<usize> {
        let count = usize::from(self.u16(ifd)?);
        (0..count)
            .map(|i| ifd + 2 + i * 12)
            .find(|&entry| self.u16(entry) == Some(tag))
    }

    /// An ASCII value (type 2) of the entry at `entry`.
    fn ascii(&self, entry: usize) -> Option<&'a str> {
        let len = self.u32(entry + 4)? as usize;
        let at = if len <= 4 {
            entry + 8
        } else {
            self.u32(entry + 8)? as usize
        };
        let text = self.bytes.get(at..at + len)?;
        std::str::from_utf8(text)
            .ok()
            .map(|t| t.trim_end_matches('\0'))
    }
}

/// The orientation tag (0x0112) of an EXIF block's first image directory (1–8).
pub fn orientation(tiff: &[u8]) -> Option<u8> {
    let t = Tiff::new(tiff)?;
    let ifd = t.u32(4)? as usize;
    let entry = t.entry(ifd, 0x0112)?;
    Some(t.u16(entry + 8)? as u8).filter(|v| (1..=8).contains(v))
}

/// When the photo was taken: DateTimeOriginal (0x9003) of the EXIF directory, else
/// DateTime (0x0132) of the first; as `YYYY:MM:DD HH:MM:SS`.
pub fn taken(tiff: &[u8]) -> Option<String> {
    let t = Tiff::new(tiff)?;
    let ifd = t.u32(4)? as usize;
    let original = t
        .entry(ifd, 0x8769)
        .and_then(|e| t.u32(e + 8))
        .and_then(|exif| t.entry(exif as usize, 0x9003))
        .and_then(|e| t.ascii(e));
    original
        .or_else(|| t.entry(ifd, 0x0132).and_then(|e| t.ascii(e)))
        .map(str::to_string)
}

/// The EXIF (TIFF) block of a JPEG's APP1 segment, from the file's first bytes.
pub fn of_jpeg(head: &[u8]) -> Option<&[u8]> {
    let mut at = 2;
    while at + 4 <= head.len() && head[at] == 0xFF {
        let marker = head[at + 1];
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([head[at + 2], head[at + 3]]));
        let body = head.get(at + 4..at + 2 + len)?;
        if marker == 0xE1 && body.starts_with(b"Exif\0\0") {
            return Some(&body[6..]);
        }
        at += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orientation_and_date() {
        // Big-endian: IFD0 with Orientation = 6 and DateTime.
        let mut tiff = vec![b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 2];
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        tiff.extend_from_slice(&[0x01, 0x32, 0, 2, 0, 0, 0, 20, 0, 0, 0, 38]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        tiff.extend_from_slice(b"2027:03:15 10:20:30\0");
        assert_eq!(orientation(&tiff), Some(6));
        assert_eq!(taken(&tiff).as_deref(), Some("2027:03:15 10:20:30"));
    }
}
