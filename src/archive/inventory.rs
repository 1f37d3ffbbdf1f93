//! The inventory dashi writes (OCFL 1.1, 3.5): sha512 content addressing, sha256 in
//! the fixity block to match the BagIt manifests, versions in number order, plain UTF-8
//! JSON (Chinese names as characters), and its sidecar. OCFL asks every inventory to
//! list every version's whole state, so an archive of many versions has a large one:
//! the version blocks stay as read (raw JSON) until one is needed, and are written
//! back byte for byte, so adding a version costs little beyond copying them.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::path::Path;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use sha2::{Digest, Sha512};

pub use crate::seal::digest::hex;

/// The inventory `type` of OCFL 1.1.
pub const TYPE: &str = "https://ocfl.io/1.1/spec/#inventory";
/// The content digest algorithm.
pub const ALGORITHM: &str = "sha512";
/// The fixity algorithm kept beside it, the one the BagIt manifests use.
pub const FIXITY: &str = "sha256";

/// An OCFL inventory.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Inventory {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "digestAlgorithm")]
    pub digest_algorithm: String,
    pub head: String,
    #[serde(
        rename = "contentDirectory",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub content_directory: Option<String>,
    /// Digest → content paths.
    pub manifest: BTreeMap<String, Vec<String>>,
    pub versions: Versions,
    /// Algorithm → digest → content paths.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fixity: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// One version block.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Version {
    pub created: String,
    pub message: String,
    /// Digest → logical paths.
    pub state: BTreeMap<String, Vec<String>>,
    pub user: User,
}

/// Who made a version.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub address: String,
}

/// A version block: as read (raw JSON), or made here.
#[derive(Debug, Clone)]
pub enum Block {
    Raw(Box<RawValue>),
    Made(Version),
}

impl Block {
    /// The block's content.
    pub fn version(&self) -> Option<Version> {
        match self {
            Block::Raw(raw) => serde_json::from_str(raw.get()).ok(),
            Block::Made(v) => Some(v.clone()),
        }
    }
}

/// The version blocks, by number (v1, v2, … v10, not as text sorts them).
#[derive(Debug, Clone, Default)]
pub struct Versions(pub Vec<(String, Block)>);

impl Serialize for Versions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, block) in &self.0 {
            match block {
                Block::Raw(raw) => map.serialize_entry(name, raw)?,
                Block::Made(version) => map.serialize_entry(name, version)?,
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Versions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Versions;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of versions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Versions, A::Error> {
                let mut versions = Vec::new();
                while let Some((name, raw)) = map.next_entry::<String, Box<RawValue>>()? {
                    versions.push((name, Block::Raw(raw)));
                }
                versions.sort_by_key(|(name, _)| number(name).unwrap_or(u32::MAX));
                Ok(Versions(versions))
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// The number of a version name (`v3` → 3).
pub fn number(name: &str) -> Option<u32> {
    name.strip_prefix('v')?.parse().ok()
}

impl Inventory {
    /// The head version's number.
    pub fn head_number(&self) -> u32 {
        number(&self.head).unwrap_or(0)
    }

    /// The name the next version gets, following the object's convention (zero-padded
    /// to the same width if the first version is).
    pub fn next_name(&self) -> String {
        let next = self.head_number() + 1;
        match self.versions.0.first().map(|(n, _)| n.len() - 1) {
            Some(width) if self.versions.0[0].0.starts_with("v0") => format!("v{next:0width$}"),
            _ => format!("v{next}"),
        }
    }

    /// A version block by number, read.
    pub fn version(&self, n: u32) -> Option<(String, Version)> {
        self.versions
            .0
            .iter()
            .find(|(name, _)| number(name) == Some(n))
            .and_then(|(name, block)| Some((name.clone(), block.version()?)))
    }

    /// Logical path → digest, for version `n`.
    pub fn state(&self, n: u32) -> BTreeMap<String, String> {
        self.version(n)
            .map(|(_, v)| {
                v.state
                    .iter()
                    .flat_map(|(d, paths)| paths.iter().map(move |p| (p.clone(), d.clone())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The content path that stores a digest.
    pub fn content_of(&self, digest: &str) -> Option<&str> {
        self.manifest.get(digest)?.first().map(String::as_str)
    }

    /// The content directory's name.
    pub fn content_dir(&self) -> &str {
        self.content_directory.as_deref().unwrap_or("content")
    }

    /// Writes the inventory to `path` (pretty JSON ending in a newline) and returns its
    /// sha512 in hex.
    pub fn write_to(&self, out: impl Write) -> io::Result<String> {
        let mut hashing = Hashing::new(io::BufWriter::with_capacity(1 << 20, out));
        serde_json::to_writer_pretty(&mut hashing, self)?;
        hashing.write_all(b"\n")?;
        hashing.out.flush()?;
        Ok(hashing.finish())
    }

    /// The inventory's sha512, without keeping its bytes.
    pub fn digest(&self) -> String {
        self.write_to(io::sink()).expect("writing to nothing works")
    }
}

/// Passes bytes on while hashing them (sha512).
pub struct Hashing<W: Write> {
    out: W,
    hasher: Sha512,
}

impl<W: Write> Hashing<W> {
    pub fn new(out: W) -> Self {
        Hashing {
            out,
            hasher: Sha512::new(),
        }
    }

    /// The digest of what passed, in hex.
    pub fn finish(self) -> String {
        hex(&self.hasher.finalize())
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Reads an inventory file.
pub fn read(path: &Path) -> io::Result<(Inventory, String)> {
    let bytes = std::fs::read(path)?;
    let digest = hex(&Sha512::digest(&bytes));
    let inventory = serde_json::from_slice(&bytes).map_err(io::Error::other)?;
    Ok((inventory, digest))
}

/// The time a version is created: RFC 3339 in Beijing time (UTC+8), to the second.
pub fn created(unix_seconds: i64) -> String {
    let local = unix_seconds + crate::data::dates::CHINA_OFFSET;
    let day = crate::data::dates::Date::from_unix(local.div_euclid(86_400) * 86_400).unwrap_or(
        crate::data::dates::Date {
            year: 1970,
            month: 1,
            day: 1,
        },
    );
    let secs = local.rem_euclid(86_400);
    format!(
        "{day}T{:02}:{:02}:{:02}+08:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_time() {
        assert_eq!(created(0), "1970-01-01T08:00:00+08:00");
        assert_eq!(created(1_795_000_000), "2026-11-18T19:06:40+08:00");
    }

    #[test]
    fn versions_keep_number_order() {
        let json = r#"{"v10": {"created": "x", "message": "", "state": {}, "user": {"name": "a", "address": "mailto:a@b"}},
                       "v2": {"created": "x", "message": "", "state": {}, "user": {"name": "a", "address": "mailto:a@b"}}}"#;
        let versions: Versions = serde_json::from_str(json).unwrap();
        assert_eq!(versions.0[0].0, "v2");
        let text = serde_json::to_string(&versions).unwrap();
        assert!(text.find("v2").unwrap() < text.find("v10").unwrap());
    }
}
