//! Many files hashed at once: one file per rayon task, each read once in fixed-size
//! chunks (never whole) and fed to every algorithm it needs (the sha2, sha1 and md-5
//! crates), so a file listed in both a manifest and a fixity block is read one time.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use rayon::prelude::*;

use crate::progress::Progress;
use crate::seal::digest::hex;
use crate::verify::tagfiles::Algorithm;

/// A file's digests: algorithm name (`sha512`, `sha256`, `sha1`, `md5`) → lowercase hex.
pub type Digests = BTreeMap<String, String>;

/// The algorithms this module computes, by their OCFL names.
pub const ALGORITHMS: [&str; 4] = ["md5", "sha1", "sha256", "sha512"];

/// Bytes read from a file at a time.
const CHUNK: usize = 64 * 1024;

/// What else sees each file's bytes as they are read, for one read to serve two ends:
/// the file's index in `paths`, and its next bytes (in order, each byte once).
pub type See<'s> = &'s (dyn Fn(usize, &[u8]) + Sync);

/// The digests of each of `paths` (relative to `root`) with each of `algorithms` (names
/// from `ALGORITHMS`; others are ignored), in the order of `paths`.
pub fn files(
    root: &Path,
    paths: &[&str],
    algorithms: &[&str],
    progress: &dyn Progress,
) -> Vec<io::Result<Digests>> {
    files_seen(root, paths, algorithms, progress, &|_, _| {})
}

/// As `files`, each file's bytes also shown to `see` as they are read.
pub fn files_seen(
    root: &Path,
    paths: &[&str],
    algorithms: &[&str],
    progress: &dyn Progress,
    see: See,
) -> Vec<io::Result<Digests>> {
    let algorithms: Vec<(&str, Algorithm)> = ALGORITHMS
        .into_iter()
        .filter(|a| algorithms.contains(a))
        .filter_map(|a| Some((a, Algorithm::from_name(a)?)))
        .collect();
    paths
        .par_iter()
        .enumerate()
        .map(|(job, path)| one(&root.join(path), job, &algorithms, progress, see))
        .collect()
}

/// One file (number `job`), one chunk at a time, every algorithm in turn.
fn one(
    path: &Path,
    job: usize,
    algorithms: &[(&str, Algorithm)],
    progress: &dyn Progress,
    see: See,
) -> io::Result<Digests> {
    let mut hashers: Vec<_> = algorithms.iter().map(|(a, h)| (*a, h.hasher())).collect();
    let mut file = File::open(path)?;
    let mut buffer = vec![0u8; CHUNK];
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        for (_, h) in &mut hashers {
            h.update(&buffer[..n]);
        }
        see(job, &buffer[..n]);
        progress.advance(n as u64);
    }
    Ok(hashers
        .into_iter()
        .map(|(a, h)| (a.to_string(), hex(&h.finalize())))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;
    use sha2::Digest;

    /// Files of every length around the chunk edges against the crates' one-shot
    /// digests; what else sees the bytes sees each file whole and in order.
    #[test]
    fn chunked_digests_are_the_digests_of_the_whole() {
        let dir = tempfile::tempdir().unwrap();
        let lengths = [
            0,
            1,
            127,
            128,
            129,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            3 * CHUNK + 5,
        ];
        let mut names = Vec::new();
        for (i, len) in lengths.iter().enumerate() {
            let bytes: Vec<u8> = (0..*len)
                .map(|j| (j.wrapping_mul(2_654_435_761) >> 7) as u8 ^ i as u8)
                .collect();
            let name = format!("f{i}");
            std::fs::write(dir.path().join(&name), &bytes).unwrap();
            names.push(name);
        }
        names.push("missing".into());
        let paths: Vec<&str> = names.iter().map(String::as_str).collect();
        let seen: Vec<std::sync::Mutex<Vec<u8>>> =
            paths.iter().map(|_| Default::default()).collect();
        let got = files_seen(
            dir.path(),
            &paths,
            &["sha256", "sha512", "md5", "blake3"],
            &Silent,
            &|job, bytes| seen[job].lock().unwrap().extend_from_slice(bytes),
        );
        for (i, name) in names.iter().enumerate().take(lengths.len()) {
            let bytes = std::fs::read(dir.path().join(name)).unwrap();
            let d = got[i].as_ref().unwrap();
            assert_eq!(d["sha512"], hex(&sha2::Sha512::digest(&bytes)));
            assert_eq!(d["sha256"], hex(&sha2::Sha256::digest(&bytes)));
            assert_eq!(d["md5"], hex(&md5::Md5::digest(&bytes)));
            assert_eq!(d.len(), 3, "an unknown algorithm is ignored");
            assert!(*seen[i].lock().unwrap() == bytes, "file {i}");
        }
        assert!(got.last().unwrap().is_err(), "a missing file is an error");
    }
}
