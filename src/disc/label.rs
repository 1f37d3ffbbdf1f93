//! The disc's Chinese volume label. hadris-iso writes one volume identifier, in
//! d-characters, for both the primary and the Joliet descriptor; Windows and Linux show
//! the Joliet one, so after writing, dashi puts the studio's name there in UCS-2
//! (ECMA-119 8.5 with the Joliet specification: 32 bytes, big-endian, padded with
//! spaces). The primary descriptor keeps the ASCII label for readers without Joliet.

use std::io::{self, Read, Seek, SeekFrom, Write};

const SECTOR: u64 = 2048;
/// Volume descriptors start at sector 16.
const FIRST_DESCRIPTOR: u64 = 16;
/// Offset and length of the volume identifier in a volume descriptor.
const VOLUME_ID: (usize, usize) = (40, 32);
/// Joliet's escape sequences for UCS-2 levels 1–3, at offset 88 of its descriptor.
const JOLIET_ESCAPES: [&[u8; 3]; 3] = [b"%/@", b"%/C", b"%/E"];

/// The label for a studio: its name, or without the leading 呼和浩特市 when the whole
/// name is longer than a label holds (a compound surname and a long given name).
pub fn studio_label(studio: &str) -> Option<[u8; 32]> {
    let short = studio
        .strip_prefix("呼和浩特市")
        .filter(|_| studio.chars().count() > VOLUME_ID.1 / 2);
    joliet_label(short.unwrap_or(studio))
}

/// The label as the Joliet descriptor holds it: the name's first 16 characters that
/// Joliet allows (BMP, no control characters and none of `* / : ; ? \`), in UCS-2BE,
/// padded with spaces. None when no character of the name is usable.
pub fn joliet_label(name: &str) -> Option<[u8; 32]> {
    let usable: Vec<u16> = name
        .chars()
        .filter(|c| !c.is_control() && !"*/:;?\\".contains(*c))
        .filter_map(|c| u16::try_from(u32::from(c)).ok())
        .filter(|u| !(0xD800..0xE000).contains(u))
        .take(VOLUME_ID.1 / 2)
        .collect();
    if usable.iter().all(|&u| u == u16::from(b' ')) {
        return None;
    }
    let mut field = [0u8; 32];
    for (i, unit) in usable
        .into_iter()
        .chain(std::iter::repeat(u16::from(b' ')))
        .take(16)
        .enumerate()
    {
        field[2 * i..2 * i + 2].copy_from_slice(&unit.to_be_bytes());
    }
    Some(field)
}

/// Writes `label` into the Joliet volume descriptor of the image in `image`, if it has
/// one; the descriptors run from sector 16 to the terminator (type 255).
pub fn set_joliet_label<F: Read + Write + Seek>(image: &mut F, label: &[u8; 32]) -> io::Result<()> {
    let mut descriptor = [0u8; SECTOR as usize];
    let mut at = FIRST_DESCRIPTOR * SECTOR;
    loop {
        image.seek(SeekFrom::Start(at))?;
        image.read_exact(&mut descriptor)?;
        if &descriptor[1..6] != b"CD001" {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "光盘映像的卷描述符不完整",
            ));
        }
        match descriptor[0] {
            255 => return Ok(()),
            2 if JOLIET_ESCAPES.iter().any(|e| &descriptor[88..91] == *e) => {
                image.seek(SeekFrom::Start(at + VOLUME_ID.0 as u64))?;
                return image.write_all(label);
            }
            _ => at += SECTOR,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::joliet_label;

    fn decode(field: [u8; 32]) -> String {
        let units: Vec<u16> = field
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    }

    #[test]
    fn sixteen_characters_padded_with_spaces() {
        let label = joliet_label("呼和浩特市王建军技能大师工作室").unwrap();
        assert_eq!(decode(label), "呼和浩特市王建军技能大师工作室 ");
        let long = joliet_label("呼和浩特市欧阳建军一技能大师工作室").unwrap();
        assert_eq!(decode(long), "呼和浩特市欧阳建军一技能大师工作");
    }

    #[test]
    fn a_long_studio_name_drops_the_city() {
        let label = super::studio_label("呼和浩特市欧阳建军一技能大师工作室").unwrap();
        assert_eq!(decode(label).trim_end(), "欧阳建军一技能大师工作室");
        let fits = super::studio_label("呼和浩特市王建军技能大师工作室").unwrap();
        assert_eq!(decode(fits).trim_end(), "呼和浩特市王建军技能大师工作室");
    }

    #[test]
    fn characters_joliet_forbids_are_left_out() {
        let label = joliet_label("a*b/c:d;e?f\\g\u{1}𠀀h").unwrap();
        assert_eq!(decode(label).trim_end(), "abcdefgh");
        assert!(joliet_label("").is_none());
        assert!(joliet_label("  ").is_none());
    }
}
