//! Many files hashed at once, with every algorithm each needs: on every core, and where
//! the CPU has AVX-512, SHA-512 eight files at a time on each (`sha512x8`), with SHA-256
//! (an OCFL fixity block's) of the same bytes four files at a time where it has the SHA
//! extensions (`sha256x4`). Other algorithms are fed the same chunks as they are read,
//! so each file is read once, in fixed-size chunks, never whole.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use sha2::digest::generic_array::GenericArray;

use super::digest::hex;
use super::sha256x4;
use super::sha512x8::{self, BLOCK, IV};
use crate::progress::Progress;
use crate::verify::tagfiles::Algorithm;

/// A streaming hasher of one algorithm.
type Hasher = Box<dyn sha2::digest::DynDigest + Send>;

/// A file's digests: algorithm name (`sha512`, `sha256`, `sha1`, `md5`) → lowercase hex.
pub type Digests = BTreeMap<String, String>;

/// The algorithms this module computes, by their OCFL names.
pub const ALGORITHMS: [&str; 4] = ["md5", "sha1", "sha256", "sha512"];

/// Bytes read from a file at a time (per lane).
const CHUNK: usize = 64 * 1024;

/// With this many files left and nothing queued, the rest are finished one at a time
/// (eight lanes cost the same however few carry a file).
const FEW: usize = 2;

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
    let sizes: Vec<u64> = paths
        .iter()
        .map(|p| std::fs::metadata(root.join(p)).map_or(0, |m| m.len()))
        .collect();
    lanes_where_they_run(root, paths, &sizes, algorithms, progress, see)
}

/// As `files`, with the size of each file as the caller found it (it orders the work:
/// a size that is no longer right only orders it worse).
pub fn files_sized(
    root: &Path,
    paths: &[&str],
    sizes: &[u64],
    algorithms: &[&str],
    progress: &dyn Progress,
) -> Vec<io::Result<Digests>> {
    lanes_where_they_run(root, paths, sizes, algorithms, progress, &|_, _| {})
}

/// `hash` with those of `algorithms` this module computes, in its own order, in lanes
/// where the CPU runs them.
fn lanes_where_they_run(
    root: &Path,
    paths: &[&str],
    sizes: &[u64],
    algorithms: &[&str],
    progress: &dyn Progress,
    see: See,
) -> Vec<io::Result<Digests>> {
    let algorithms: Vec<&str> = ALGORITHMS
        .into_iter()
        .filter(|a| algorithms.contains(a))
        .collect();
    hash(
        root,
        paths,
        sizes,
        &algorithms,
        progress,
        see,
        sha512x8::available(),
    )
}

fn hash(
    root: &Path,
    paths: &[&str],
    sizes: &[u64],
    algorithms: &[&str],
    progress: &dyn Progress,
    see: See,
    lanes: bool,
) -> Vec<io::Result<Digests>> {
    if !lanes || !algorithms.contains(&"sha512") {
        return paths
            .par_iter()
            .enumerate()
            .map(|(job, path)| one(&root.join(path), job, algorithms, progress, see))
            .collect();
    }
    // One engine per core, each taking the next file from one queue, the largest files
    // first: the cores end together, and a core busy with other work when the hashing
    // starts takes up what is left when it comes.
    let mut order: Vec<(u64, usize)> = (0..paths.len())
        .map(|i| (sizes.get(i).copied().unwrap_or(0), i))
        .collect();
    order.sort_by(|a, b| b.cmp(a));
    let queue = Queue {
        jobs: order.into_iter().map(|(_, i)| i).collect(),
        next: AtomicUsize::new(0),
    };
    let done: Vec<Vec<(usize, io::Result<Digests>)>> = (0..rayon::current_num_threads())
        .into_par_iter()
        .map(|_| Engine::new(root, paths, algorithms, progress, see).run(&queue))
        .collect();
    let mut results: Vec<Option<io::Result<Digests>>> = (0..paths.len()).map(|_| None).collect();
    for (i, result) in done.into_iter().flatten() {
        results[i] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.expect("every file hashed"))
        .collect()
}

/// The files to hash, in the order they are taken, shared by the engines.
struct Queue {
    jobs: Vec<usize>,
    next: AtomicUsize,
}

impl Queue {
    fn take(&self) -> Option<usize> {
        self.jobs
            .get(self.next.fetch_add(1, Ordering::Relaxed))
            .copied()
    }

    fn is_empty(&self) -> bool {
        self.next.load(Ordering::Relaxed) >= self.jobs.len()
    }
}

/// One file (number `job`), one chunk at a time, every algorithm in turn.
fn one(
    path: &Path,
    job: usize,
    algorithms: &[&str],
    progress: &dyn Progress,
    see: See,
) -> io::Result<Digests> {
    let mut hashers = others(algorithms, &[]);
    let mut file = File::open(path)?;
    let mut buffer = vec![0u8; CHUNK];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        for (_, h) in hashers.iter_mut() {
            h.update(&buffer[..n]);
        }
        see(job, &buffer[..n]);
        progress.advance(n as u64);
    }
    Ok(finish(hashers))
}

/// Hashers for `algorithms` but those in `lanes` (computed in lanes).
fn others(algorithms: &[&str], lanes: &[&str]) -> Vec<(String, Hasher)> {
    algorithms
        .iter()
        .filter(|a| !lanes.contains(a))
        .filter_map(|a| Some((a.to_string(), Algorithm::from_name(a)?.hasher())))
        .collect()
}

fn finish(hashers: Vec<(String, Hasher)>) -> Digests {
    hashers
        .into_iter()
        .map(|(a, h)| (a, hex(&h.finalize())))
        .collect()
}

/// A file in a lane: its unhashed bytes in `buffer[start..end]`.
struct Lane {
    job: usize,
    file: File,
    buffer: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    /// Bytes read so far (the SHA-512 length field).
    length: u64,
    others: Vec<(String, Hasher)>,
}

impl Lane {
    /// Full blocks ready to compress.
    fn blocks(&self) -> usize {
        (self.end - self.start) / BLOCK
    }

    /// Keeps what is left and reads until the buffer is full or the file ends; the
    /// other algorithms, `see` and the progress see the new bytes.
    fn refill(&mut self, progress: &dyn Progress, see: See) -> io::Result<()> {
        self.buffer.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        let old = self.end;
        while self.end < self.buffer.len() {
            let n = self.file.read(&mut self.buffer[self.end..])?;
            if n == 0 {
                self.eof = true;
                break;
            }
            self.end += n;
        }
        let new = &self.buffer[old..self.end];
        for (_, h) in self.others.iter_mut() {
            h.update(new);
        }
        see(self.job, new);
        self.length += new.len() as u64;
        progress.advance(new.len() as u64);
        Ok(())
    }

    /// Compresses the full blocks in the buffer one message at a time.
    fn compress_alone(&mut self, state: &mut State) {
        let full = self.blocks() * BLOCK;
        let bytes = &self.buffer[self.start..self.start + full];
        for block in bytes.chunks_exact(BLOCK) {
            sha2::compress512(
                &mut state.sha512,
                std::slice::from_ref(GenericArray::from_slice(block)),
            );
        }
        if let Some(sha256) = state.sha256.as_mut() {
            for block in bytes.chunks_exact(sha256x4::BLOCK) {
                sha2::compress256(
                    sha256,
                    std::slice::from_ref(GenericArray::from_slice(block)),
                );
            }
        }
        self.start += full;
    }

    /// The last bytes (fewer than a block) and the padding; then every digest.
    fn digests(&mut self, mut state: State) -> Digests {
        let tail = &self.buffer[self.start..self.end];
        debug_assert!(self.eof && tail.len() < BLOCK);
        let bits = u128::from(self.length) * 8;
        for block in padded(tail, BLOCK, &bits.to_be_bytes()).chunks_exact(BLOCK) {
            sha2::compress512(
                &mut state.sha512,
                std::slice::from_ref(GenericArray::from_slice(block)),
            );
        }
        let mut out = finish(std::mem::take(&mut self.others));
        let words: Vec<u8> = state.sha512.iter().flat_map(|w| w.to_be_bytes()).collect();
        out.insert("sha512".into(), hex(&words));
        if let Some(mut sha256) = state.sha256 {
            let bits = self.length * 8;
            let last = padded(tail, sha256x4::BLOCK, &bits.to_be_bytes());
            for block in last.chunks_exact(sha256x4::BLOCK) {
                sha2::compress256(
                    &mut sha256,
                    std::slice::from_ref(GenericArray::from_slice(block)),
                );
            }
            let words: Vec<u8> = sha256.iter().flat_map(|w| w.to_be_bytes()).collect();
            out.insert("sha256".into(), hex(&words));
        }
        out
    }
}

/// A message's last bytes with the padding of FIPS 180-4 (5.1): 0x80, zeros, and the
/// message length in bits (`length`, big-endian), to whole blocks of `block` bytes.
fn padded(tail: &[u8], block: usize, length: &[u8]) -> Vec<u8> {
    let total = (tail.len() + 1 + length.len()).div_ceil(block) * block;
    let mut last = vec![0u8; total];
    last[..tail.len()].copy_from_slice(tail);
    last[tail.len()] = 0x80;
    last[total - length.len()..].copy_from_slice(length);
    last
}

/// One lane's hash states: SHA-512, and SHA-256 when it runs in lanes too.
struct State {
    sha512: [u64; 8],
    sha256: Option<[u32; 8]>,
}

/// Eight lanes, each carrying one file at a time, compressed together.
struct Engine<'a> {
    root: &'a Path,
    paths: &'a [&'a str],
    algorithms: &'a [&'a str],
    progress: &'a dyn Progress,
    see: See<'a>,
    lanes: [Option<Lane>; 8],
    /// `state[word][lane]`.
    state: [[u64; 8]; 8],
    /// Each lane's SHA-256 state, when SHA-256 runs in lanes (`sha256x4`).
    sha256: Option<[[u32; 8]; 8]>,
    /// Buffers of finished files, for the next (a fresh one would be mapped, zeroed
    /// and unmapped for every file).
    spare: Vec<Box<[u8]>>,
    done: Vec<(usize, io::Result<Digests>)>,
}

impl<'a> Engine<'a> {
    fn new(
        root: &'a Path,
        paths: &'a [&'a str],
        algorithms: &'a [&'a str],
        progress: &'a dyn Progress,
        see: See<'a>,
    ) -> Self {
        Engine {
            root,
            paths,
            algorithms,
            progress,
            see,
            lanes: Default::default(),
            state: [[0; 8]; 8],
            sha256: (algorithms.contains(&"sha256") && sha256x4::available())
                .then_some([[0; 8]; 8]),
            spare: Vec::new(),
            done: Vec::new(),
        }
    }

    fn lane_state(&self, lane: usize) -> State {
        State {
            sha512: std::array::from_fn(|word| self.state[word][lane]),
            sha256: self.sha256.map(|s| s[lane]),
        }
    }

    /// The algorithms computed in lanes.
    fn in_lanes(&self) -> &'static [&'static str] {
        if self.sha256.is_some() {
            &["sha512", "sha256"]
        } else {
            &["sha512"]
        }
    }

    fn run(mut self, queue: &Queue) -> Vec<(usize, io::Result<Digests>)> {
        let zeros = vec![0u8; CHUNK];
        loop {
            // Every free lane takes the next file; every lane has a block or its end.
            for lane in 0..8 {
                while !self.ready(lane) {
                    let Some(job) = queue.take() else { break };
                    self.start(lane, job);
                }
            }
            let active = self.lanes.iter().filter(|l| l.is_some()).count();
            if active == 0 {
                break;
            }
            if active <= FEW && queue.is_empty() {
                for lane in 0..8 {
                    self.alone(lane);
                }
                break;
            }
            let blocks = self.lanes.iter().flatten().map(Lane::blocks).min();
            let blocks = blocks.expect("an active lane");
            debug_assert!(blocks > 0, "every active lane holds a block");
            let pointers: [*const u8; 8] = std::array::from_fn(|lane| match &self.lanes[lane] {
                Some(l) => l.buffer[l.start..].as_ptr(),
                None => zeros.as_ptr(),
            });
            // SAFETY: `lanes` ran `available()`; each pointer has at least `blocks`
            // blocks behind it (a lane's own, or `zeros`, CHUNK bytes).
            #[cfg(target_arch = "x86_64")]
            unsafe {
                sha512x8::compress8(&mut self.state, pointers, blocks)
            };
            // The same bytes, two SHA-256 blocks to each SHA-512 block, four lanes at
            // a time (a group with no file in it is skipped).
            #[cfg(target_arch = "x86_64")]
            if let Some(states) = self.sha256.as_mut() {
                for (group, states) in states.chunks_exact_mut(4).enumerate() {
                    if self.lanes[4 * group..4 * group + 4]
                        .iter()
                        .all(Option::is_none)
                    {
                        continue;
                    }
                    let states: &mut [[u32; 8]; 4] = states.try_into().expect("four lanes");
                    let pointers = std::array::from_fn(|i| pointers[4 * group + i]);
                    // SAFETY: `sha256` is Some only where `sha256x4::available()`; the
                    // pointers are those above, `blocks * BLOCK` bytes each.
                    unsafe { sha256x4::compress4(states, pointers, 2 * blocks) };
                }
            }
            #[cfg(not(target_arch = "x86_64"))]
            unreachable!("{pointers:?}");
            for lane in self.lanes.iter_mut().flatten() {
                lane.start += blocks * BLOCK;
            }
        }
        self.done
    }

    /// Opens `job` in `lane`, or records why it could not be.
    fn start(&mut self, lane: usize, job: usize) {
        match File::open(self.root.join(self.paths[job])) {
            Ok(file) => {
                for (word, iv) in IV.iter().enumerate() {
                    self.state[word][lane] = *iv;
                }
                if let Some(states) = self.sha256.as_mut() {
                    states[lane] = sha256x4::IV;
                }
                self.lanes[lane] = Some(Lane {
                    job,
                    file,
                    buffer: self
                        .spare
                        .pop()
                        .unwrap_or_else(|| vec![0u8; CHUNK].into_boxed_slice()),
                    start: 0,
                    end: 0,
                    eof: false,
                    length: 0,
                    others: others(self.algorithms, self.in_lanes()),
                });
            }
            Err(e) => self.done.push((job, Err(e))),
        }
    }

    /// Whether `lane` holds a full block, reading more when it has none; a file that
    /// has ended (or cannot be read) is finished and leaves the lane free.
    fn ready(&mut self, lane: usize) -> bool {
        let Some(l) = self.lanes[lane].as_mut() else {
            return false;
        };
        if l.blocks() == 0
            && !l.eof
            && let Err(e) = l.refill(self.progress, self.see)
        {
            let l = self.lanes[lane].take().expect("lane in use");
            self.retire(l, Err(e));
            return false;
        }
        if l.blocks() > 0 {
            return true;
        }
        let state = self.lane_state(lane);
        let l = self.lanes[lane].take().expect("lane in use");
        self.retire(l, Ok(state));
        false
    }

    /// A lane's file finished (its digests) or failed; its buffer kept for the next.
    fn retire(&mut self, mut l: Lane, state: io::Result<State>) {
        let result = state.map(|state| l.digests(state));
        self.done.push((l.job, result));
        self.spare.push(l.buffer);
    }

    /// Finishes `lane`'s file by itself.
    fn alone(&mut self, lane: usize) {
        let mut state = self.lane_state(lane);
        let Some(mut l) = self.lanes[lane].take() else {
            return;
        };
        loop {
            l.compress_alone(&mut state);
            if l.eof {
                break;
            }
            if let Err(e) = l.refill(self.progress, self.see) {
                self.retire(l, Err(e));
                return;
            }
        }
        self.retire(l, Ok(state));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;
    use sha2::Digest;

    /// Files of every length around the block and chunk edges, hashed by the lanes and
    /// one at a time, against the sha2 crate's own SHA-512 and SHA-256 (the lanes only
    /// where the CPU has AVX-512, as on this project's machines).
    #[test]
    fn lanes_give_the_digests_of_the_sha2_crate() {
        let dir = tempfile::tempdir().unwrap();
        let mut lengths: Vec<usize> = (0..=260).collect();
        lengths.extend([
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            CHUNK + 111,
            CHUNK + 112,
            3 * CHUNK + 5,
        ]);
        lengths.extend([1_000_003, 777, 5000, 65_536]);
        let mut names = Vec::new();
        let mut expected = Vec::new();
        for (i, len) in lengths.iter().enumerate() {
            let bytes: Vec<u8> = (0..*len)
                .map(|j| (j.wrapping_mul(2_654_435_761) >> 7) as u8 ^ i as u8)
                .collect();
            let name = format!("f{i}");
            std::fs::write(dir.path().join(&name), &bytes).unwrap();
            expected.push((
                hex(&sha2::Sha512::digest(&bytes)),
                hex(&sha2::Sha256::digest(&bytes)),
            ));
            names.push(name);
        }
        names.push("missing".into());
        let paths: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut runs = vec![false];
        if sha512x8::available() {
            runs.push(true);
        }
        for lanes in runs {
            let sizes: Vec<u64> = lengths.iter().map(|l| *l as u64).collect();
            let seen: Vec<std::sync::Mutex<Vec<u8>>> =
                paths.iter().map(|_| Default::default()).collect();
            let got = hash(
                dir.path(),
                &paths,
                &sizes,
                &["sha256", "sha512"],
                &Silent,
                &|job, bytes| seen[job].lock().unwrap().extend_from_slice(bytes),
                lanes,
            );
            assert_eq!(got.len(), paths.len());
            for (i, (sha512, sha256)) in expected.iter().enumerate() {
                let d = got[i].as_ref().unwrap();
                assert_eq!(&d["sha512"], sha512, "lanes {lanes}, length {}", lengths[i]);
                assert_eq!(&d["sha256"], sha256, "lanes {lanes}, length {}", lengths[i]);
                // What else sees the bytes sees each file whole, in order.
                let bytes = std::fs::read(dir.path().join(paths[i])).unwrap();
                assert!(*seen[i].lock().unwrap() == bytes, "lanes {lanes}, file {i}");
            }
            assert!(got.last().unwrap().is_err(), "a missing file is an error");
        }
    }
}
