//! SHA-256 while streaming (fixed buffer, never a whole file in memory; the sha2 crate
//! uses the CPU's SHA instructions where present), the hex digest type, manifest lines
//! and the evidence digest printed on the 承诺书.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// A SHA-256 digest, shown as 64 lowercase hex characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sha256Hex(pub [u8; 32]);

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

/// Bytes as lowercase hex (digests in manifests, inventories and reports).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// A hex digest in groups of eight characters, as printed (and typed back from paper).
pub fn hex_groups(hex: &str) -> Vec<String> {
    hex.as_bytes()
        .chunks(8)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

impl Sha256Hex {
    /// The digest in groups of eight hex characters, for print.
    pub fn groups(&self) -> Vec<String> {
        hex_groups(&self.to_string())
    }

    /// Parses 64 hex characters (either case).
    pub fn parse(text: &str) -> Option<Sha256Hex> {
        let text = text.trim();
        if text.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in text.as_bytes().chunks(2).enumerate() {
            let s = std::str::from_utf8(pair).ok()?;
            out[i] = u8::from_str_radix(s, 16).ok()?;
        }
        Some(Sha256Hex(out))
    }
}

/// Size of the read buffer: large enough to keep SHA-NI busy, small enough to stay flat.
const BUFFER: usize = 256 * 1024;

/// Passes everything a reader yields to `each`, a fixed buffer at a time; returns the
/// byte count.
pub fn stream(mut reader: impl Read, mut each: impl FnMut(&[u8])) -> io::Result<u64> {
    let mut buffer = vec![0u8; BUFFER];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        each(&buffer[..n]);
        total += n as u64;
    }
    Ok(total)
}

/// Hashes everything a reader yields, returning the digest and the byte count.
pub fn sha256_reader(reader: impl Read) -> io::Result<(Sha256Hex, u64)> {
    let mut hasher = Sha256::new();
    let total = stream(reader, |chunk| hasher.update(chunk))?;
    Ok((Sha256Hex(hasher.finalize().into()), total))
}

/// Hashes a file while streaming it.
pub fn sha256_file(path: &Path) -> io::Result<(Sha256Hex, u64)> {
    sha256_reader(std::fs::File::open(path)?)
}

/// Hashes bytes already in memory.
pub fn sha256_bytes(bytes: &[u8]) -> Sha256Hex {
    Sha256Hex(Sha256::digest(bytes).into())
}

/// One line of a BagIt manifest: `<sha256>  <path>` (two spaces, `/` separators).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ManifestLine {
    pub digest: Sha256Hex,
    /// The path from the bag root, e.g. `data/佐证材料/01-营业执照-申报单位.jpg`.
    pub path: String,
}

impl fmt::Display for ManifestLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}  {}", self.digest, self.path)
    }
}

/// The bag folder of the evidence files.
pub const EVIDENCE_DIR: &str = "data/佐证材料";
/// The bag folder of the source data.
pub const SOURCE_DIR: &str = "data/源数据";

/// Whether the evidence digest covers a bag path: the evidence files and the source
/// data, not the generated documents.
pub fn in_evidence_scope(path: &str) -> bool {
    [EVIDENCE_DIR, SOURCE_DIR].iter().any(|dir| {
        path.strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// The evidence digest: SHA-256 of the manifest lines of the evidence files and the
/// source data, sorted as bytes (`LC_ALL=C sort`), each ending in a line feed. A
/// reviewer can recompute it from the bag root with
/// `grep -E '  data/(佐证材料|源数据)/' manifest-sha256.txt | LC_ALL=C sort | sha256sum`.
pub fn evidence_digest(lines: &[ManifestLine]) -> Sha256Hex {
    let mut text: Vec<String> = lines.iter().map(ToString::to_string).collect();
    text.sort();
    let mut hasher = Sha256::new();
    for line in text {
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    Sha256Hex(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(
            sha256_bytes(b"abc").to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let (d, n) = sha256_reader(&b"abc"[..]).unwrap();
        assert_eq!((d, n), (sha256_bytes(b"abc"), 3));
        let hex = d.to_string();
        assert_eq!(Sha256Hex::parse(&hex.to_uppercase()), Some(d));
        assert_eq!(d.groups().len(), 8);
    }

    #[test]
    fn evidence_digest_sorts_lines() {
        let a = ManifestLine {
            digest: sha256_bytes(b"a"),
            path: "data/源数据/studio.toml".into(),
        };
        let b = ManifestLine {
            digest: sha256_bytes(b"b"),
            path: "data/佐证材料/01.jpg".into(),
        };
        assert_eq!(
            evidence_digest(&[a.clone(), b.clone()]),
            evidence_digest(&[b.clone(), a.clone()])
        );
        let mut sorted = [a.to_string(), b.to_string()];
        sorted.sort();
        let expected = sha256_bytes(format!("{}\n{}\n", sorted[0], sorted[1]).as_bytes());
        assert_eq!(evidence_digest(&[a, b]), expected);
    }
}
