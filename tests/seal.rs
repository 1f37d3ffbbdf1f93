//! The sealed archive: a BagIt zip that independent readers accept (bagit-python after
//! unzipping, bdbag on the zip, unzip, bsdtar, sha256sum), byte-identical on rebuild,
//! never left half-written.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::render::{build, tool};
use crate::util::{BAG, Project, assert_refused_as_broken, dashi};

fn zip_of(p: &Project, out: &str) -> PathBuf {
    p.path(&format!("{out}/{BAG}.zip"))
}

/// (name, general-purpose flags, method) of every central directory entry.
fn central_directory(bytes: &[u8]) -> Vec<(String, u16, u16)> {
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    let eocd = (0..bytes.len() - 21)
        .rev()
        .find(|&i| u32_at(i) == 0x0605_4b50)
        .expect("end of central directory");
    let mut at = u32_at(eocd + 16) as usize;
    let mut out = Vec::new();
    while u32_at(at) == 0x0201_4b50 {
        let (flags, method) = (u16_at(at + 8), u16_at(at + 10));
        let (n, m, k) = (
            u16_at(at + 28) as usize,
            u16_at(at + 30) as usize,
            u16_at(at + 32) as usize,
        );
        let name = String::from_utf8(bytes[at + 46..at + 46 + n].to_vec()).unwrap();
        out.push((name, flags, method));
        at += 46 + n + m + k;
    }
    out
}

fn unzip(p: &Project, zip: &Path) -> PathBuf {
    let dest = p.path("unzipped");
    std::fs::create_dir_all(&dest).unwrap();
    tool(
        "unzip",
        &["-q", zip.to_str().unwrap(), "-d", dest.to_str().unwrap()],
        p.dir(),
    );
    dest.join(BAG)
}

fn sh(script: &str, dir: &Path) -> String {
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_packet_is_sealed_as_a_bag_that_independent_tools_accept() {
    let p = Project::sample();
    let run = build(&p, "out");
    assert_eq!(run.code, 0, "{}", run.stdout);
    let zip = zip_of(&p, "out");
    let bag = unzip(&p, &zip);

    // bagit-python on the unzipped bag, bdbag on the zip itself.
    let status = Command::new("bagit.py")
        .args(["--validate", "."])
        .current_dir(&bag)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "bagit.py: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let status = Command::new("bdbag")
        .args(["--validate", "full"])
        .arg(&zip)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "bdbag: {}",
        String::from_utf8_lossy(&status.stderr)
    );

    // Plain sha256sum from the bag root, for reviewers without dashi.
    sh(
        "sha256sum --quiet -c manifest-sha256.txt && sha256sum --quiet -c tagmanifest-sha256.txt",
        &bag,
    );

    // The layout of the payload.
    for path in [
        "data/申报材料/02-建设项目申报表.pdf",
        "data/申报材料/05-佐证材料.pdf",
        "data/佐证材料/02-身份证-王建军.jpg",
        "data/源数据/studio.toml",
    ] {
        assert!(bag.join(path).is_file(), "{path}");
    }
    // The evidence digest of bag-info.txt is the one printed and on the pledge, and the
    // reviewer's recipe recomputes it; the seal is the tag manifest's SHA-256.
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    let digest = run.printed("已印在承诺书上）：");
    let digest = digest.as_str();
    assert!(
        info.contains(&format!("Evidence-Digest: {digest}\n")),
        "{info}"
    );
    assert!(info.contains(&format!("External-Identifier: {BAG}\n")));
    assert!(info.contains("Bagging-Date: 2026-11-20\n"));
    let recomputed = sh(
        "grep -E '  data/(佐证材料|源数据)/' manifest-sha256.txt | LC_ALL=C sort | sha256sum",
        &bag,
    );
    assert_eq!(recomputed.split_whitespace().next().unwrap(), digest);
    let seal = run.printed("封存值（tagmanifest-sha256.txt 的 SHA-256）：");
    assert_eq!(
        sh("sha256sum tagmanifest-sha256.txt", &bag)
            .split_whitespace()
            .next()
            .unwrap(),
        seal
    );

    // unzip and bsdtar show the Chinese names; every non-ASCII name has the UTF-8 flag;
    // compressed data is stored, text deflated; one top-level folder.
    let listing = tool("unzip", &["-l", zip.to_str().unwrap()], p.dir());
    assert!(
        listing.contains(&format!("{BAG}/data/佐证材料/02-身份证-王建军.jpg")),
        "{listing}"
    );
    let listing = tool("bsdtar", &["-tf", zip.to_str().unwrap()], p.dir());
    assert!(
        listing.contains(&format!("{BAG}/data/源数据/studio.toml")),
        "{listing}"
    );
    let entries = central_directory(&std::fs::read(&zip).unwrap());
    assert!(entries.len() >= 20);
    let mut names: Vec<&str> = Vec::new();
    for (name, flags, method) in &entries {
        assert!(name.starts_with(&format!("{BAG}/")), "{name}");
        if !name.is_ascii() {
            assert_ne!(flags & 0x0800, 0, "{name} lacks the UTF-8 flag");
        }
        let expected = if name.ends_with(".jpg") || name.ends_with(".pdf") {
            0
        } else {
            8
        };
        assert_eq!(*method, expected, "{name}");
        names.push(name);
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are in path order");
}

#[test]
fn sealing_twice_gives_identical_bytes() {
    let p = Project::sample();
    assert_eq!(build(&p, "a").code, 0);
    assert_eq!(build(&p, "b").code, 0);
    assert!(std::fs::read(zip_of(&p, "a")).unwrap() == std::fs::read(zip_of(&p, "b")).unwrap());

    let seal = |dest: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_dashi"))
            .args(["seal", "evidence", "-o", dest])
            .env("SOURCE_DATE_EPOCH", "1795000000")
            .current_dir(p.dir())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(p.path(dest)).unwrap()
    };
    assert!(seal("x/封存.zip") == seal("y/封存.zip"));
}

#[test]
fn names_bagit_tools_disagree_on_are_refused() {
    let p = Project::sample();
    std::fs::write(p.path("evidence/100%.txt"), "x").unwrap();
    let run = dashi(p.dir(), &["seal", "evidence", "-o", "e.zip"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("100%.txt"), "{}", run.stderr);
    assert!(!p.path("e.zip").exists());
}

#[test]
fn a_killed_seal_leaves_no_file_under_the_final_name() {
    let p = Project::sample();
    let big = p.path("big");
    std::fs::create_dir(&big).unwrap();
    let file = std::fs::File::create(big.join("zeros.bin")).unwrap();
    file.set_len(1 << 30).unwrap();
    let temporary = |p: &Project| -> Vec<u64> {
        std::fs::read_dir(p.dir())
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .map(|e| e.metadata().unwrap().len())
            .collect()
    };
    // Killed in the middle of writing the zip (its 20th write), and just before the
    // finished zip takes its name (the rename): either way no file under the final
    // name, and the kill is proven to have come while the zip was being made.
    for (syscalls, n) in [("write", 20), ("rename,renameat,renameat2", 1)] {
        let (killed, run) =
            crate::util::killed_at(p.dir(), syscalls, n, &["seal", "big", "-o", "big.zip"]);
        assert!(killed, "not killed at {syscalls} #{n}: {run:?}");
        let partial = temporary(&p);
        assert_eq!(partial.len(), 1, "killed at {syscalls} #{n}: {partial:?}");
        assert!(partial[0] > 0, "the zip was being written");
        assert!(
            !p.path("big.zip").exists(),
            "a partial zip under the final name (killed at {syscalls} #{n})"
        );
        for e in std::fs::read_dir(p.dir()).unwrap() {
            let e = e.unwrap();
            if e.file_name().to_string_lossy().ends_with(".tmp") {
                std::fs::remove_file(e.path()).unwrap();
            }
        }
    }
}

#[test]
fn an_entry_beyond_four_gibibytes_is_written_as_zip64_and_read_back() {
    let p = Project::sample();
    let big = p.path("big");
    std::fs::create_dir(&big).unwrap();
    // Sparse zeros: no disk for the input, and they deflate to a few megabytes.
    let size: u64 = (4 << 30) + 4096;
    let file = std::fs::File::create(big.join("zeros.bin")).unwrap();
    file.set_len(size).unwrap();
    let run = dashi(p.dir(), &["seal", "big", "-o", "big.zip"]);
    assert_eq!(run.code, 0, "{run:?}");

    // Independent readers see the true size, carried in the entry's zip64 extra field
    // (header 0x0001), and its data is whole.
    let listing = sh("unzip -l big.zip", p.dir());
    assert!(listing.contains(&size.to_string()), "{listing}");
    let info = sh(
        "python3 -c 'import sys, zipfile\n\
         for i in zipfile.ZipFile(sys.argv[1]).infolist():\n\
         \x20if i.filename.endswith(\"zeros.bin\"): print(i.file_size, i.extra[:2].hex())' big.zip",
        p.dir(),
    );
    assert_eq!(info.trim(), format!("{size} 0100"));
    sh("unzip -tq big.zip", p.dir());

    // And verify streams the whole entry through its digest.
    let run = dashi(p.dir(), &["verify", "big.zip"]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn a_folder_that_is_a_bag_is_zipped_as_it_is() {
    let p = Project::sample();
    assert_eq!(build(&p, "out").code, 0);
    let zip = zip_of(&p, "out");
    let bag = unzip(&p, &zip);
    let bag_s = bag.to_str().unwrap();
    // Not wrapped in a new bag: the same files, the same seal, the same bytes.
    let run = dashi(p.dir(), &["seal", bag_s, "-o", &format!("again/{BAG}.zip")]);
    assert_eq!(run.code, 0, "{run:?}");
    let seal = sh("sha256sum tagmanifest-sha256.txt", &bag);
    assert!(
        run.stdout.contains(seal.split_whitespace().next().unwrap()),
        "{}",
        run.stdout
    );
    assert!(
        std::fs::read(p.path(&format!("again/{BAG}.zip"))).unwrap() == std::fs::read(&zip).unwrap()
    );
    // A broken bag is not sealed as if it were whole.
    std::fs::write(bag.join("data/源数据/studio.toml"), "改过").unwrap();
    let run = dashi(p.dir(), &["seal", bag_s, "-o", "broken.zip"]);
    assert_refused_as_broken(&run, "data/源数据/studio.toml", &p.path("broken.zip"));
}
