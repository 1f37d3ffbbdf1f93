//! Rendering speed: prints figures, asserts nothing (run `cargo bench --bench render`).
//!
//! 1. cold: the release `dashi build` of the sample as a fresh process (fonts parsed,
//!    four documents typeset and written), best and median of several runs;
//! 2. batch: 100 applications (different names) typeset in one process with the fonts
//!    loaded once, on every core, in packets per second.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use dashi::build::{BuildOptions, Renderer};
use dashi::render::Doc;

const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 10] = [
    "建国", "志强", "红梅", "海军", "丽娟", "国华", "永刚", "秀英", "晓东", "春生",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("samples/studio.toml");
    cold(&sample);
    batch(&sample);
}

fn cold(sample: &Path) {
    let out = tempfile::tempdir().expect("temp dir");
    let mut times: Vec<Duration> = (0..7)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_dashi"))
                .args(["build"])
                .arg(sample)
                .arg("-o")
                .arg(out.path())
                .stdout(std::process::Stdio::null())
                .status()
                .expect("dashi runs");
            assert!(status.success());
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "cold process, sample's four documents: best {:.3} s, median {:.3} s (7 runs)",
        times[0].as_secs_f64(),
        times[3].as_secs_f64()
    );
}

fn batch(sample: &Path) {
    let base = dashi::data::load::load(sample).expect("sample loads").app;
    let apps: Vec<_> = (0..100)
        .map(|i| {
            let mut app = base.clone();
            let name = format!("{}{}", SURNAMES[i % 10], GIVEN[i / 10]);
            app.studio.name = format!("呼和浩特市{name}技能大师工作室");
            app.master.name = name;
            app
        })
        .collect();
    let start = Instant::now();
    let renderer = Renderer::new(&BuildOptions::default()).expect("renderer");
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let bytes: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = apps
            .chunks(apps.len().div_ceil(threads))
            .map(|chunk| {
                let renderer = &renderer;
                scope.spawn(move || {
                    let mut total = 0;
                    for app in chunk {
                        let plan = renderer.plan(app).expect("covered");
                        for doc in Doc::ALL {
                            total += renderer.pdf(app, &plan, doc).expect("renders").len();
                        }
                    }
                    total
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).sum()
    });
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "batch of 100 applications (400 PDFs, {:.1} MB) on {threads} threads, fonts loaded once: {:.2} s, {:.1} packets/s",
        bytes as f64 / 1e6,
        elapsed,
        100.0 / elapsed
    );
}
