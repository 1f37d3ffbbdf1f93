//! `dashi intake` on real submissions: zips, disc images and a bag folder built by
//! dashi from varied data files, some damaged or planted with problems; the register
//! read back with openpyxl, the 初审意见表 with pdftotext.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::render::tool;
use crate::util::{Run, dashi};

/// The check digit of a resident ID (GB 11643).
pub(crate) fn with_check_digit(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

pub(crate) const NAMES: [&str; 13] = [
    "赵振国",
    "钱立新",
    "孙卫东",
    "李建华",
    "周志刚",
    "吴海涛",
    "郑国强",
    "冯永胜",
    "陈宝山",
    "褚光明",
    "卫长青",
    "蒋德才",
    "沈文博",
];

/// One studio's project: the sample with its own master, IDs, certificate numbers and
/// scans (each scan made distinct), so that no two studios share anything by accident.
pub(crate) fn studio(root: &Path, i: usize) -> PathBuf {
    let dir = root.join(format!("s{i:02}"));
    let run = dashi(root, &["init", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    let name = NAMES[i];
    let data = std::fs::read_to_string(dir.join("studio.toml")).unwrap();
    let master = with_check_digit(&format!("15010519780512{:03}", 101 + 2 * i)[..17]);
    let li = with_check_digit(&format!("15010219860923{:03}", 200 + 2 * i)[..17]);
    let zhang = with_check_digit(&format!("15010419900315{:03}", 301 + 2 * i)[..17]);
    let data = data
        .replace("王建军", name)
        .replace("15010519780512031X", &master)
        .replace("150102198609230242", &li)
        .replace("150104199003150579", &zhang)
        .replace("NMSX-2019-0173", &format!("NMSX-2019-{}", 1000 + i))
        .replace(
            "S000015010004231000087",
            &format!("S00001501000423100{:04}", i),
        );
    std::fs::write(dir.join("studio.toml"), data).unwrap();
    for entry in std::fs::read_dir(dir.join("evidence")).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_string();
        let mut bytes = std::fs::read(&path).unwrap();
        let mark = format!("studio {i}");
        if file.ends_with(".jpg") {
            // A comment segment right after SOI: the same picture, other bytes.
            let mut segment = vec![0xFF, 0xFE, 0, (mark.len() + 2) as u8];
            segment.extend_from_slice(mark.as_bytes());
            bytes.splice(2..2, segment);
        } else {
            bytes.extend_from_slice(format!("\n%{mark}\n").as_bytes());
        }
        std::fs::remove_file(&path).unwrap();
        std::fs::write(
            dir.join("evidence").join(file.replace("王建军", name)),
            bytes,
        )
        .unwrap();
    }
    dir
}

pub(crate) fn studio_name(i: usize) -> String {
    format!("呼和浩特市{}技能大师工作室", NAMES[i])
}

/// Builds a studio; returns its zip and evidence digest.
pub(crate) fn build(dir: &Path) -> (PathBuf, String) {
    let run = dashi(dir, &["build", "studio.toml", "-o", "out"]);
    assert_eq!(run.code, 0, "{run:?}");
    let zip = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "zip"))
        .unwrap();
    (zip, printed_digest(&run))
}

fn printed_digest(run: &Run) -> String {
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("电子材料摘要"))
        .expect("digest printed");
    line.rsplit('：').next().unwrap().trim().to_string()
}

/// The evidence digest as a reviewer recomputes it from a bag folder.
fn digest_of_bag(bag: &Path) -> String {
    use sha2::Digest;
    let manifest = std::fs::read_to_string(bag.join("manifest-sha256.txt")).unwrap();
    let mut lines: Vec<&str> = manifest
        .lines()
        .filter(|l| l.contains("  data/佐证材料/") || l.contains("  data/源数据/"))
        .collect();
    lines.sort();
    let mut hasher = sha2::Sha256::new();
    for l in lines {
        hasher.update(l.as_bytes());
        hasher.update(b"\n");
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn unzip(zip: &Path, into: &Path) -> PathBuf {
    std::fs::create_dir_all(into).unwrap();
    tool("unzip", &["-q", zip.to_str().unwrap()], into);
    std::fs::read_dir(into)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap()
}

/// The register's rows as openpyxl reads them: header → value, one map a row.
pub(crate) fn register(path: &Path) -> Vec<BTreeMap<String, String>> {
    let script = r#"
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = list(ws.iter_rows(values_only=True))
head = rows[0]
print(json.dumps({"freeze": ws.freeze_panes, "rows": [
    {h: ("" if v is None else str(v)) for h, v in zip(head, r)} for r in rows[1:]]}))
"#;
    let out = Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "openpyxl (tests/run installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["freeze"], "A2", "the header row is frozen");
    value["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .collect()
}

/// The finding codes (R1xx–R5xx, D00x) a text names.
/// Every rule code (R139, D201) standing as a word of its own: a temporary
/// path such as `/tmp/.tmpNlR139/` in the same text is not a code.
fn codes_in(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let word = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let mut out = BTreeSet::new();
    for (i, w) in chars.windows(4).enumerate() {
        let code = (w[0] == 'R' || w[0] == 'D') && w[1..].iter().all(|c| c.is_ascii_digit());
        if code && !(i > 0 && word(i - 1)) && !word(i + 4) {
            out.insert(w.iter().collect());
        }
    }
    out
}

fn pdf_text(path: &Path) -> String {
    tool(
        "pdftotext",
        &["-raw", path.to_str().unwrap(), "-"],
        Path::new("."),
    )
    .chars()
    .filter(|c| !c.is_whitespace())
    .collect()
}

/// One submission of the test: how it is made and what intake must say of it.
struct Case {
    input: PathBuf,
    studio: Option<String>,
    integrity: &'static str,
    verdict: &'static str,
    codes: &'static [&'static str],
}

#[test]
fn twelve_submissions_each_problem_where_it_was_planted_and_nowhere_else() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let inbox = root.join("收件");
    std::fs::create_dir_all(inbox.join("第二批")).unwrap();
    let dirs: Vec<PathBuf> = (0..12).map(|i| studio(root, i)).collect();
    // 7 shares member 张伟's resident ID with 1 (built from 1's number).
    let data7 = std::fs::read_to_string(dirs[7].join("studio.toml")).unwrap();
    let zhang = |i: usize| with_check_digit(&format!("15010419900315{:03}", 301 + 2 * i)[..17]);
    std::fs::write(
        dirs[7].join("studio.toml"),
        data7.replace(&zhang(7), &zhang(1)),
    )
    .unwrap();
    // 8 reuses 2's scan of 李红梅's ID card.
    std::fs::copy(
        dirs[2].join("evidence/李红梅-身份证.jpg"),
        dirs[8].join("evidence/李红梅-身份证.jpg"),
    )
    .unwrap();

    let mut typed = Vec::new();
    let mut cases = Vec::new();
    let mut case = |i: Option<usize>,
                    input: PathBuf,
                    integrity: &'static str,
                    verdict: &'static str,
                    codes: &'static [&'static str]| {
        cases.push(Case {
            input,
            studio: i.map(studio_name),
            integrity,
            verdict,
            codes,
        })
    };
    const OK: &str = "符合条件，列入评审范围";
    // 0, 1, 7, 11: zips; 2, 8, 10: disc images; 3: a bag folder.
    for i in [0usize, 1, 7, 11] {
        let (zip, digest) = build(&dirs[i]);
        let to = inbox.join(format!("{i:02}.zip"));
        std::fs::copy(&zip, &to).unwrap();
        typed.push(format!("{},{digest}", studio_name(i)));
        let codes: &'static [&'static str] = if matches!(i, 1 | 7) { &["R511"] } else { &[] };
        let verdict = if codes.is_empty() { OK } else { "需补正" };
        case(Some(i), to, "完好", verdict, codes);
    }
    for i in [2usize, 8, 10] {
        let (zip, digest) = build(&dirs[i]);
        let to = inbox.join("第二批").join(format!("{i:02}.iso"));
        let run = dashi(
            root,
            &["disc", zip.to_str().unwrap(), "-o", to.to_str().unwrap()],
        );
        assert_eq!(run.code, 0, "{run:?}");
        // Typed as on paper: in groups, upper case.
        let grouped: Vec<String> = digest
            .to_uppercase()
            .as_bytes()
            .chunks(8)
            .map(|c| String::from_utf8_lossy(c).to_string())
            .collect();
        typed.push(format!("{},{}", studio_name(i), grouped.join(" ")));
        let codes: &'static [&'static str] = if matches!(i, 2 | 8) { &["R512"] } else { &[] };
        let verdict = if codes.is_empty() { OK } else { "需补正" };
        case(Some(i), to, "完好", verdict, codes);
    }
    {
        let (zip, digest) = build(&dirs[3]);
        let bag = unzip(&zip, &root.join("拆包"));
        typed.push(format!("{},{digest}", studio_name(3)));
        case(Some(3), bag, "完好", OK, &[]);
    }
    // 4: one byte of a scan flipped in the zip.
    {
        let (zip, digest) = build(&dirs[4]);
        let mut bytes = std::fs::read(&zip).unwrap();
        let name = "data/佐证材料/02-".as_bytes();
        let at = bytes.windows(name.len()).position(|w| w == name).unwrap();
        bytes[at + 3000] ^= 0x5A;
        let to = inbox.join("04.zip");
        std::fs::write(&to, bytes).unwrap();
        typed.push(format!("{},{digest}", studio_name(4)));
        case(Some(4), to, "未通过", "需补正", &["R501"]);
    }
    // 5: a zip cut short (a copy that stopped half way).
    {
        let (zip, digest) = build(&dirs[5]);
        let bytes = std::fs::read(&zip).unwrap();
        let to = inbox.join("05.zip");
        std::fs::write(&to, &bytes[..bytes.len() / 2]).unwrap();
        typed.push(format!("05.zip,{digest}"));
        case(None, to, "无法读取", "需补正", &["R501"]);
    }
    // 6: the digest typed from its paper pledge differs in one digit.
    {
        let (zip, digest) = build(&dirs[6]);
        let to = inbox.join("06.zip");
        std::fs::copy(&zip, &to).unwrap();
        let last = if digest.ends_with('0') { "1" } else { "0" };
        typed.push(format!("{},{}{last}", studio_name(6), &digest[..63]));
        case(Some(6), to, "完好", "需补正", &["R502"]);
    }
    // 9: 第七条（二）'s 50 % rule fails. `dashi build` refuses such data, so the bag is
    // made as another tool would: the data edited in a built bag, the manifests
    // recomputed by bagit-python, then sealed by dashi.
    {
        let (zip, _) = build(&dirs[9]);
        let to = inbox.join("09.zip");
        let bag = edited_bag(
            root,
            &zip,
            "改过的包",
            |t| t.replace("high_skill = 112.0", "high_skill = 80.0"),
            &to,
        );
        typed.push(format!("{},{}", studio_name(9), digest_of_bag(&bag)));
        case(Some(9), to, "完好", "不符合条件", &["R121"]);
    }
    assert_eq!(cases.len(), 12);
    let digests = root.join("承诺书摘要.csv");
    std::fs::write(
        &digests,
        format!("工作室名称,电子材料摘要\n{}\n", typed.join("\n")),
    )
    .unwrap();

    let out = root.join("受理");
    let intake = |out: &Path, inputs: &[&Path]| {
        let mut args = vec!["intake".to_string()];
        args.extend(inputs.iter().map(|p| p.to_str().unwrap().to_string()));
        args.extend(
            [
                "-o",
                out.to_str().unwrap(),
                "--received",
                "2027-03-15",
                "--digests",
                digests.to_str().unwrap(),
            ]
            .map(String::from),
        );
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = dashi(root, &args);
        run.assert_no_panic();
        assert_eq!(run.code, 0, "{run:?}");
        run
    };
    // The folder holds all but the bag folder, which is given by itself.
    let bag_input = cases[7].input.clone();
    let run = intake(&out, &[&inbox, &bag_input]);
    assert!(run.stdout.contains("共受理 12 份"), "{}", run.stdout);

    let rows = register(&out.join("受理登记表.xlsx"));
    assert_eq!(rows.len(), 12, "{rows:?}");
    let ledger: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("intake.json")).unwrap()).unwrap();
    let submissions = ledger["submissions"].as_array().unwrap();
    for case in &cases {
        let input = case.input.display().to_string();
        let s = submissions
            .iter()
            .find(|s| s["input"] == input.as_str())
            .unwrap_or_else(|| panic!("{input} not in intake.json"));
        let number = s["number"].as_str().unwrap();
        let row = rows
            .iter()
            .find(|r| r["受理编号"] == number)
            .unwrap_or_else(|| panic!("{number} not in the register"));
        let what = format!("{input} ({number}): {row:?}");
        if let Some(studio) = &case.studio {
            assert_eq!(&row["工作室名称"], studio, "{what}");
        }
        assert!(row["完整性"].starts_with(case.integrity), "{what}");
        assert!(row["初审结论"].starts_with(case.verdict), "{what}");
        let expected: BTreeSet<String> = case.codes.iter().map(|c| c.to_string()).collect();
        assert_eq!(codes_in(&row["问题摘要"]), expected, "{what}");
        assert_eq!(row["问题数"], case.codes.len().to_string(), "{what}");
        // The 初审意见表 says the same, and names no other problem.
        let file = s["files"][0].as_str().unwrap();
        assert!(file.starts_with("初审/"), "{file}");
        let text = pdf_text(&out.join(file));
        assert_eq!(codes_in(&text), expected, "{what}\n{text}");
        assert!(text.contains(case.verdict), "{what}\n{text}");
        // An admissible studio has its blank scoring sheet; no other does.
        let sheet = s["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.as_str().unwrap().starts_with("专家评审表/"));
        assert_eq!(sheet, case.verdict.starts_with("符合"), "{what}");
        if case.codes.is_empty() {
            // A clean studio's 初审意见表 is one page.
            let info = tool(
                "pdfinfo",
                &[out.join(file).to_str().unwrap()],
                Path::new("."),
            );
            assert!(info.contains("Pages:           1\n"), "{what}\n{info}");
        }
        if case.integrity != "完好" {
            // Its sheet does not claim a cross-check that was never made.
            assert!(text.contains("未与其他申报交叉核对"), "{what}\n{text}");
            assert!(!text.contains("未发现重复"), "{what}\n{text}");
            // A damaged submission's data is not relied on: nothing but its name.
            for column in ["单位类型", "第七条（一）条件", "成员数", "依托单位"]
            {
                assert_eq!(row[column], "", "{column} of {what}");
            }
        }
        if case.studio.is_some() && case.integrity == "完好" {
            assert_eq!(row["成员数"], "2", "{what}");
            assert_eq!(row["佐证材料份数"], "11", "{what}");
            assert!(row["页数"].parse::<u32>().unwrap() > 10, "{what}");
        }
    }
    // A masked master ID in the sheet of a studio, and no whole one anywhere.
    let json = std::fs::read_to_string(out.join("intake.json")).unwrap();
    assert!(json.contains("150105********"), "IDs are masked");
    for i in 0..12 {
        let master = with_check_digit(&format!("15010519780512{:03}", 101 + 2 * i)[..17]);
        assert!(!json.contains(&master), "{master} shown whole");
    }

    // The same inputs again: the same files, byte for byte.
    let snapshot = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        for sub in ["", "初审", "专家评审表"] {
            for e in std::fs::read_dir(dir.join(sub)).unwrap() {
                let p = e.unwrap().path();
                if p.is_file() {
                    files.insert(
                        p.strip_prefix(dir).unwrap().display().to_string(),
                        std::fs::read(&p).unwrap(),
                    );
                }
            }
        }
        files
    };
    let before = snapshot(&out);
    intake(&out, &[&inbox, &bag_input]);
    assert!(before == snapshot(&out), "a second run changed the outputs");

    // A thirteenth submission later keeps every number given.
    let late = studio(root, 12);
    let (zip, digest) = build(&late);
    let late_zip = inbox.join("13.zip");
    std::fs::copy(&zip, &late_zip).unwrap();
    std::fs::write(
        &digests,
        format!(
            "工作室名称,电子材料摘要\n{}\n{},{digest}\n",
            typed.join("\n"),
            studio_name(12)
        ),
    )
    .unwrap();
    intake(&out, &[&inbox, &bag_input]);
    let again: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("intake.json")).unwrap()).unwrap();
    let numbers = |v: &serde_json::Value| -> BTreeMap<String, String> {
        v["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["input"].as_str().unwrap().to_string(),
                    s["number"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (old, new) = (numbers(&ledger), numbers(&again));
    for (input, number) in &old {
        assert_eq!(new.get(input), Some(number), "{input} renumbered");
    }
    assert_eq!(
        new.get(&late_zip.display().to_string()).map(String::as_str),
        Some("2027-013")
    );
    let rows = register(&out.join("受理登记表.xlsx"));
    assert_eq!(rows.len(), 13);
    let late_row = rows.iter().find(|r| r["受理编号"] == "2027-013").unwrap();
    assert!(late_row["初审结论"].starts_with(OK), "{late_row:?}");
}

#[test]
fn a_hostile_zip_writes_nothing_outside_the_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let inbox = root.join("in");
    std::fs::create_dir_all(&inbox).unwrap();
    // Entries that climb out, start at the root, repeat a name and overlap another's
    // data; a tiny bag beside them so the zip is otherwise plausible.
    let script = r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    z.writestr("bag/../../../evil.txt", "escaped")
    z.writestr("/tmp/dashi-evil-absolute.txt", "absolute")
    z.writestr("bag/data/源数据/studio.toml", "x = 1")
"#;
    let hostile = inbox.join("hostile.zip");
    python(&["-c", script, hostile.to_str().unwrap()]);
    // A zip bomb: one entry that says 1 KiB and holds 64 MiB.
    let bomb = r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    z.writestr("bag/manifest-sha256.txt", "0" * 64 + "  data/big.bin\n")
    z.writestr("bag/data/big.bin", b"\0" * (64 << 20))
data = bytearray(open(sys.argv[1], "rb").read())
# Rewrite the declared uncompressed size of data/big.bin (local and central headers).
name = b"bag/data/big.bin"
i = data.find(name)
while i != -1:
    sig = data.rfind(b"PK", 0, i)
    if data[sig:sig+4] == b"PK\x03\x04":
        data[sig+22:sig+26] = (1024).to_bytes(4, "little")
    elif data[sig:sig+4] == b"PK\x01\x02":
        data[sig+24:sig+28] = (1024).to_bytes(4, "little")
    i = data.find(name, i + 1)
open(sys.argv[1], "wb").write(data)
"#;
    let bomb_zip = inbox.join("bomb.zip");
    python(&["-c", bomb, bomb_zip.to_str().unwrap()]);
    let before: BTreeSet<PathBuf> = walk(root);
    let run = dashi(
        root,
        &["intake", "in", "-o", "受理", "--received", "2027-03-15"],
    );
    run.assert_no_panic();
    assert_eq!(run.code, 0, "{run:?}");
    let after: BTreeSet<PathBuf> = walk(root);
    let added: Vec<&PathBuf> = after.difference(&before).collect();
    for path in &added {
        assert!(
            path.starts_with(root.join("受理")),
            "written outside: {}",
            path.display()
        );
    }
    assert!(!Path::new("/tmp/dashi-evil-absolute.txt").exists());
    assert!(!root.parent().unwrap().join("evil.txt").exists());
    let rows = register(&root.join("受理/受理登记表.xlsx"));
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert!(
            row["完整性"].starts_with("无法读取") || row["完整性"].starts_with("未通过"),
            "{row:?}"
        );
        assert_eq!(
            codes_in(&row["问题摘要"]),
            BTreeSet::from(["R501".to_string()]),
            "{row:?}"
        );
    }
    // No work folder is left behind.
    assert!(
        std::fs::read_dir(root.join("受理")).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with('.')),
    );
}

/// Runs python3 with `args`; fails the test with its error output if it fails.
fn python(args: &[&str]) {
    let out = Command::new("python3")
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn walk(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.insert(p);
    }
    out
}

#[test]
fn the_publicity_period_skips_weekends_and_listed_holidays() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let dirs: Vec<PathBuf> = (0..2).map(|i| studio(root, i)).collect();
    let inbox = root.join("in");
    std::fs::create_dir_all(&inbox).unwrap();
    for (i, dir) in dirs.iter().enumerate() {
        let (zip, _) = build(dir);
        std::fs::copy(&zip, inbox.join(format!("{i}.zip"))).unwrap();
    }
    let run = dashi(
        root,
        &["intake", "in", "-o", "受理", "--received", "2027-03-15"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    // A calendar of 2027 with 清明 on Monday 5 April and one Saturday worked (调休).
    std::fs::write(
        root.join("节假日.toml"),
        "source = \"测试用节假日安排\"\nyears = [2027]\nholidays = [\"2027-04-03..2027-04-05\"]\nworkdays = [\"2027-04-11\"]\n",
    )
    .unwrap();
    // Decisions as a clerk's Excel sheet: one studio on the list, one not.
    let script = r#"
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["受理编号", "工作室名称", "决定"])
ws.append(["2027-001", "", "拟认定"])
ws.append(["2027-002", "", "不予认定"])
wb.save(sys.argv[1])
"#;
    let decisions = root.join("决定.xlsx");
    python(&["-c", script, decisions.to_str().unwrap()]);
    let publish = |from: &str| {
        let run = dashi(
            root,
            &[
                "intake",
                "publish",
                "受理",
                "--decisions",
                "决定.xlsx",
                "--from",
                from,
                "--holidays",
                "节假日.toml",
            ],
        );
        run.assert_no_panic();
        assert_eq!(run.code, 0, "{run:?}");
        run
    };
    // Thursday 1 April: Thu, Fri, (Sat–Mon off), Tue, Wed, Thu 8 April.
    let run = publish("2027-04-01");
    assert!(
        run.stdout
            .contains("2027-04-01（星期四）至 2027-04-08（星期四）"),
        "{}",
        run.stdout
    );
    let text = pdf_text(&root.join("受理/拟认定名单公示.pdf"));
    assert!(
        text.contains("2027年4月1日（星期四）至2027年4月8日（星期四），共5个工作日"),
        "{text}"
    );
    assert!(text.contains(&studio_name(0)), "{text}");
    assert!(!text.contains(&studio_name(1)), "{text}");
    assert!(text.contains("公示时间不少于5个工作日"), "{text}");
    // Thursday 8 April: Thu, Fri, Sun 11 (worked), Mon, Tue 13 April.
    let run = publish("2027-04-08");
    assert!(
        run.stdout.contains("至 2027-04-13（星期二）"),
        "{}",
        run.stdout
    );
    let rows = register(&root.join("受理/拟认定名单.xlsx"));
    assert_eq!(
        rows.len(),
        1 + 2,
        "one studio, a blank row and the period: {rows:?}"
    );
    assert_eq!(rows[0]["工作室名称"], studio_name(0));
    // A decision naming no submission is refused with its line.
    std::fs::write(
        root.join("决定.csv"),
        "受理编号,决定\n2027-001,拟认定\n2027-099,拟认定\n",
    )
    .unwrap();
    // Decisions of a CSV file, refused: the run.
    let refused = |decisions: &str| {
        let run = dashi(
            root,
            &[
                "intake",
                "publish",
                "受理",
                "--decisions",
                decisions,
                "--from",
                "2027-04-01",
            ],
        );
        assert_eq!(run.code, 2, "{run:?}");
        run
    };
    let run = refused("决定.csv");
    assert!(
        run.stderr.contains("决定.csv 第 3 行") && run.stderr.contains("2027-099"),
        "{}",
        run.stderr
    );
    // A period reaching a year no holiday file covers is refused: 国庆 2027 is not
    // known without a file, and counting it would shorten the 公示.
    let publish_plain = |from: &str, extra: &[&str]| {
        let mut args = vec![
            "intake",
            "publish",
            "受理",
            "--decisions",
            "决定.xlsx",
            "--from",
            from,
        ];
        args.extend_from_slice(extra);
        dashi(root, &args)
    };
    let run = publish_plain("2027-09-29", &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("2027 年") && run.stderr.contains("--holidays"),
        "{}",
        run.stderr
    );
    // With 2027's 国庆 given, it is skipped; a start on a Saturday moves to Monday.
    std::fs::write(
        root.join("国庆.toml"),
        "source = \"测试用 2027 国庆\"\nyears = [2027]\nholidays = [\"2027-10-01..2027-10-07\"]\nworkdays = [\"2027-09-26\"]\n",
    )
    .unwrap();
    let run = publish_plain("2027-09-29", &["--holidays", "国庆.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("2027-09-29（星期三）至 2027-10-12（星期二）"),
        "{}",
        run.stdout
    );
    let run = publish_plain("2027-09-25", &["--holidays", "国庆.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("2027-09-25（星期六）不是工作日")
            && run.stdout.contains("公示期 2027-09-26（星期日）至"),
        "{}",
        run.stdout
    );
    // A holiday file that is wrong is refused, said with its line.
    let refused_file = |name: &str, text: &str, said: [&str; 2]| {
        std::fs::write(root.join(name), text).unwrap();
        let run = publish_plain("2027-09-29", &["--holidays", name]);
        assert_eq!(run.code, 2, "{run:?}");
        for s in said {
            assert!(run.stderr.contains(s), "{s}: {}", run.stderr);
        }
    };
    // A reversed range.
    refused_file(
        "倒序.toml",
        "source = \"x\"\nyears = [2027]\nholidays = [\"2027-10-07..2027-10-01\"]\n",
        ["倒序.toml 第 3 行", "倒过来的日期范围"],
    );
    // A date outside the file's years (2028 typed for 2027), never a silently shorter 公示.
    refused_file(
        "笔误.toml",
        "source = \"x\"\nyears = [2027]\nholidays = [\n  \"2027-10-01..2027-10-03\",\n  \"2028-10-04..2028-10-07\",\n]\n",
        ["笔误.toml 第 5 行", "在 2028 年"],
    );
    // A year without a 春节 holiday in the file is warned of (国庆.toml has none).
    let run = publish_plain("2027-09-29", &["--holidays", "国庆.toml"]);
    assert!(
        run.stdout.contains("2027 年没有春节的放假日期"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("没有国庆节"), "{}", run.stdout);
    // Excel's CSV in GBK with CRLF line ends: the line named is the file's line.
    let (gbk, _, _) =
        encoding_rs::GBK.encode("受理编号,决定\r\n2027-001,拟认定\r\n2027-099,拟认定\r\n");
    std::fs::write(root.join("决定GBK.csv"), gbk).unwrap();
    let run = refused("决定GBK.csv");
    assert!(run.stderr.contains("决定GBK.csv 第 3 行"), "{}", run.stderr);
    // A studio name two live submissions share (two units) is not guessed at.
    let third = studio(root, 2);
    let (zip, _) = build(&third);
    std::fs::create_dir_all(root.join("in2")).unwrap();
    edited_bag(
        root,
        &zip,
        "同名",
        |t| {
            t.replace(&studio_name(2), &studio_name(0))
                .replace("91150100MA0Q7K3B27", "91150100MA0Q7K3C27")
        },
        &root.join("in2/同名.zip"),
    );
    let run = dashi(
        root,
        &["intake", "in2", "-o", "受理", "--received", "2027-03-16"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    std::fs::write(
        root.join("按名称.csv"),
        format!("工作室名称,决定\n{},拟认定\n", studio_name(0)),
    )
    .unwrap();
    let run = refused("按名称.csv");
    assert!(
        run.stderr.contains("按名称.csv 第 2 行") && run.stderr.contains("2027-001、2027-003"),
        "{}",
        run.stderr
    );
}

/// Edits the data file inside a built bag as another tool would (manifests recomputed
/// by bagit-python, the stale Evidence-Digest dropped) and seals it again as `to`.
fn edited_bag(
    root: &Path,
    zip: &Path,
    name: &str,
    edit: impl Fn(String) -> String,
    to: &Path,
) -> PathBuf {
    edited_bag_with(root, zip, name, edit, &[], to)
}

/// `edited_bag`, with `more` files (path in the bag, bytes) added before sealing.
fn edited_bag_with(
    root: &Path,
    zip: &Path,
    name: &str,
    edit: impl Fn(String) -> String,
    more: &[(&str, Vec<u8>)],
    to: &Path,
) -> PathBuf {
    let bag = unzip(zip, &root.join(name));
    let toml = bag.join("data/源数据/studio.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, edit(text)).unwrap();
    for (path, bytes) in more {
        std::fs::write(bag.join(path), bytes).unwrap();
    }
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    let info: String = info
        .lines()
        .filter(|l| !l.starts_with("Evidence-Digest"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(bag.join("bag-info.txt"), info).unwrap();
    python(&[
        "-c",
        "import bagit, sys; bagit.Bag(sys.argv[1]).save(manifests=True)",
        bag.to_str().unwrap(),
    ]);
    let run = dashi(
        root,
        &["seal", bag.to_str().unwrap(), "-o", to.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{run:?}");
    bag
}

#[test]
fn r503_r504_r513_r514_r515_and_a_newer_data_format() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let inbox = root.join("in");
    std::fs::create_dir_all(&inbox).unwrap();
    let x = studio(root, 0);
    let y = studio(root, 1);
    let master_x = with_check_digit(&format!("15010519780512{:03}", 101)[..17]);
    let zhang_y = with_check_digit(&format!("15010419900315{:03}", 303)[..17]);
    // Y's member 张伟 carries X's master's ID (R515); Y's 李红梅 claims X's master's
    // certificate number (R513).
    let data = std::fs::read_to_string(y.join("studio.toml")).unwrap();
    let data = data
        .replace(&zhang_y, &master_x)
        .replace("S000015010004231000001", "NMSX-2019-1000");
    std::fs::write(y.join("studio.toml"), data).unwrap();
    let (zip_x, digest_x) = build(&x);
    let (zip_y, _) = build(&y);
    std::fs::copy(&zip_x, inbox.join("x.zip")).unwrap();
    std::fs::copy(&zip_y, inbox.join("y.zip")).unwrap();
    // X again, as its disc: the same seal, so the same submission received again
    // (重复收到), not a second application.
    let run = dashi(
        root,
        &[
            "disc",
            zip_x.to_str().unwrap(),
            "-o",
            inbox.join("x.iso").to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    // A bag without a data file (R504).
    std::fs::create_dir_all(root.join("只有扫描件")).unwrap();
    std::fs::copy(
        x.join("evidence/营业执照.jpg"),
        root.join("只有扫描件/营业执照.jpg"),
    )
    .unwrap();
    let run = dashi(
        root,
        &[
            "seal",
            "只有扫描件",
            "-o",
            inbox.join("nodata.zip").to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    // A data file of a newer format (D005, said by name).
    let z = studio(root, 2);
    let (zip_z, _) = build(&z);
    edited_bag(
        root,
        &zip_z,
        "新格式",
        |t| t.replace("format_version = 1", "format_version = 2"),
        &inbox.join("z.zip"),
    );
    // Only X's digest typed (R503 for the others).
    std::fs::write(
        root.join("摘要.csv"),
        format!("x.zip,{digest_x}\nx.iso,{digest_x}\n"),
    )
    .unwrap();
    let run = dashi(
        root,
        &[
            "intake",
            "in",
            "-o",
            "受理",
            "--received",
            "2027-03-15",
            "--digests",
            "摘要.csv",
        ],
    );
    run.assert_no_panic();
    assert_eq!(run.code, 0, "{run:?}");
    let rows = register(&root.join("受理/受理登记表.xlsx"));
    let ledger: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("受理/intake.json")).unwrap()).unwrap();
    let codes_of = |file: &str| -> BTreeSet<String> {
        let number = ledger["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["input"].as_str().unwrap().ends_with(file))
            .unwrap()["number"]
            .as_str()
            .unwrap()
            .to_string();
        let row = rows.iter().find(|r| r["受理编号"] == number).unwrap();
        codes_in(&row["问题摘要"])
    };
    let set = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<BTreeSet<_>>();
    // The disc is found first (files in name order); the zip is its copy.
    assert_eq!(codes_of("x.iso"), set(&["R513", "R515"]));
    assert_eq!(codes_of("y.zip"), set(&["R503", "R513", "R515"]));
    let x = ledger["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["input"].as_str().unwrap().ends_with("x.iso"))
        .unwrap();
    assert_eq!(x["copies"][0]["input"], "in/x.zip", "{x}");
    assert!(!run.stdout.contains("没有对应的申报"), "{}", run.stdout);
    assert_eq!(rows.len(), 4, "x.iso is no row of its own: {rows:?}");
    assert!(run.stdout.contains("重复收到"), "{}", run.stdout);
    assert_eq!(codes_of("nodata.zip"), set(&["R503", "R504"]));
    assert_eq!(codes_of("z.zip"), set(&["D005", "R503"]));
    assert!(run.stdout.contains("数据格式版本为 2"), "{}", run.stdout);
    // --full-id shows IDs whole.
    let run = dashi(
        root,
        &[
            "intake",
            "in",
            "-o",
            "受理全号",
            "--received",
            "2027-03-15",
            "--full-id",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let json = std::fs::read_to_string(root.join("受理全号/intake.json")).unwrap();
    assert!(json.contains(&master_x), "--full-id shows the ID");
}

/// A bag sealed by hand with the schema `dashi init` writes beside the data: the data
/// file is the one that reads as a studio file, so 第七条（二）'s failure is judged
/// (R121), not the schema's keys (D002, D003). A bag with two readable data files
/// gets R505 naming both.
#[test]
fn a_hand_sealed_bag_is_judged_on_its_data_file_not_its_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let dirs: Vec<PathBuf> = (0..2).map(|i| studio(root, i)).collect();
    let inbox = root.join("in");
    std::fs::create_dir_all(&inbox).unwrap();
    let schema = dashi(root, &["schema"]).stdout.into_bytes();
    let fund = |t: String| t.replace("high_skill = 112.0", "high_skill = 80.0");
    let (zip, _) = build(&dirs[0]);
    edited_bag_with(
        root,
        &zip,
        "带格式文件的包",
        fund,
        &[("data/源数据/studio.schema.json", schema.clone())],
        &inbox.join("a.zip"),
    );
    let (zip, _) = build(&dirs[1]);
    let data = std::fs::read(dirs[1].join("studio.toml")).unwrap();
    edited_bag_with(
        root,
        &zip,
        "两个数据文件的包",
        |t| t,
        &[
            ("data/源数据/studio.schema.json", schema),
            ("data/源数据/另一份.toml", data),
        ],
        &inbox.join("b.zip"),
    );
    let run = dashi(
        root,
        &["intake", "in", "-o", "受理", "--received", "2027-03-15"],
    );
    run.assert_no_panic();
    assert_eq!(run.code, 0, "{run:?}");
    let rows = register(&root.join("受理/受理登记表.xlsx"));
    let row = |i: usize| {
        rows.iter()
            .find(|r| r["工作室名称"] == studio_name(i))
            .unwrap_or_else(|| panic!("{} not in {rows:?}", studio_name(i)))
    };
    let codes = codes_in(&row(0)["问题摘要"]);
    assert!(codes.contains("R121"), "{:?}", row(0));
    assert!(
        !codes.contains("D002") && !codes.contains("D003"),
        "{:?}",
        row(0)
    );
    assert!(row(0)["初审结论"].starts_with("不符合条件"), "{:?}", row(0));
    let codes = codes_in(&row(1)["问题摘要"]);
    assert!(codes.contains("R505"), "{:?}", row(1));
    assert!(
        row(1)["问题摘要"].contains("另一份.toml") && row(1)["问题摘要"].contains("studio.toml"),
        "{:?}",
        row(1)
    );
    // One file under three spellings is one submission.
    let run = dashi(
        root,
        &[
            "intake",
            "in",
            "./in/a.zip",
            "in/../in/a.zip",
            "-o",
            "受理2",
            "--received",
            "2027-03-15",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("共受理 2 份"), "{}", run.stdout);
    assert!(!codes_in(&run.stdout).contains("R514"), "{}", run.stdout);
    // A damaged copy of a.zip (same seal) given on a later day gets its own number and
    // R514 naming the intact one, whose number and result stay.
    let ledger = |dir: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(root.join(dir).join("intake.json")).unwrap()).unwrap()
    };
    let first = ledger("受理");
    let of = |l: &serde_json::Value, input: &str| {
        l["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["input"].as_str().unwrap().ends_with(input))
            .cloned()
            .unwrap_or_else(|| panic!("{input} not in {l}"))
    };
    let intact = of(&first, "a.zip");
    let mut bytes = std::fs::read(inbox.join("a.zip")).unwrap();
    let name = "data/佐证材料/02-".as_bytes();
    let at = bytes.windows(name.len()).position(|w| w == name).unwrap();
    bytes[at + 3000] ^= 0x5A;
    std::fs::create_dir_all(root.join("in2")).unwrap();
    std::fs::write(root.join("in2/a-副本.zip"), bytes).unwrap();
    let run = dashi(
        root,
        &["intake", "in2", "-o", "受理", "--received", "2027-03-20"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let second = ledger("受理");
    let copy = of(&second, "a-副本.zip");
    assert_eq!(copy["number"], "2027-003", "{copy}");
    let r514 = copy["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "R514")
        .unwrap_or_else(|| panic!("no R514: {copy}"));
    assert_eq!(r514["joins"][0], intact["number"], "{copy}");
    let still = of(&second, "a.zip");
    assert_eq!(still["number"], intact["number"]);
    assert_eq!(still["integrity"]["intact"], true, "{still}");

    // A studio name of about 200 characters with a right-to-left override fails its
    // own row (R101), not the batch: the sheets get short names without the override,
    // and the register shows it escaped.
    let dir = studio(root, 2);
    let (zip, _) = build(&dir);
    let long = format!(
        "呼和浩特市{}\u{202E}fdp.exe技能大师工作室",
        "长".repeat(190)
    );
    let long_for_edit = long.clone();
    std::fs::create_dir_all(root.join("in3")).unwrap();
    edited_bag_with(
        root,
        &zip,
        "长名称的包",
        move |t| t.replace(&studio_name(2), &long_for_edit),
        &[],
        &root.join("in3/long.zip"),
    );
    let run = dashi(
        root,
        &["intake", "in3", "-o", "受理3", "--received", "2027-03-15"],
    );
    run.assert_no_panic();
    assert_eq!(run.code, 0, "{run:?}");
    let rows = register(&root.join("受理3/受理登记表.xlsx"));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0]["工作室名称"].contains("<U+202E>fdp.exe"),
        "{:?}",
        rows[0]
    );
    assert!(
        codes_in(&rows[0]["问题摘要"]).contains("R101"),
        "{:?}",
        rows[0]
    );
    let sheets: Vec<String> = std::fs::read_dir(root.join("受理3/初审"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(sheets.len(), 1, "{sheets:?}");
    assert!(sheets[0].chars().count() <= 64, "{sheets:?}");
    assert!(!sheets[0].contains('\u{202E}'), "{sheets:?}");
    assert!(sheets[0].starts_with("001-呼和浩特市长长"), "{sheets:?}");
}

/// Two batches into one folder give the verdicts one run over both gives: the earlier
/// submission a later one shares a member with is judged again (R511 on both, its
/// sheet and register row updated with a line saying why); the same zip received again
/// is one submission, noted as 重复收到 with its file; a studio's second submission
/// replaces its first (补正, not R514); a file unreadable at first and then sent again
/// under its name keeps its number. Each submission has one sheet of each kind, and a
/// rerun gives the same bytes.
#[test]
fn two_batches_are_judged_as_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let a = studio(root, 0);
    let b = studio(root, 1);
    let c = studio(root, 2);
    let d = studio(root, 3);
    // 李红梅 of b carries a's 李红梅's ID number (R511, found when b arrives).
    let first_id = with_check_digit(&format!("15010219860923{:03}", 200)[..17]);
    let second_id = with_check_digit(&format!("15010219860923{:03}", 202)[..17]);
    let data = std::fs::read_to_string(b.join("studio.toml")).unwrap();
    std::fs::write(b.join("studio.toml"), data.replace(&second_id, &first_id)).unwrap();
    let [b1, b2] = ["批次1", "批次2"].map(|n| {
        std::fs::create_dir_all(root.join(n)).unwrap();
        root.join(n)
    });
    let (zip_a, _) = build(&a);
    let (zip_b, _) = build(&b);
    let (zip_c, _) = build(&c);
    let (zip_d, _) = build(&d);
    std::fs::copy(&zip_a, b1.join("a.zip")).unwrap();
    let whole = std::fs::read(&zip_c).unwrap();
    std::fs::write(b1.join("c.zip"), &whole[..whole.len() / 2]).unwrap();
    std::fs::copy(&zip_d, b1.join("d.zip")).unwrap();
    std::fs::copy(&zip_a, b2.join("a-邮件.zip")).unwrap();
    std::fs::copy(&zip_b, b2.join("b.zip")).unwrap();
    std::fs::copy(&zip_c, b2.join("c.zip")).unwrap();
    edited_bag(
        root,
        &zip_d,
        "补正",
        |t| t.replace("0471-6609831", "0471-6609832"),
        &b2.join("d2.zip"),
    );
    let intake = |args: &[&str], out: &str, day: &str| {
        let mut all = vec!["intake"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", out, "--received", day]);
        let run = dashi(root, &all);
        run.assert_no_panic();
        assert_eq!(run.code, 0, "{run:?}");
        run
    };
    intake(&["批次1"], "受理", "2027-03-15");
    let second = intake(&["批次2"], "受理", "2027-03-20");
    intake(&["批次1", "批次2"], "合并", "2027-03-15");

    let verdicts = |out: &str| -> BTreeMap<String, (String, BTreeSet<String>)> {
        register(&root.join(out).join("受理登记表.xlsx"))
            .into_iter()
            .map(|r| {
                let codes = codes_in(&r["问题摘要"]);
                (r["受理编号"].clone(), (r["初审结论"].clone(), codes))
            })
            .collect()
    };
    let two = verdicts("受理");
    assert_eq!(two, verdicts("合并"), "two batches and one run differ");
    let numbers: Vec<&String> = two.keys().collect();
    assert_eq!(
        numbers,
        ["2027-001", "2027-002", "2027-003", "2027-004", "2027-005"],
        "{two:?}"
    );
    // a (001) and b (004) share a member: both need correction, each naming the other.
    assert!(two["2027-001"].0.starts_with("需补正"), "{two:?}");
    assert!(two["2027-001"].1.contains("R511"), "{two:?}");
    assert!(two["2027-004"].1.contains("R511"), "{two:?}");
    // c (002): the readable file replaced the unreadable one under its number.
    assert!(two["2027-002"].0.starts_with("符合条件"), "{two:?}");
    // d's resubmission (005) replaces d (003): no R514, the earlier not reviewed.
    assert!(
        two["2027-003"].0.starts_with("已由后来的申报取代"),
        "{two:?}"
    );
    assert!(two["2027-005"].0.starts_with("符合条件"), "{two:?}");
    assert!(
        two.values().all(|(_, codes)| !codes.contains("R514")),
        "{two:?}"
    );

    let ledger: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("受理/intake.json")).unwrap()).unwrap();
    let of = |number: &str| {
        ledger["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["number"] == number)
            .unwrap()
            .clone()
    };
    let first = of("2027-001");
    assert_eq!(first["input"], "批次1/a.zip", "{first}");
    assert_eq!(first["copies"][0]["input"], "批次2/a-邮件.zip", "{first}");
    assert_eq!(first["copies"][0]["received"], "2027-03-20", "{first}");
    let history = first["history"][0].as_str().unwrap();
    assert!(
        history.starts_with("2027-03-20：初审结论由“符合条件，列入评审范围”改为“需补正”")
            && history.contains("2027-004"),
        "{history}"
    );
    assert_eq!(of("2027-005")["supersedes"][0], "2027-003");
    assert!(
        of("2027-002")["history"][0]
            .as_str()
            .unwrap()
            .contains("无法读取")
    );
    // The summary names the earlier submission whose verdict changed.
    assert!(
        second.stdout.contains("受理编号 2027-001：初审结论由"),
        "{}",
        second.stdout
    );
    // One sheet of each kind a submission, the changed one printed anew.
    let names = |dir: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(root.join("受理").join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let reviews = names("初审");
    let prefixes: Vec<&str> = reviews.iter().map(|n| &n[..4]).collect();
    assert_eq!(
        prefixes,
        ["001-", "002-", "003-", "004-", "005-"],
        "{reviews:?}"
    );
    let experts = names("专家评审表");
    let prefixes: Vec<&str> = experts.iter().map(|n| &n[..4]).collect();
    assert_eq!(prefixes, ["002-", "005-"], "{experts:?}");
    let sheet = pdf_text(&root.join("受理/初审").join(&reviews[0]));
    assert!(
        sheet.contains("受理记录") && sheet.contains("2027-004"),
        "{sheet}"
    );
    assert!(sheet.contains("重复收到"), "{sheet}");
    let sheet = pdf_text(&root.join("受理/初审").join(&reviews[2]));
    assert!(
        sheet.contains("已由同一工作室后来的申报（受理编号2027-005）取代"),
        "{sheet}"
    );
    // The same run again: the same bytes.
    let bytes = |f: &str| std::fs::read(root.join("受理").join(f)).unwrap();
    let (register_then, ledger_then) = (bytes("受理登记表.xlsx"), bytes("intake.json"));
    intake(&["批次2"], "受理", "2027-03-20");
    assert!(
        bytes("受理登记表.xlsx") == register_then,
        "register changed on rerun"
    );
    assert!(
        bytes("intake.json") == ledger_then,
        "intake.json changed on rerun"
    );
    ids_cannot_be_found_by_trying_birth_dates(&root.join("受理/intake.json"), &first_id);
}

/// The search of the outside try: for each ID kept in intake.json, every birth date
/// the mask leaves open, digested as an older intake.json kept it. It finds nothing,
/// though the same search finds the number behind a plain SHA-256 of it.
fn ids_cannot_be_found_by_trying_birth_dates(ledger: &Path, known: &str) {
    use sha2::Digest;
    let sha256 = |text: &str| -> String {
        sha2::Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let search = |masked: &str, digest: &str| -> Option<String> {
        let (region, tail) = (&masked[..6], &masked[14..]);
        let mut tries = 0;
        for year in 1940..=2009 {
            for month in 1..=12 {
                for day in 1..=31 {
                    tries += 1;
                    let id = format!("{region}{year}{month:02}{day:02}{tail}");
                    if sha256(&id) == digest {
                        return Some(id);
                    }
                }
            }
        }
        assert!(tries > 14_000);
        None
    };
    assert_eq!(
        search(&dashi_mask(known), &sha256(known)).as_deref(),
        Some(known),
        "the search finds a plain digest"
    );
    let text = std::fs::read_to_string(ledger).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut people = Vec::new();
    for s in json["submissions"].as_array().unwrap() {
        let t = &s["traits"];
        people.extend(t["master"].as_object().cloned());
        for m in t["members"].as_array().into_iter().flatten() {
            people.extend(m.as_object().cloned());
        }
    }
    assert!(people.len() > 10, "{people:?}");
    for p in people {
        let (id, masked) = (p["id"].as_str().unwrap(), p["masked"].as_str().unwrap());
        assert!(id.starts_with("hmac-sha256:"), "{id}");
        let digest = id.rsplit(':').next().unwrap();
        assert_eq!(search(masked, digest), None, "{masked} found");
    }
    assert!(!text.contains(known), "an ID kept whole");
}

/// `150105197805120312` → `150105********0312`, as intake masks.
fn dashi_mask(id: &str) -> String {
    format!("{}********{}", &id[..6], &id[14..])
}

/// A scan declared larger than intake unpacks (100 MiB) is R135 and never written:
/// intake runs with a 64 MiB limit on the size of any file it writes, which a 150 MiB
/// scan would break. A work folder a killed run left is removed by the next run.
#[test]
fn intake_writes_bounded_and_cleans_after_a_killed_run() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let dir = studio(root, 0);
    let (zip, _) = build(&dir);
    let bag = unzip(&zip, &root.join("看一眼"));
    let scan = std::fs::read_dir(bag.join("data/佐证材料"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("02-"))
        .unwrap();
    std::fs::create_dir_all(root.join("in")).unwrap();
    edited_bag_with(
        root,
        &zip,
        "大扫描件的包",
        |t| t,
        &[(&format!("data/佐证材料/{scan}"), vec![0u8; 150 << 20])],
        &root.join("in/big.zip"),
    );
    let stale = root.join("受理/.dashi-intake-4194303-0");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("left.bin"), vec![1u8; 1 << 20]).unwrap();
    let out = Command::new("bash")
        .args([
            "-c",
            "ulimit -f 65536; exec \"$0\" intake in -o 受理 --received 2027-03-15",
        ])
        .arg(env!("CARGO_BIN_EXE_dashi"))
        .current_dir(root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("R135") && stdout.contains("未解压、未审查"),
        "{stdout}"
    );
    assert!(
        !stale.exists(),
        "the killed run's work folder is still there"
    );
    let left: Vec<_> = std::fs::read_dir(root.join("受理"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dashi-intake"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The register as a clerk prints and filters it: 收件日期 a real date, 来源文件 telling
/// rows apart, a print area that prints at 8 pt or more on A4 landscape, and files
/// that are not submissions named on a sheet of their own (and on screen), never
/// skipped in silence.
#[test]
fn the_register_prints_at_eight_points_and_names_what_was_not_received() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let dir = studio(root, 0);
    let (zip, _) = build(&dir);
    let inbox = root.join("in");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::copy(&zip, inbox.join("a.zip")).unwrap();
    std::fs::write(inbox.join("b.rar"), b"Rar!\x1a\x07\x00").unwrap();
    std::fs::write(inbox.join("说明.txt"), "随盘说明").unwrap();
    let run = dashi(
        root,
        &["intake", "in", "-o", "受理", "--received", "2027-03-15"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("未受理")
            && run.stdout.contains("b.rar")
            && run.stdout.contains("说明.txt"),
        "{}",
        run.stdout
    );
    let script = r#"
import datetime, json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["受理登记表"]
head = [c.value for c in ws[1]]
date = ws.cell(row=2, column=head.index("收件日期") + 1)
area = ws.print_area
if isinstance(area, (list, tuple)):
    area = area[0]
area = str(area).split("!")[-1].replace("$", "")
first, last = area.split(":")
from openpyxl.utils import column_index_from_string, get_column_letter
def col(ref):
    return column_index_from_string("".join(ch for ch in ref if ch.isalpha()))
widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(col(first), col(last) + 1)]
printed = [head[i - 1] for i in range(col(first), col(last) + 1)]
heights = [ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)]
font = ws.cell(row=2, column=1).font.sz
skipped = [r[0] for r in wb["未受理"].iter_rows(min_row=2, values_only=True)]
print(json.dumps({
    "date_is_date": isinstance(date.value, datetime.datetime),
    "date": str(date.value),
    "has_source": "来源文件" in head,
    "source": ws.cell(row=2, column=head.index("来源文件") + 1).value,
    "scale": ws.page_setup.scale,
    "fit": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
    "orientation": ws.page_setup.orientation,
    "paper": ws.page_setup.paperSize,
    "font": font,
    "widths": widths,
    "margins": [ws.page_margins.left, ws.page_margins.right],
    "skipped": skipped,
    "printed": printed,
    "heights": heights,
}))
"#;
    let out = Command::new("python3")
        .args([
            "-c",
            script,
            root.join("受理/受理登记表.xlsx").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["date_is_date"], true, "{v}");
    assert!(v["date"].as_str().unwrap().starts_with("2027-03-15"), "{v}");
    assert_eq!(v["has_source"], true, "{v}");
    assert!(v["source"].as_str().unwrap().ends_with("a.zip"), "{v}");
    assert_eq!(v["orientation"], "landscape", "{v}");
    assert_eq!(v["paper"], 9, "A4: {v}");
    assert_ne!(v["fit"], true, "fit-to-page would shrink the text: {v}");
    // Printed text size: the font at the print scale.
    let scale = v["scale"].as_f64().unwrap();
    let printed_pt = v["font"].as_f64().unwrap() * scale / 100.0;
    assert!(printed_pt >= 8.0, "{printed_pt} pt: {v}");
    // The print area fits the width of an A4 landscape page inside its margins:
    // Excel draws a column of width w as 7w + 5 pixels (96 per inch).
    let pixels: f64 = v["widths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| 7.0 * w.as_f64().unwrap() + 5.0)
        .sum();
    let printed_inches = pixels / 96.0 * scale / 100.0;
    let margins: f64 = v["margins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_f64().unwrap())
        .sum();
    let page_inches = 297.0 / 25.4 - margins;
    assert!(
        printed_inches <= page_inches,
        "{printed_inches} in of columns on {page_inches} in: {v}"
    );
    let skipped = v["skipped"].to_string();
    assert!(
        skipped.contains("b.rar") && skipped.contains("说明.txt"),
        "{v}"
    );
    // 来源文件 prints; every row has a height for its wrapped cells (the studio's
    // name wraps to two lines in its column).
    let printed = v["printed"].to_string();
    assert!(
        printed.contains("来源文件") && printed.contains("初审结论"),
        "{v}"
    );
    let height = v["heights"][0].as_f64().unwrap_or(0.0);
    assert!(height >= 2.0 * 14.0, "{v}");
}

/// Whatever a bureau receives: a zip named in GBK (as old Windows tools name files)
/// and one whose name carries a right-to-left override are both taken in, each shown
/// escaped on screen, in the register and on its sheet; a hidden file and a link are
/// listed with the reason they were not taken; a file named with a leading dash gets
/// a hint. Nothing stops the batch, and a rerun leaves one sheet of each kind.
#[cfg(unix)]
#[test]
fn names_in_any_encoding_and_what_was_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let inbox = root.join("收件");
    std::fs::create_dir_all(&inbox).unwrap();
    let (zip_a, _) = build(&studio(root, 0));
    let (zip_b, _) = build(&studio(root, 1));
    // 工作室申报.zip in GBK.
    let gbk = b"\xb9\xa4\xd7\xf7\xca\xd2\xc9\xea\xb1\xa8.zip";
    let gbk_path = inbox.join(std::ffi::OsStr::from_bytes(gbk));
    std::fs::copy(&zip_a, &gbk_path).unwrap();
    std::fs::copy(&zip_b, inbox.join("申报\u{202E}fdp.zip")).unwrap();
    std::fs::copy(&zip_b, inbox.join(".隐藏.zip")).unwrap();
    std::os::unix::fs::symlink(&zip_a, inbox.join("链接.zip")).unwrap();
    // A studio name with characters no font here has (R201) still gets its sheet,
    // the characters shown as code points.
    let (zip_c, _) = build(&studio(root, 2));
    edited_bag(
        root,
        &zip_c,
        "表情",
        |t| t.replace(&studio_name(2), "呼和浩特市孙卫东😀걨技能大师工作室"),
        &inbox.join("c.zip"),
    );
    // Sheets a stopped run left under an old numbering are removed.
    std::fs::create_dir_all(root.join("受理/初审")).unwrap();
    std::fs::write(root.join("受理/初审/08-旧的.pdf"), b"%PDF-").unwrap();
    for _ in 0..2 {
        let run = dashi(
            root,
            &["intake", "收件", "-o", "受理", "--received", "2027-03-15"],
        );
        run.assert_no_panic();
        assert_eq!(run.code, 0, "{run:?}");
        let escaped = "<xB9><xA4><xD7><xF7><xCA><xD2><xC9><xEA><xB1><xA8>.zip";
        assert!(run.stdout.contains(escaped), "{}", run.stdout);
        assert!(run.stdout.contains("申报<U+202E>fdp.zip"), "{}", run.stdout);
        assert!(
            run.stdout
                .contains(".隐藏.zip：名称以“.”开头的隐藏文件，未受理"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("链接.zip：是链接"), "{}", run.stdout);
        let rows = register(&root.join("受理/受理登记表.xlsx"));
        let sources: BTreeSet<&str> = rows.iter().map(|r| r["来源文件"].as_str()).collect();
        assert_eq!(
            sources,
            BTreeSet::from([
                format!("收件/{escaped}").as_str(),
                "收件/申报<U+202E>fdp.zip",
                "收件/c.zip"
            ]),
            "{rows:?}"
        );
        let reviews: Vec<PathBuf> = std::fs::read_dir(root.join("受理/初审"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(reviews.len(), 3, "{reviews:?}");
        let texts: String = reviews.iter().map(|p| pdf_text(p)).collect();
        assert!(texts.contains("孙卫东<U+1F600><U+AC68>技能"), "{texts}");
        assert!(texts.contains(escaped), "{texts}");
        assert!(texts.contains("申报<U+202E>fdp.zip"), "{texts}");
        assert!(!texts.contains('\u{202E}'), "{texts}");
        assert_eq!(
            std::fs::read_dir(root.join("受理/专家评审表"))
                .unwrap()
                .count(),
            2
        );
    }
    std::fs::copy(&zip_a, root.join("-rf.zip")).unwrap();
    let run = dashi(root, &["intake", "-rf.zip", "-o", "受理"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("./-rf.zip"), "{}", run.stderr);
    assert!(run.stderr.contains("-- -rf.zip"), "{}", run.stderr);
}

/// Bags sealed by hand (bagit-python) from studio folders: the scans sit beside the
/// data file, where its `file` entries say. They are found there, checked by the
/// scan rules (no false R134 "missing"), and compared across submissions: one ID card
/// scan in two studios is R512 on both.
#[test]
fn a_hand_sealed_bags_scans_are_found_beside_its_data_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let inbox = root.join("in");
    std::fs::create_dir_all(&inbox).unwrap();
    let dirs: Vec<PathBuf> = (3..5).map(|i| studio(root, i)).collect();
    let shared = std::fs::read(dirs[0].join("evidence/张伟-身份证.jpg")).unwrap();
    std::fs::write(dirs[1].join("evidence/张伟-身份证.jpg"), shared).unwrap();
    for (n, dir) in dirs.iter().enumerate() {
        let bag = inbox.join(format!("手工{n}"));
        let source = bag.join("源数据");
        std::fs::create_dir_all(source.join("evidence")).unwrap();
        std::fs::copy(dir.join("studio.toml"), source.join("studio.toml")).unwrap();
        for e in std::fs::read_dir(dir.join("evidence")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), source.join("evidence").join(e.file_name())).unwrap();
        }
        python(&[
            "-c",
            "import bagit, sys; bagit.make_bag(sys.argv[1], checksums=['sha256'])",
            bag.to_str().unwrap(),
        ]);
        assert!(bag.join("data/源数据/evidence/营业执照.jpg").is_file());
    }
    let run = dashi(
        root,
        &["intake", "in", "-o", "受理", "--received", "2027-03-15"],
    );
    run.assert_no_panic();
    assert_eq!(run.code, 0, "{run:?}");
    let rows = register(&root.join("受理/受理登记表.xlsx"));
    assert_eq!(rows.len(), 2, "{rows:?}");
    for row in &rows {
        let codes = codes_in(&row["问题摘要"]);
        assert!(!codes.contains("R134"), "{row:?}");
        assert!(codes.contains("R512"), "{row:?}");
        assert!(row["问题摘要"].contains("张伟-身份证.jpg"), "{row:?}");
        assert_eq!(row["佐证材料份数"], "11", "{row:?}");
    }
}
