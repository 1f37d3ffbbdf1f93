//! The print packet: the evidence volume and its catalogue, the evidence digest on the
//! pledge, duplex padding and the print guide, and batch builds.

use std::path::Path;
use std::process::Command;

use crate::render::{DOCS, build, text_of, tool};
use crate::util::{Project, dashi};

/// Pages of a PDF as text (whitespace removed), split at form feeds.
fn pages_of(p: &Project, pdf: &str) -> Vec<String> {
    tool("pdftotext", &["-raw", pdf, "-"], p.dir())
        .split('\u{c}')
        .map(|page| page.chars().filter(|c| !c.is_whitespace()).collect())
        .collect()
}

#[test]
fn catalogue_page_ranges_match_where_items_start() {
    let p = Project::sample();
    assert_eq!(build(&p, "out").code, 0);
    let raw = tool("pdftotext", &["-raw", "out/05-佐证材料.pdf", "-"], p.dir());
    let pages: Vec<&str> = raw.split('\u{c}').collect();
    // Rows of the catalogue: "N 种类：名称 所属 页码" with a page or a range at the end.
    let catalogue = pages
        .iter()
        .find(|t| t.contains("目 录"))
        .expect("a catalogue page");
    let mut ranges = Vec::new();
    for line in catalogue.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
            continue;
        };
        let (Ok(number), Some(range)) = (first.parse::<usize>(), parse_range(last)) else {
            continue;
        };
        if tokens.len() >= 3 {
            ranges.push((number, range));
        }
    }
    assert_eq!(
        ranges.len(),
        9,
        "nine items are copies: {ranges:?}\n{catalogue}"
    );
    let squeezed: Vec<String> = pages
        .iter()
        .map(|t| t.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    for (number, (start, end)) in ranges {
        for page_no in start..=end {
            let page = squeezed
                .iter()
                .find(|t| t.ends_with(&format!("—{page_no}—")))
                .unwrap_or_else(|| panic!("no page numbered {page_no}"));
            let nth = page_no - start + 1;
            let total = end - start + 1;
            assert!(
                page.contains(&format!("佐证材料{number}："))
                    && page.contains(&format!("第{nth}页共{total}页")),
                "page {page_no} is not item {number} page {nth}/{total}: {page}"
            );
            assert!(page.contains("与原件核对无误（盖章）"));
        }
    }
}

fn parse_range(token: &str) -> Option<(usize, usize)> {
    match token.split_once('–') {
        Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
        None => token.parse().ok().map(|n| (n, n)),
    }
}

/// The evidence digest recomputed with sha256sum, as a reviewer would.
fn sha256sum_digest(p: &Project, files: &[(&str, &str)]) -> String {
    let mut lines: Vec<String> = files
        .iter()
        .map(|(source, bag_path)| {
            let out = tool("sha256sum", &[source], p.dir());
            format!("{}  {bag_path}", out.split_whitespace().next().unwrap())
        })
        .collect();
    lines.sort();
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn the_digest_on_the_pledge_is_the_printed_one_and_sha256sum_agrees() {
    let p = Project::sample();
    let run = build(&p, "out");
    assert_eq!(run.code, 0);
    let printed = run.printed("已印在承诺书上）：");
    assert_eq!(printed.len(), 64);
    let pledge = text_of(&p, "out/01-申报材料真实性承诺书.pdf");
    assert!(pledge.contains(&printed), "{pledge}");
    let files = [
        (
            "evidence/营业执照.jpg",
            "data/佐证材料/01-营业执照-申报单位.jpg",
        ),
        (
            "evidence/王建军-身份证.jpg",
            "data/佐证材料/02-身份证-王建军.jpg",
        ),
        (
            "evidence/王建军-高级技师证书.jpg",
            "data/佐证材料/03-职业资格证书-王建军.jpg",
        ),
        (
            "evidence/王建军-全国技术能手证书.jpg",
            "data/佐证材料/04-获奖证书-王建军.jpg",
        ),
        (
            "evidence/王建军-五一劳动奖章证书.jpg",
            "data/佐证材料/06-获奖证书-王建军.jpg",
        ),
        (
            "evidence/王建军-专利证书.pdf",
            "data/佐证材料/07-技术创新-王建军.pdf",
        ),
        (
            "evidence/李红梅-身份证.jpg",
            "data/佐证材料/08-身份证-李红梅.jpg",
        ),
        (
            "evidence/张伟-身份证.jpg",
            "data/佐证材料/10-身份证-张伟.jpg",
        ),
        (
            "evidence/张伟-高级工证书.jpg",
            "data/佐证材料/11-职业技能等级证书-张伟.jpg",
        ),
        ("studio.toml", "data/源数据/studio.toml"),
    ];
    assert_eq!(sha256sum_digest(&p, &files), printed);
    // Any change to one evidence byte changes the digest.
    let path = p.path("evidence/张伟-身份证.jpg");
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    assert_ne!(sha256sum_digest(&p, &files), printed);
}

#[test]
fn every_volume_fills_whole_sheets_and_the_guide_states_copies() {
    let p = Project::sample();
    assert_eq!(build(&p, "out").code, 0);
    for doc in &DOCS[1..] {
        let info = tool("pdfinfo", &[&format!("out/{doc}")], p.dir());
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert_eq!(pages % 2, 0, "{doc} has {pages} pages");
    }
    let guide = text_of(&p, "out/00-打印说明.pdf");
    assert!(
        guide.contains("02-建设项目申报表.pdf附件2建设项目申报表"),
        "{guide}"
    );
    assert!(guide.contains("一式四份") && guide.contains("一式三份"));
    // The form row: pages, sheets, copies = 4; the others 3.
    let form_row = guide
        .split("02-建设项目申报表.pdf附件2建设项目申报表")
        .nth(1)
        .unwrap();
    assert!(form_row.starts_with("424"), "{form_row}");
    let pledge_row = guide
        .split("01-申报材料真实性承诺书.pdf附件1申报材料真实性承诺书")
        .nth(1)
        .unwrap();
    assert!(pledge_row.starts_with("213"), "{pledge_row}");
    // Copies come from the data.
    p.replace("form_copies = 4", "form_copies = 5");
    assert_eq!(build(&p, "out2").code, 0);
    let guide = text_of(&p, "out2/00-打印说明.pdf");
    assert!(
        guide
            .split("02-建设项目申报表.pdf附件2建设项目申报表")
            .nth(1)
            .unwrap()
            .starts_with("425")
    );
}

#[test]
fn a_jpeg_cut_in_half_stops_the_build_naming_it() {
    let p = Project::sample();
    let path = p.path("evidence/王建军-身份证.jpg");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let run = build(&p, "out");
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("evidence/王建军-身份证.jpg"),
        "{}",
        run.stdout
    );
    assert!(!p.path("out").exists());
}

#[test]
fn large_cmyk_transparent_tiff_and_multipage_scans_all_work() {
    let p = Project::sample();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scans");
    for (name, replaces) in [
        ("large-8000.jpg", "evidence/营业执照.jpg"),
        ("cmyk.jpg", "evidence/王建军-身份证.jpg"),
        ("alpha.png", "evidence/李红梅-身份证.jpg"),
        ("three-pages.pdf", "evidence/王建军-专利证书.pdf"),
        ("scanner.tif", "evidence/张伟-身份证.jpg"),
    ] {
        std::fs::copy(fixtures.join(name), p.path(&format!("evidence/{name}"))).unwrap();
        p.replace(
            &format!("file = \"{replaces}\""),
            &format!("file = \"evidence/{name}\""),
        );
    }
    let run = build(&p, "out");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let pages = pages_of(&p, "out/05-佐证材料.pdf");
    let item_pages = |number: usize| {
        pages
            .iter()
            .filter(|t| t.contains(&format!("佐证材料{number}：")))
            .count()
    };
    assert_eq!(item_pages(1), 1, "the 8000 px scan");
    assert_eq!(item_pages(2), 1, "the CMYK scan");
    assert_eq!(item_pages(7), 3, "the three-page PDF");
    assert_eq!(item_pages(8), 1, "the transparent PNG");
    assert_eq!(item_pages(10), 1, "the TIFF");
    for n in 1..=3 {
        assert!(pages.iter().any(|t| t.contains(&format!(
            "佐证材料7：厚板窄间隙焊接工装实用新型专利证书第{n}页共3页"
        ))));
    }
    // The scans are in the volume as they are: each JPEG byte for byte, the others
    // at their full size, and the file is sound by an independent reader.
    let volume = std::fs::read(p.path("out/05-佐证材料.pdf")).unwrap();
    for name in ["large-8000.jpg", "cmyk.jpg"] {
        let jpeg = std::fs::read(fixtures.join(name)).unwrap();
        assert!(
            volume.windows(jpeg.len()).any(|w| w == jpeg.as_slice()),
            "{name} is not in the volume byte for byte"
        );
    }
    tool("qpdf", &["--check", "out/05-佐证材料.pdf"], p.dir());
    let images = tool("pdfimages", &["-list", "out/05-佐证材料.pdf"], p.dir());
    let sizes: Vec<(String, String, String)> = images
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (
                format!("{}x{}", f[3], f[4]),
                f[5].to_string(),
                f[8].to_string(),
            )
        })
        .collect();
    let has = |size: &str, colour: &str, enc: &str| {
        sizes
            .iter()
            .any(|(s, c, e)| s == size && c == colour && e == enc)
    };
    let dims = |name: &str| {
        let (w, h) = image::image_dimensions(fixtures.join(name)).unwrap();
        format!("{w}x{h}")
    };
    assert!(has(&dims("large-8000.jpg"), "rgb", "jpeg"), "{images}");
    assert!(has(&dims("cmyk.jpg"), "cmyk", "jpeg"), "{images}");
    assert!(has(&dims("alpha.png"), "rgb", "image"), "{images}");
    assert!(
        has(&dims("scanner.tif"), "gray", "image") || has(&dims("scanner.tif"), "rgb", "image"),
        "{images}"
    );
}

#[test]
fn a_batch_builds_every_packet_and_isolates_a_broken_one() {
    let p = Project::sample();
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    let given = [
        "建国", "志强", "红梅", "海军", "丽娟", "国华", "永刚", "秀英", "晓东", "春生",
    ];
    let names: Vec<String> = (0..100)
        .map(|i| format!("{}{}", surnames[i % 10], given[i / 10]))
        .collect();
    let files = p.batch("batch", &names);
    let broken = std::fs::read_to_string(&files[42])
        .unwrap()
        .replace("\"15010519780512031X\"", "\"150105197805120311\"");
    std::fs::write(&files[42], broken).unwrap();
    let run = dashi(p.dir(), &["build", "batch", "-o", "packets"]);
    run.assert_no_panic();
    assert_eq!(run.code, 1, "one packet failed: {}", run.stderr);
    assert!(
        run.stdout.contains("共 100 份：成功 99 份，失败 1 份"),
        "{}",
        run.stdout
    );
    let failed: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("失败  "))
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].contains("042.toml"), "{failed:?}");
    let folders: Vec<_> = std::fs::read_dir(p.path("packets"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(folders.len(), 99, "{folders:?}");
    for folder in &folders {
        let name = folder.to_str().unwrap();
        assert!(
            name.starts_with("呼和浩特市") && name.ends_with("技能大师工作室"),
            "{name}"
        );
        for doc in DOCS {
            assert!(
                p.path("packets").join(folder).join(doc).is_file(),
                "{name}/{doc}"
            );
        }
    }
    assert!(
        !p.path("packets/呼和浩特市张丽娟技能大师工作室").exists(),
        "the broken one (042: 张丽娟) has no folder"
    );
}

/// The sample's seven outputs and its disc image are the bytes recorded in
/// `tests/fixtures/sample-outputs.sha256` (made before the code was restructured): a
/// change of structure must not change one byte. A deliberate change of the documents
/// updates that file in the same commit, so the diff shows it.
/// A worker of the batch's pool, waiting inside one packet's parallel step, may take up
/// another whole packet on its stack; a pile of them once overflowed rayon's default
/// 2 MiB in CI (the process died of SIGABRT). The pool's threads now have stacks of
/// their own size: a batch still builds when the default for new threads is 300 KB,
/// which a single packet overflows (the process aborts) when the pool takes it.
#[test]
fn a_batch_does_not_depend_on_the_default_thread_stack() {
    let p = Project::sample();
    let names: Vec<String> = ["李建国", "赵永刚", "孙立新", "周春生"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    p.batch("batch", &names);
    let out = Command::new(env!("CARGO_BIN_EXE_dashi"))
        .args(["build", "batch", "-o", "packets"])
        .current_dir(p.dir())
        .env("RUST_MIN_STACK", "300000")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("共 4 份：成功 4 份，失败 0 份"), "{stdout}");
}

#[test]
fn the_sample_outputs_are_the_pinned_bytes() {
    let p = Project::sample();
    let run = Command::new(env!("CARGO_BIN_EXE_dashi"))
        .args(["build", "studio.toml", "-o", "out", "--disc"])
        .current_dir(p.dir())
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("dashi runs");
    assert!(run.status.success(), "{run:?}");
    let pinned = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample-outputs.sha256"),
    )
    .expect("the pinned digests");
    let mut checked = 0;
    for line in pinned.lines() {
        let (digest, name) = line.split_once("  ").expect("sha256sum format");
        let (actual, _) = dashi::seal::digest::sha256_file(&p.path("out").join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(actual.to_string(), digest, "{name} changed");
        checked += 1;
    }
    assert_eq!(checked, 8, "seven outputs and the disc image");
    let written = std::fs::read_dir(p.path("out")).unwrap().count();
    assert_eq!(written, checked, "no output left unpinned");
}

/// `--jobs N` is the whole pool: a batch whose packets each hash their evidence on the
/// pool too starts N threads, no more (counted by strace as the threads are made).
#[test]
fn jobs_bounds_every_thread_of_a_batch() {
    let p = Project::sample();
    let names: Vec<String> = ["李建国", "赵永刚", "孙立新"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    p.batch("batch", &names);
    for jobs in ["1", "2"] {
        let trace = p.path(&format!("threads-{jobs}.trace"));
        let out = Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=clone,clone3", "-o"])
            .arg(&trace)
            .arg(env!("CARGO_BIN_EXE_dashi"))
            .args([
                "build",
                "batch",
                "-o",
                &format!("packets-{jobs}"),
                "--jobs",
                jobs,
            ])
            .current_dir(p.dir())
            .output()
            .expect("strace must be installed (tests/run installs it)");
        assert!(out.status.success(), "{out:?}");
        let built = std::fs::read_dir(p.path(&format!("packets-{jobs}")))
            .unwrap()
            .count();
        assert_eq!(built, names.len(), "every packet built");
        let threads = std::fs::read_to_string(&trace)
            .unwrap()
            .lines()
            .filter(|l| l.contains("CLONE_THREAD"))
            .count();
        assert_eq!(
            threads.to_string(),
            jobs,
            "threads started with --jobs {jobs}"
        );
    }
}
