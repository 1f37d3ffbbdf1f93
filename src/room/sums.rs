//! `SHA256SUMS`: the SHA-256 of every file of a 移交 package, one line each in the
//! format `sha256sum -c` reads (`<hex>  <path>`), sorted by path. The package's digest
//! is the SHA-256 of that file: printed on the 移交与接收登记表, it ties the package
//! received to the one sent, down to every file, and a receiver can check both without
//! dashi (`sha256sum SHA256SUMS`, then `sha256sum -c SHA256SUMS`; `certutil -hashfile`
//! on Windows).

use std::collections::BTreeMap;
use std::path::Path;

use sha2::Digest;

use crate::progress::Progress;

/// The file's name in the package.
pub const FILE: &str = "SHA256SUMS";

/// Every file under `dir` but `SHA256SUMS` itself: its path (with `/`) and SHA-256.
pub fn of_folder(dir: &Path, progress: &dyn Progress) -> std::io::Result<BTreeMap<String, String>> {
    let mut paths = Vec::new();
    for entry in crate::walk::below(dir, |_| true) {
        let entry = entry.map_err(|u| u.source)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::walk::relative(dir, entry.path());
        if rel != FILE {
            paths.push(rel);
        }
    }
    paths.sort();
    let names: Vec<&str> = paths.iter().map(String::as_str).collect();
    let digests = crate::verify::ocfl::hashing::files(dir, &names, &["sha256"], progress);
    let mut out = BTreeMap::new();
    for (path, digest) in paths.iter().zip(digests) {
        let digest = digest?;
        out.insert(
            path.clone(),
            digest.get("sha256").cloned().unwrap_or_default(),
        );
    }
    Ok(out)
}

/// The `SHA256SUMS` text of those digests.
pub fn text(sums: &BTreeMap<String, String>) -> String {
    sums.iter()
        .map(|(path, hex)| format!("{hex}  {path}\n"))
        .collect()
}

/// The lines of a `SHA256SUMS` text: path → digest (lines that are not sums are
/// skipped).
pub fn parse(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let (hex, path) = line.split_once("  ").or_else(|| line.split_once(" *"))?;
            (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| (path.to_string(), hex.to_ascii_lowercase()))
        })
        .collect()
}

/// The package digest: the SHA-256 of the `SHA256SUMS` bytes.
pub fn digest(sums_file: &[u8]) -> String {
    crate::seal::digest::hex(&sha2::Sha256::digest(sums_file))
}

/// What differs between the sums a package holds and its files as read: one line each.
pub fn differences(
    listed: &BTreeMap<String, String>,
    read: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, hex) in listed {
        match read.get(path) {
            None => out.push(format!("{path}：SHA256SUMS 列出，但包中没有")),
            Some(h) if h != hex => out.push(format!("{path}：内容与 SHA256SUMS 不符")),
            Some(_) => {}
        }
    }
    for path in read.keys().filter(|p| !listed.contains_key(*p)) {
        out.push(format!("{path}：不在 SHA256SUMS 中"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_read_back_and_name_each_difference() {
        let sums = BTreeMap::from([
            ("a/b.txt".to_string(), "0".repeat(64)),
            ("c.pdf".to_string(), "f".repeat(64)),
        ]);
        let text = text(&sums);
        assert_eq!(parse(&text), sums);
        let mut read = sums.clone();
        read.insert("c.pdf".into(), "e".repeat(64));
        read.remove("a/b.txt");
        read.insert("x.bat".into(), "1".repeat(64));
        assert_eq!(
            differences(&sums, &read),
            [
                "a/b.txt：SHA256SUMS 列出，但包中没有",
                "c.pdf：内容与 SHA256SUMS 不符",
                "x.bat：不在 SHA256SUMS 中"
            ]
        );
        assert_eq!(digest(b"").len(), 64);
    }
}
