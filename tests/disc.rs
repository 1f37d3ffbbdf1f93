//! The submission disc: every reader lists every Chinese name, extracted files match the
//! manifest, bagit-python accepts the extracted tree, `dashi verify` reads the image
//! directly and catches a changed byte, names stay within 64 characters, same bytes
//! twice, a disc that will not fit the medium is refused, and crafted images (files
//! sharing data, a directory inside itself) are refused rather than read without end.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{BAG, Project, Run, assert_refused_as_broken, dashi};

fn tool(program: &str, args: &[&str], dir: &Path) -> String {
    crate::render::tool(program, args, dir)
}

fn build_disc(p: &Project, out: &str) -> PathBuf {
    let run = dashi(p.dir(), &["build", "studio.toml", "-o", out, "--disc"]);
    run.assert_no_panic();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    p.path(&format!("{out}/{BAG}.iso"))
}

fn verify(p: &Project, target: &Path) -> Run {
    let run = dashi(p.dir(), &["verify", target.to_str().unwrap()]);
    run.assert_no_panic();
    run
}

#[test]
fn every_reader_lists_every_name_and_extracted_files_match() {
    let p = Project::sample();
    let iso = build_disc(&p, "out");
    let iso_s = iso.to_str().unwrap();
    let names = [
        "data/佐证材料/02-身份证-王建军.jpg",
        "data/申报材料/02-建设项目申报表.pdf",
        "data/源数据/studio.toml",
        "index.html",
        "校验说明.txt",
        "manifest-sha256.txt",
    ];
    let listings = [
        (
            "xorriso",
            tool("xorriso", &["-indev", iso_s, "-find", "/"], p.dir()),
        ),
        // The Joliet tree as Windows sees it, Chinese names included.
        (
            "xorriso (Joliet)",
            tool(
                "xorriso",
                &["-rockridge", "off", "-indev", iso_s, "-find", "/"],
                p.dir(),
            ),
        ),
        (
            "isoinfo -J",
            tool("isoinfo", &["-J", "-l", "-i", iso_s], p.dir()),
        ),
        (
            "isoinfo -R",
            tool("isoinfo", &["-R", "-l", "-i", iso_s], p.dir()),
        ),
        ("bsdtar", tool("bsdtar", &["-tf", iso_s], p.dir())),
        ("7z", tool("7z", &["l", iso_s], p.dir())),
    ];
    for (reader, listing) in &listings {
        for name in names {
            let leaf = name.rsplit('/').next().unwrap();
            let found = match *reader {
                // isoinfo prints Joliet names only in single-byte charsets (its -j knows
                // no UTF-8), so each Chinese character shows as "_": check the shape.
                "isoinfo -J" => {
                    let shape: String = leaf
                        .chars()
                        .map(|c| if c.is_ascii() { c } else { '_' })
                        .collect();
                    listing.contains(&shape)
                }
                "isoinfo -R" => listing.contains(leaf),
                _ => listing.contains(name),
            };
            assert!(found, "{reader} does not list {name}:\n{listing}");
        }
    }
    // Extracted with bsdtar and with 7z: every file matches the manifest; bagit-python
    // accepts the tree.
    for (reader, dir) in [("bsdtar", "x1"), ("7z", "x2")] {
        let dest = p.path(dir);
        std::fs::create_dir(&dest).unwrap();
        if reader == "bsdtar" {
            tool(
                "bsdtar",
                &["-xf", iso_s, "-C", dest.to_str().unwrap()],
                p.dir(),
            );
        } else {
            tool(
                "7z",
                &["x", "-y", &format!("-o{}", dest.display()), iso_s],
                p.dir(),
            );
        }
        tool(
            "sha256sum",
            &["--quiet", "-c", "manifest-sha256.txt"],
            &dest,
        );
        tool(
            "sha256sum",
            &["--quiet", "-c", "tagmanifest-sha256.txt"],
            &dest,
        );
        let out = Command::new("bagit.py")
            .args(["--validate", "."])
            .current_dir(&dest)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{reader}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The mounted-disc case: the extracted tree verifies, and needs its guides.
        assert_eq!(verify(&p, &dest).code, 0);
        if reader == "7z" {
            std::fs::remove_file(dest.join("校验说明.txt")).unwrap();
            let run = verify(&p, &dest);
            assert_eq!(run.code, 1);
            assert_eq!(
                run.stdout.matches("[缺失] 校验说明.txt").count(),
                1,
                "{}",
                run.stdout
            );
        }
    }
    let index = std::fs::read_to_string(p.path("x1/index.html")).unwrap();
    assert!(index.contains("data/申报材料/02-建设项目申报表.pdf"));
    for banned in ["<script", "http://", "https://", " src="] {
        assert!(!index.contains(banned), "index.html has {banned}");
    }
    let guide = std::fs::read_to_string(p.path("x1/校验说明.txt")).unwrap();
    for must in [
        "sha256sum -c manifest-sha256.txt",
        "certutil -hashfile",
        "dashi verify",
    ] {
        assert!(guide.contains(must), "校验说明.txt lacks {must}");
    }
}

#[test]
fn the_disc_is_labelled_with_the_studio_in_joliet_and_ascii_in_the_primary() {
    let p = Project::sample();
    let iso = build_disc(&p, "out");
    let iso_s = iso.to_str().unwrap();
    // blkid reads the Joliet label, as Linux desktops and Windows show it.
    let label = tool(
        "blkid",
        &["-p", "-o", "value", "-s", "LABEL", iso_s],
        p.dir(),
    );
    assert_eq!(label.trim(), "呼和浩特市王建军技能大师工作室");
    // Readers without Joliet see the ASCII label of the primary descriptor.
    let primary = tool("isoinfo", &["-d", "-i", iso_s], p.dir());
    assert!(primary.contains("Volume id: DASHI_20261120"), "{primary}");
    assert_eq!(verify(&p, &iso).code, 0);
}

#[test]
fn verify_reads_the_image_and_names_a_changed_pdf() {
    let p = Project::sample();
    let iso = build_disc(&p, "out");
    let run = verify(&p, &iso);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // Find the PDF's bytes in the image and flip one in the middle of them.
    let pdf = std::fs::read(p.path("out/03-建设项目申报书.pdf")).unwrap();
    let mut image = std::fs::read(&iso).unwrap();
    let probe = &pdf[..4096];
    let at = image
        .windows(probe.len())
        .position(|w| w == probe)
        .expect("the PDF is in the image");
    image[at + pdf.len() / 2] ^= 0x01;
    std::fs::write(&iso, &image).unwrap();
    let run = verify(&p, &iso);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("[已篡改] data/申报材料/03-建设项目申报书.pdf"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_same_input_gives_the_same_image() {
    let p = Project::sample();
    let a = std::fs::read(build_disc(&p, "a")).unwrap();
    let b = std::fs::read(build_disc(&p, "b")).unwrap();
    assert!(a == b, "disc images differ");
    // `dashi disc` from the zip gives the same image as `build --disc`.
    let run = dashi(p.dir(), &["disc", &format!("a/{BAG}.zip"), "-o", "c.iso"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(std::fs::read(p.path("c.iso")).unwrap() == a);
    // A copy of a disc, made from its files (guide files and all), is the same image.
    std::fs::create_dir(p.path("copied")).unwrap();
    tool("bsdtar", &["-xf", "../c.iso"], &p.path("copied"));
    let run = dashi(p.dir(), &["disc", "copied", "-o", "d.iso"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(std::fs::read(p.path("d.iso")).unwrap() == a);
}

#[test]
fn long_names_are_shortened_by_dashi_not_cut_by_the_writer() {
    let p = Project::sample();
    let long = "张".repeat(70);
    p.write_data(&crate::renamed::renamed(&p.data(), "张伟", &long));
    let iso = build_disc(&p, "out");
    let listing = tool(
        "xorriso",
        &["-indev", iso.to_str().unwrap(), "-find", "/"],
        p.dir(),
    );
    let mut seen_long = false;
    for line in listing.lines() {
        let path = line.trim_matches('\'');
        for part in path.split('/') {
            assert!(part.chars().count() <= 64, "{part} is longer than 64");
        }
        if path.contains("张张张") {
            seen_long = true;
            assert!(path.ends_with(".jpg"), "the extension survives: {path}");
        }
    }
    assert!(seen_long, "{listing}");
    assert_eq!(verify(&p, &iso).code, 0);
}

/// `dashi disc --media cd` of a bag holding `size` bytes of (sparse) zeros, as `big.iso`.
fn cd_of_zeros(p: &Project, size: u64) -> Run {
    p.sparse_bag("big", size);
    let run = dashi(p.dir(), &["disc", "big", "-o", "big.iso", "--media", "cd"]);
    run.assert_no_panic();
    run
}

#[test]
fn a_disc_too_large_for_the_medium_is_refused() {
    let p = Project::sample();
    let run = cd_of_zeros(&p, 800 << 20);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("超出") && run.stderr.contains("CD"),
        "{}",
        run.stderr
    );
    assert!(!p.path("big.iso").exists());
}

#[test]
fn a_batch_with_disc_gives_every_packet_its_image() {
    let p = Project::sample();
    p.batch("batch", &["李建国".to_string(), "赵永刚".to_string()]);
    let run = dashi(p.dir(), &["build", "batch", "-o", "packets", "--disc"]);
    run.assert_no_panic();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    for name in ["李建国", "赵永刚"] {
        let studio = format!("呼和浩特市{name}技能大师工作室");
        let iso = p.path(&format!("packets/{studio}/{studio}.iso"));
        assert!(iso.is_file(), "{iso:?}\n{}", run.stdout);
        assert_eq!(verify(&p, &iso).code, 0);
    }
}

#[test]
fn a_nearly_full_medium_is_warned_about() {
    let p = Project::sample();
    // 96% of a CD's 737,280,000 bytes.
    let run = cd_of_zeros(&p, 737_280_000 / 100 * 96);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("警告：") && run.stdout.contains("%"),
        "{}",
        run.stdout
    );
}

/// A disc of a sealed folder holding `files`, and its bytes.
fn small_disc(p: &Project, files: &[(&str, Vec<u8>)]) -> (PathBuf, Vec<u8>) {
    for (name, content) in files {
        let path = p.path(&format!("small/{name}"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    assert_eq!(
        dashi(p.dir(), &["seal", "small", "-o", "small.zip"]).code,
        0
    );
    assert_eq!(
        dashi(p.dir(), &["disc", "small.zip", "-o", "small.iso"]).code,
        0
    );
    let iso = p.path("small.iso");
    let bytes = std::fs::read(&iso).unwrap();
    (iso, bytes)
}

/// Points every directory record whose extent is `from` at `to` (the extent is stored
/// both little- and big-endian, a pattern nothing else in the image has).
fn repoint(image: &mut [u8], from: u32, to: u32) -> usize {
    let both = |lba: u32| [lba.to_le_bytes(), lba.to_be_bytes()].concat();
    let (old, new) = (both(from), both(to));
    let spots: Vec<usize> = (0..image.len() - 8)
        .filter(|&i| image[i..i + 8] == old[..])
        .collect();
    for &i in &spots {
        image[i..i + 8].copy_from_slice(&new);
    }
    spots.len()
}

#[test]
fn an_image_whose_files_share_data_is_refused() {
    let p = Project::sample();
    let a: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    let b: Vec<u8> = (0..8192u32).map(|i| (i * 13 % 241) as u8).collect();
    let (iso, mut image) = small_disc(&p, &[("a.bin", a.clone()), ("b.bin", b.clone())]);
    let lba = |content: &[u8]| {
        let at = image.windows(64).position(|w| w == &content[..64]).unwrap();
        (at / 2048) as u32
    };
    let (lba_a, lba_b) = (lba(&a), lba(&b));
    assert!(repoint(&mut image, lba_b, lba_a) >= 1);
    std::fs::write(&iso, &image).unwrap();
    let run = verify(&p, &iso);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("data/b.bin") || run.stderr.contains("data/a.bin"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("共用"), "{}", run.stderr);
}

/// The extent of the directory `name` listed in the primary-tree directory at `dir`.
fn subdirectory(image: &[u8], dir: u32, name: &str) -> u32 {
    let mut at = dir as usize * 2048;
    while image[at] != 0 {
        let len = image[at] as usize;
        let id_len = image[at + 32] as usize;
        let id = String::from_utf8_lossy(&image[at + 33..at + 33 + id_len]).to_string();
        if id.eq_ignore_ascii_case(name) && image[at + 25] & 2 != 0 {
            return u32::from_le_bytes(image[at + 2..at + 6].try_into().unwrap());
        }
        at += len;
    }
    panic!("no directory {name}")
}

#[test]
fn an_image_whose_directory_contains_itself_is_refused() {
    let p = Project::sample();
    let (iso, mut image) = small_disc(&p, &[("sub/x.txt", b"x".to_vec())]);
    assert_eq!(verify(&p, &iso).code, 0);
    // The root directory's extent, from the primary volume descriptor's root record;
    // then data/ and data/sub/ in the primary tree. Make data/sub point back at data/.
    let at = 16 * 2048 + 156 + 2;
    let root = u32::from_le_bytes(image[at..at + 4].try_into().unwrap());
    let data = subdirectory(&image, root, "data");
    let sub = subdirectory(&image, data, "sub");
    assert!(repoint(&mut image, sub, data) >= 1);
    std::fs::write(&iso, &image).unwrap();
    let run = verify(&p, &iso);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("成环"), "{}", run.stderr);
}

#[test]
fn a_joliet_tree_that_shows_other_bytes_is_refused() {
    // The Joliet tree is what Windows shows. Point its 03 at the bytes of 04: Rock Ridge
    // readers still see the true 03, a Windows reviewer would open 04 under 03's name.
    let p = Project::sample();
    let iso = build_disc(&p, "out");
    assert_eq!(verify(&p, &iso).code, 0);
    let mut image = std::fs::read(&iso).unwrap();
    let lba = |name: &str| {
        let pdf = std::fs::read(p.path(&format!("out/{name}"))).unwrap();
        let at = image.windows(4096).position(|w| w == &pdf[..4096]).unwrap();
        (at / 2048) as u32
    };
    let (of_03, of_04) = (lba("03-建设项目申报书.pdf"), lba("04-单位推荐报告.pdf"));
    let joliet_name: Vec<u8> = "03-建设项目申报书.pdf"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let name_at = image
        .windows(joliet_name.len())
        .position(|w| w == joliet_name)
        .expect("the Joliet record of 03");
    let record = name_at - 33;
    assert_eq!(
        u32::from_le_bytes(image[record + 2..record + 6].try_into().unwrap()),
        of_03
    );
    let size_04 = std::fs::metadata(p.path("out/04-单位推荐报告.pdf"))
        .unwrap()
        .len() as u32;
    image[record + 2..record + 6].copy_from_slice(&of_04.to_le_bytes());
    image[record + 6..record + 10].copy_from_slice(&of_04.to_be_bytes());
    image[record + 10..record + 14].copy_from_slice(&size_04.to_le_bytes());
    image[record + 14..record + 18].copy_from_slice(&size_04.to_be_bytes());
    std::fs::write(&iso, &image).unwrap();

    // The attack is real: 7z reads the Joliet tree and extracts 04's bytes as 03.
    let out = p.path("x7");
    tool(
        "7z",
        &[
            "x",
            "-y",
            &format!("-o{}", out.display()),
            iso.to_str().unwrap(),
        ],
        p.dir(),
    );
    assert_eq!(
        std::fs::read(out.join("data/申报材料/03-建设项目申报书.pdf")).unwrap(),
        std::fs::read(p.path("out/04-单位推荐报告.pdf")).unwrap()
    );
    let run = verify(&p, &iso);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("data/申报材料/03-建设项目申报书.pdf") && run.stderr.contains("Joliet"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bag_that_does_not_verify_is_not_put_on_a_disc() {
    let p = Project::sample();
    let bag = p.unzipped_bag();
    std::fs::write(bag.join("data/源数据/studio.toml"), "改过").unwrap();
    let run = dashi(p.dir(), &["disc", BAG, "-o", "broken.iso"]);
    assert_refused_as_broken(&run, "data/源数据/studio.toml", &p.path("broken.iso"));
}
