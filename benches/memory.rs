//! Memory of `dashi build` as the evidence grows: prints figures, asserts nothing (run
//! `cargo bench --bench memory`). Studios of 20, 100 and 200 A4 scans at 300 dpi
//! (two per member, 2480 × 3508 JPEG), each built by the release binary as a fresh
//! process, with its peak RSS (from /usr/bin/time) and wall time; then a batch of
//! four such studios of 100 scans on every core. The goal: peak RSS ≤ 300 MB for
//! 200 scans, and flat in the number of scans. `dashi check` of each studio is timed
//! too (every scan read once and decoded once).

#[path = "../tests/bigstudio.rs"]
mod bigstudio;
#[path = "../tests/renamed.rs"]
mod renamed;

use std::path::Path;
use std::process::Command;

fn main() {
    // DASHI_BIN measures another build (an earlier commit's, side by side).
    let own = env!("CARGO_BIN_EXE_dashi").to_string();
    let dashi = &std::env::var("DASHI_BIN").unwrap_or(own);
    let root = tempfile::tempdir().expect("temp dir");
    for scans in [20, 100, 200] {
        let dir = root.path().join(format!("s{scans}"));
        let data = bigstudio::write(
            &dir,
            &bigstudio::Studio {
                members: scans / 2,
                achievements: 0,
                scan: (2480, 3508),
            },
        );
        let bytes = folder_bytes(&dir.join("evidence"));
        let (seconds, rss) = measure(dashi, &["check", data.to_str().unwrap()], &dir);
        println!("check, {scans} scans: {seconds:.2} s, peak RSS {rss:.0} MiB");
        let (seconds, rss) = measure(dashi, &["build", data.to_str().unwrap(), "-o", "out"], &dir);
        println!(
            "build, {scans} scans ({:.0} MiB of JPEG): {seconds:.2} s, peak RSS {rss:.0} MiB",
            bytes as f64 / 1048576.0
        );
    }
    let batch = root.path().join("batch");
    std::fs::create_dir(&batch).unwrap();
    for i in 0..4 {
        let dir = batch.join(format!("{i}"));
        bigstudio::write(
            &dir,
            &bigstudio::Studio {
                members: 50,
                achievements: i,
                scan: (2480, 3508),
            },
        );
        let text = std::fs::read_to_string(dir.join("studio.toml")).unwrap();
        let name = ["甲", "乙", "丙", "丁"][i];
        let text = renamed::renamed(&text, "王建军", &format!("王建{name}"));
        std::fs::write(dir.join("studio.toml"), text).unwrap();
    }
    let inputs: Vec<String> = (0..4).map(|i| format!("{i}/studio.toml")).collect();
    let mut args = vec!["build"];
    args.extend(inputs.iter().map(String::as_str));
    args.extend(["-o", "out"]);
    let (seconds, rss) = measure(dashi, &args, &batch);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "batch of 4 studios × 100 scans on {cores} cores: {seconds:.2} s, peak RSS {rss:.0} MiB"
    );
}

/// Wall time and peak RSS (MiB) of one run, by /usr/bin/time.
fn measure(program: &str, args: &[&str], dir: &Path) -> (f64, f64) {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", program])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("/usr/bin/time runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "dashi failed: {stderr}{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let last = stderr.lines().last().unwrap_or("");
    let mut parts = last.split_whitespace();
    let seconds: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let kib: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
    (seconds, kib / 1024.0)
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum()
}
