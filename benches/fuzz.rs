//! The long fuzz run: the engine of tests/fuzz.rs over every reader, a million
//! mutations in all by default (`cargo bench --bench fuzz -- RUNS SEED`), one input at a
//! time so each is measured alone. Prints the count, and every panic, hang (an input
//! still being read after 10 s) and input that took more than 256 MB, with the input
//! kept under target/fuzz-failures.

#[path = "../tests/fuzz.rs"]
#[allow(dead_code)]
mod fuzz;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The allocator, counting the bytes held now and the most held since the last reset.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only counters
// are kept beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(held, Ordering::Relaxed);
        // SAFETY: the caller's layout is passed on as it came.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// An input that takes more than this is a finding.
const MEMORY: usize = 256 << 20;
/// An input still being read after this is a hang.
const HANG: Duration = Duration::from_secs(10);

/// The watchdog's view of the input being read.
struct Watchdog {
    started: Instant,
    /// Milliseconds from `started` when the current input began; `u64::MAX` between.
    since: AtomicU64,
    current: Mutex<(String, usize, Vec<u8>)>,
    hangs: AtomicUsize,
}

impl fuzz::Watch for Watchdog {
    fn before(&self, reader: &str, run: usize, input: &[u8]) {
        *self.current.lock().unwrap() = (reader.to_string(), run, input.to_vec());
        PEAK.store(HELD.load(Ordering::Relaxed), Ordering::Relaxed);
        BASE.store(HELD.load(Ordering::Relaxed), Ordering::Relaxed);
        self.since
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn after(&self) -> Option<String> {
        self.since.store(u64::MAX, Ordering::Relaxed);
        let took = PEAK
            .load(Ordering::Relaxed)
            .saturating_sub(BASE.load(Ordering::Relaxed));
        (took > MEMORY).then(|| format!("took {} MB", took >> 20))
    }
}

/// The bytes held when the current input began.
static BASE: AtomicUsize = AtomicUsize::new(0);

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let total: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(0x5EED);
    let readers = fuzz::readers();
    let per_reader = total.div_ceil(readers.len());
    println!(
        "fuzz: {} readers × {per_reader} mutations (seed {seed:#x}), one input at a time",
        readers.len()
    );
    let dog = Watchdog {
        started: Instant::now(),
        since: AtomicU64::new(u64::MAX),
        current: Mutex::new((String::new(), 0, Vec::new())),
        hangs: AtomicUsize::new(0),
    };
    let done = std::sync::atomic::AtomicBool::new(false);
    let mut failures = 0usize;
    let mut count = 0usize;
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut reported = u64::MAX;
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(250));
                let at = dog.since.load(Ordering::Relaxed);
                let now = dog.started.elapsed().as_millis() as u64;
                if at != u64::MAX
                    && at != reported
                    && now.saturating_sub(at) > HANG.as_millis() as u64
                {
                    reported = at;
                    dog.hangs.fetch_add(1, Ordering::Relaxed);
                    let (reader, run, input) = dog.current.lock().unwrap().clone();
                    let kept = fuzz::keep(&reader, run, "hang", &input);
                    println!(
                        "HANG {reader} run {run}: still reading after 10 s ({})",
                        kept.display()
                    );
                }
            }
        });
        for reader in &readers {
            let t = Instant::now();
            let failed = fuzz::fuzz(reader, per_reader, seed, &dog);
            for f in &failed {
                println!(
                    "FAILED {} run {}: {} ({})",
                    f.reader,
                    f.run,
                    f.what,
                    f.input.display()
                );
            }
            failures += failed.len();
            count += per_reader;
            println!(
                "  {:<15} {per_reader} inputs, {} failed, {:.1} s",
                reader.name,
                failed.len(),
                t.elapsed().as_secs_f64()
            );
        }
        done.store(true, Ordering::Relaxed);
    });
    println!(
        "fuzz: {count} inputs, {failures} panics or inputs over 256 MB, {} hangs, {:.0} s",
        dog.hangs.load(Ordering::Relaxed),
        dog.started.elapsed().as_secs_f64()
    );
}
