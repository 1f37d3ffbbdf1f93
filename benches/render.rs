//! Rendering speed: prints figures, asserts nothing (run `cargo bench --bench render`).
//!
//! 0. the four application documents (承诺书, 申报表, 申报书, 推荐报告) in-process: the
//!    first packet including font loading, then 100 more on every core;
//! 1. cold: the release `dashi build` of the sample as a fresh process (fonts parsed,
//!    the whole packet typeset and written), best and median of several runs;
//! 2. batch: 100 packets (different names) built in one process with the fonts loaded
//!    once, on every core, in packets per second.

#[path = "../tests/renamed.rs"]
mod renamed;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use dashi::packet::{self, BuildOptions, Renderer, batch};
use dashi::render::Doc;

const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 10] = [
    "建国", "志强", "红梅", "海军", "丽娟", "国华", "永刚", "秀英", "晓东", "春生",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("samples/studio.toml");
    four_documents(&sample);
    cold(&sample);
    batch(&sample);
}

fn four_documents(sample: &Path) {
    let docs = [
        Doc::PLEDGE,
        Doc::APPLICATION_FORM,
        Doc::PROPOSAL,
        Doc::RECOMMENDATION,
    ];
    let start = Instant::now();
    let renderer = Renderer::new(&BuildOptions::default()).expect("renderer");
    let (_, _, prepared) = packet::prepare(&renderer, sample).expect("sample prepares");
    for doc in docs {
        packet::typeset(&renderer, &prepared, doc).expect("renders");
    }
    let first = start.elapsed().as_secs_f64();
    let threads = rayon::current_num_threads();
    let start = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (renderer, prepared) = (&renderer, &prepared);
            scope.spawn(move || {
                for i in (t..100).step_by(threads) {
                    let mut prepared_i = prepared.clone();
                    let name = format!("{}{}", SURNAMES[i % 10], GIVEN[i / 10]);
                    prepared_i.app.studio.name = format!("呼和浩特市{name}技能大师工作室");
                    prepared_i.app.master.name = name;
                    for doc in docs {
                        packet::typeset(renderer, &prepared_i, doc).expect("renders");
                    }
                }
            });
        }
    });
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "four documents in-process: first packet {first:.3} s (fonts loaded, cold); batch of 100 on {threads} threads {elapsed:.2} s, {:.1} packets/s",
        100.0 / elapsed
    );
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
        "cold process, the sample's whole packet (six PDFs and the sealed zip): best {:.3} s, median {:.3} s (7 runs)",
        times[0].as_secs_f64(),
        times[3].as_secs_f64()
    );
}

fn batch(sample: &Path) {
    // 100 data files beside the sample's evidence, each with its own master.
    let dir = tempfile::tempdir().expect("temp dir");
    let evidence = sample.parent().unwrap().join("evidence");
    link_or_copy(&evidence, &dir.path().join("evidence"));
    let text = std::fs::read_to_string(sample).expect("sample");
    let inputs: Vec<_> = (0..100)
        .map(|i| {
            let name = format!("{}{}", SURNAMES[i % 10], GIVEN[i / 10]);
            let data = renamed::renamed(&text, "王建军", &name);
            let path = dir.path().join(format!("{i:03}.toml"));
            std::fs::write(&path, data).expect("write data");
            path
        })
        .collect();
    let out = dir.path().join("out");
    let threads = rayon::current_num_threads();
    let start = Instant::now();
    let renderer = Renderer::new(&BuildOptions::default()).expect("renderer");
    let outcomes = batch::build_many(&renderer, &inputs, &out, &dashi::progress::Silent);
    let elapsed = start.elapsed().as_secs_f64();
    let ok = outcomes.iter().filter(|o| o.result.is_ok()).count();
    println!(
        "batch of 100 packets (six PDFs and the sealed zip each) on {threads} threads, fonts loaded once: {ok} built in {elapsed:.2} s, {:.1} packets/s",
        100.0 / elapsed
    );
}

/// The sample's evidence beside the batch's data files: a link where there are links.
fn link_or_copy(from: &Path, to: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(from, to).expect("link evidence");
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(to).expect("evidence folder");
        for entry in std::fs::read_dir(from).expect("evidence") {
            let entry = entry.expect("evidence entry");
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy evidence");
        }
    }
}
