//! The archive as an archive room takes it (DA/T 22-2015, DA/T 70-2018): 档号 given at
//! 归档, gapless within 年度 and 保管期限 over five years; the 归档文件目录 as xlsx (read
//! back with openpyxl) and PDF (pdftotext, pdfcheck); the 四性检测 passing, then failing
//! for each property with the 件 and file named; the 移交 disc checked by the receiver.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::archive::{
    digests, glob_one, new_record, ocfl_validate, rewrite_inventories, sample_archive,
};
use crate::render::tool;
use crate::util::{Project, Run, dashi_at};

/// The one clock of these tests: 2026-12-05 00:00 in China, so no test depends on the
/// day it runs (records dated late in 2026 are never in the future).
const NOW: &str = "1796400000";

/// Runs `dashi` with `args` in `dir` at `NOW`.
fn dashi(dir: &std::path::Path, args: &[&str]) -> crate::util::Run {
    crate::util::dashi_at(dir, NOW, args)
}

/// Unix seconds of noon in Beijing on a day.
fn noon(y: i64, m: i64, d: i64) -> String {
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (days * 86_400 + 4 * 3_600).to_string()
}

/// A copy of the sample record of `kind` with its id, date and title changed.
fn record(p: &Project, kind: &str, id: &str, date: &str, extra: &str) -> String {
    let sample = format!("rec/{kind}.toml");
    if !p.path(&sample).exists() {
        new_record(p, kind, &format!("{kind}.toml"));
    }
    let text = std::fs::read_to_string(p.path(&sample)).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("id = ") {
            out += &format!("id = \"{id}\"\n");
        } else if line.starts_with("date = ") {
            out += &format!("date = \"{date}\"\n");
        } else if line.starts_with("title = ") {
            out += &format!("title = \"{kind}记录 {id}\"\n{extra}");
        } else {
            out += line;
            out.push('\n');
        }
    }
    let name = format!("rec/{id}.toml");
    std::fs::write(p.path(&name), out).unwrap();
    name
}

/// `dashi record add A FILE` on the day after `date`, which must succeed.
fn add_on(p: &Project, file: &str, date: &str) -> Run {
    let parts: Vec<i64> = date.split('-').map(|s| s.parse().unwrap()).collect();
    let run = dashi_at(
        p.dir(),
        &noon(parts[0], parts[1], parts[2] + 1),
        &["record", "add", "A", file],
    );
    assert_eq!(run.code, 0, "{run:?}");
    run
}

fn four(p: &Project, target: &str, extra: &[&str]) -> (Run, serde_json::Value) {
    let mut args = vec!["verify", target, "--四性", "--json"];
    args.extend_from_slice(extra);
    let run = dashi(p.dir(), &args);
    run.assert_no_panic();
    let value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"));
    (run, value)
}

/// The item of a 四性 report named `item`.
fn item<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["item"] == name)
        .unwrap_or_else(|| panic!("no item {name}"))
}

/// Whether a 四性 report has the item `name`.
fn checks(report: &serde_json::Value, name: &str) -> bool {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["item"] == name)
}

/// The catalogue workbook as openpyxl reads it: rows of (档号, 日期 cell, number format,
/// 页数), the page setup and the repeated rows.
fn workbook(path: &Path) -> serde_json::Value {
    let script = r#"
import json, sys, openpyxl, datetime
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = list(ws.iter_rows(min_row=2))
print(json.dumps({
  "head": [c.value for c in ws[1]],
  "orientation": ws.page_setup.orientation,
  "paper": ws.page_setup.paperSize,
  "titles": ws.print_title_rows,
  "size": ws["A2"].font.sz,
  "rows": [{"序号": r[0].value, "档号": r[1].value, "日期": r[5].value.isoformat() if isinstance(r[5].value, datetime.datetime) else None,
            "format": r[5].number_format, "页数": r[7].value, "备注": r[8].value} for r in rows]}))
"#;
    let out = Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "openpyxl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn pitch_ok(pdf: &Path) {
    let out = Command::new("python3")
        .args([
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pdfcheck.py"),
            "pitch",
            pdf.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}{}",
        pdf.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn five_years_of_records_get_gapless_numbers_and_a_catalogue_on_paper() {
    let p = sample_archive();
    // 2027: twelve activities (a catalogue of more than one page) and a fund record;
    // 2028–2031: an activity and an honour a year; one activity corrected in 2028.
    let mut added = Vec::new();
    for k in 1..=12 {
        let date = format!("2027-{:02}-{:02}", k, 10);
        let id = format!("活动-2027-{k:02}");
        add_on(&p, &record(&p, "活动", &id, &date, ""), &date);
        added.push(id);
    }
    add_on(
        &p,
        &record(&p, "经费", "经费-2027-01", "2027-12-20", ""),
        "2027-12-20",
    );
    // The archive room sets its 全宗号 in 2028: 件 numbered later carry it.
    // (Each on its day: 四性's 4-7 refuses versions out of time order.)
    let early_2028 = noon(2028, 1, 5);
    let commit = dashi_at(p.dir(), &early_2028, &["archive", "commit", "A"]);
    assert_eq!(commit.code, 0, "{commit:?}");
    let run = dashi_at(
        p.dir(),
        &early_2028,
        &["archive", "set", "A", "--全宗号", "J001"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("下次归档时生效"), "{}", run.stdout);
    for year in 2028..=2031 {
        let date = format!("{year}-03-15");
        add_on(
            &p,
            &record(&p, "活动", &format!("活动-{year}"), &date, ""),
            &date,
        );
        let date = format!("{year}-06-01");
        add_on(
            &p,
            &record(&p, "荣誉", &format!("荣誉-{year}"), &date, ""),
            &date,
        );
    }
    let fix = "corrects = \"活动-2027-03\"\n";
    add_on(
        &p,
        &record(&p, "活动", "活动-2031-更正", "2031-08-01", fix),
        "2031-08-01",
    );
    let run = dashi_at(
        p.dir(),
        &noon(2031, 8, 5),
        &["archive", "catalogue", "A", "-o", "目录"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    ocfl_validate(p.dir());

    // Every volume: 件号 from 0001 without a gap, real dates shown in 8 digits, real
    // numbers, A4 landscape with the header repeated.
    let mut codes = BTreeMap::new();
    for entry in std::fs::read_dir(p.path("目录")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xlsx") {
            let book = workbook(&path);
            assert_eq!(book["orientation"], "landscape");
            assert_eq!(book["paper"], 9, "A4");
            assert_eq!(book["titles"], "$1:$1");
            assert!(book["size"].as_f64().unwrap() >= 8.0);
            let head: Vec<&str> = book["head"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(
                head,
                [
                    "序号",
                    "档号",
                    "文号",
                    "责任者",
                    "题名",
                    "日期",
                    "密级",
                    "页数",
                    "备注"
                ]
            );
            let rows = book["rows"].as_array().unwrap();
            for (i, row) in rows.iter().enumerate() {
                let code = row["档号"].as_str().unwrap();
                assert!(
                    code.ends_with(&format!("-{:04}", i + 1)),
                    "{} row {i}: {code}",
                    path.display()
                );
                assert_eq!(row["序号"], i + 1);
                assert_eq!(row["format"], "yyyymmdd");
                assert!(row["日期"].is_string(), "{row}");
                assert!(row["页数"].as_f64().unwrap() >= 1.0, "{row}");
                codes.insert(code.to_string(), row.clone());
            }
        }
    }
    // 2027 D30 (activities and funds): 13 件, in date order, numbered before the
    // archive had a 全宗号 and given it when it came: no volume mixes codes.
    let d30_2027: Vec<&String> = codes.keys().filter(|c| c.contains("·2027-D30-")).collect();
    assert_eq!(d30_2027.len(), 13, "{codes:#?}");
    assert!(
        d30_2027
            .iter()
            .all(|c| c.starts_with("J001-WS·2027-D30-GZS-"))
    );
    assert_eq!(
        codes["J001-WS·2027-D30-GZS-0001"]["日期"],
        "2027-01-10T00:00:00"
    );
    // The correction keeps the 件号 of what it corrects and says so in 备注.
    let corrected = &codes["J001-WS·2027-D30-GZS-0003"];
    assert!(
        corrected["备注"]
            .as_str()
            .unwrap()
            .contains("活动-2031-更正 更正 活动-2027-03"),
        "{corrected}"
    );
    assert!(
        !codes
            .keys()
            .any(|c| c.contains("·2031-D30-") && c.ends_with("-0002")),
        "{codes:#?}"
    );
    // Later years carry the 全宗号 set in 2028; honours are kept permanently.
    assert!(
        codes.contains_key("J001-WS·2030-D30-GZS-0001"),
        "{codes:#?}"
    );
    assert!(codes.contains_key("J001-WS·2031-Y-GZS-0001"), "{codes:#?}");
    // Photos are counted in 备注, not as pages.
    assert!(
        codes["J001-WS·2027-D30-GZS-0001"]["备注"]
            .as_str()
            .unwrap()
            .contains("照片 2 张")
    );

    // The PDF: its cover, the header on every page, page numbers, the house grid.
    let pdf = p.path("目录/归档文件目录-2027-30年.pdf");
    pitch_ok(&pdf);
    let pages = tool(
        "pdftotext",
        &["-layout", pdf.to_str().unwrap(), "-"],
        p.dir(),
    );
    let pages: Vec<String> = pages
        .split('\u{c}')
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    assert!(
        pages.len() >= 3,
        "a cover and at least two pages of the list"
    );
    assert!(
        pages[0].contains("归档文件目录")
            && pages[0].contains("全宗名称")
            && pages[0].contains("30年")
    );
    for (i, page) in pages[1..].iter().enumerate() {
        assert!(
            page.contains("档号") && page.contains("责任者"),
            "page {i}: {page}"
        );
        assert!(page.contains(&format!("第{}页", i + 1)), "page {i}: {page}");
    }
    // Each record's sheet carries its 归档章 (the 档号's parts).
    let sheet = find(&p.path("A"), "活动-2027-01/记录单.pdf");
    let text = tool(
        "pdftotext",
        &["-raw", sheet.to_str().unwrap(), "-"],
        p.dir(),
    );
    assert!(
        text.contains("GZS") && text.contains("WS·2027-D30-GZS-0001"),
        "{text}"
    );

    // The 四性检测 of the five years passes; its report is on the grid and the same
    // archive gives the same bytes.
    let epoch = noon(2032, 1, 10);
    let run = dashi_at(p.dir(), &epoch, &["verify", "A", "--四性", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["intact"], true);
    assert_eq!(item(&report, "连续性元数据项检测")["outcome"], "通过");
    for out in ["报告1.pdf", "报告2.pdf"] {
        let run = dashi_at(p.dir(), &epoch, &["verify", "A", "--四性", "-o", out]);
        assert_eq!(run.code, 0, "{run:?}");
    }
    let one = std::fs::read(p.path("报告1.pdf")).unwrap();
    assert_eq!(one, std::fs::read(p.path("报告2.pdf")).unwrap());
    pitch_ok(&p.path("报告1.pdf"));
    let text = tool("pdftotext", &["-raw", "报告1.pdf", "-"], p.dir());
    let head = report["version"].as_str().unwrap();
    assert!(text.contains(&format!("档案版本为 {head}")), "{text}");
    assert!(
        text.contains(&report["digest"].as_str().unwrap()[..8]),
        "{text}"
    );
}

/// The one file under `root` whose path ends with `tail`.
fn find(root: &Path, tail: &str) -> std::path::PathBuf {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.to_string_lossy().ends_with(tail))
        .unwrap_or_else(|| panic!("no {tail} under {}", root.display()))
}

/// A PDF with an OpenAction that runs JavaScript, otherwise well formed.
fn pdf_with_javascript() -> Vec<u8> {
    tiny_pdf(
        "/OpenAction 4 0 R",
        &["<< /S /JavaScript /JS (app.alert\\('hello'\\)) >>"],
    )
}

/// The sample archive with the sample 活动 record added and filed (归档).
fn filed_activity() -> Project {
    let p = sample_archive();
    new_record(&p, "活动", "活动.toml");
    let run = dashi(p.dir(), &["record", "add", "A", "rec/活动.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = dashi(p.dir(), &["archive", "commit", "A"]);
    assert_eq!(run.code, 0, "{run:?}");
    p
}

/// A copy of the archive `A` of `p` as `name`.
fn copy_archive(p: &Project, name: &str) {
    let status = Command::new("cp")
        .args(["-a", "A", name])
        .current_dir(p.dir())
        .status()
        .unwrap();
    assert!(status.success());
}

/// The faults of an item, joined.
fn faults(report: &serde_json::Value, name: &str) -> String {
    let item = item(report, name);
    assert_eq!(item["outcome"], "不通过", "{item}");
    item["faults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn each_of_the_four_properties_fails_when_it_should_and_names_the_item_and_file() {
    let p = sample_archive();
    new_record(&p, "活动", "活动.toml");
    new_record(&p, "荣誉", "荣誉.toml");
    let run = dashi(
        p.dir(),
        &["record", "add", "A", "rec/活动.toml", "rec/荣誉.toml"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(dashi(p.dir(), &["archive", "commit", "A"]).code, 0);
    let (run, good) = four(&p, "A", &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(good["failed"], 0);
    let activity = good_code(&good, &p, "活动-2026-样例");

    // 真实性: one changed byte in a stored photo.
    copy_archive(&p, "B1");
    let photo =
        glob_one(&p.path("A/v2/content/r1/记录/活动"), "活动-照片1.jpg").replacen("A/", "B1/", 1);
    let mut bytes = std::fs::read(p.path(&photo)).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    std::fs::write(p.path(&photo), &bytes).unwrap();
    let (run, report) = four(&p, "B1", &[]);
    assert_eq!(run.code, 1);
    let named = faults(&report, "固化信息有效性检测");
    assert!(
        named.contains(&activity) && named.contains("活动-照片1.jpg"),
        "{named}"
    );

    // 完整性: a deleted attachment.
    copy_archive(&p, "B2");
    let photo =
        glob_one(&p.path("A/v2/content/r1/记录/活动"), "活动-照片2.jpg").replacen("A/", "B2/", 1);
    std::fs::remove_file(p.path(&photo)).unwrap();
    let (run, report) = four(&p, "B2", &[]);
    assert_eq!(run.code, 1);
    let named = faults(&report, "内容数据完整性检测");
    assert!(
        named.contains(&activity) && named.contains("活动-照片2.jpg"),
        "{named}"
    );

    // 可用性: a photo that no longer decodes, its digests rewritten consistently (so
    // only opening it shows the fault).
    copy_archive(&p, "B3");
    let photo =
        glob_one(&p.path("A/v2/content/r1/记录/活动"), "活动-照片1.jpg").replacen("A/", "B3/", 1);
    let old = std::fs::read(p.path(&photo)).unwrap();
    let cut = old[..old.len() / 3].to_vec();
    std::fs::write(p.path(&photo), &cut).unwrap();
    let (old512, old256) = digests(&old);
    let (new512, new256) = digests(&cut);
    rewrite_inventories(&p.path("B3"), &[(old512, new512), (old256, new256)]);
    let (run, report) = four(&p, "B3", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(item(&report, "固化信息有效性检测")["outcome"], "通过");
    let named = faults(&report, "内容数据可读性检测");
    assert!(
        named.contains(&activity) && named.contains("活动-照片1.jpg") && named.contains("JPEG"),
        "{named}"
    );

    // 安全性: an archived attachment swapped, digests and all, for a PDF that runs
    // JavaScript when opened (`record add` refuses such a file, so it is forged here).
    let certificate = glob_one(&p.path("A/v2/content/r1/记录/荣誉"), "荣誉-荣誉证书.jpg");
    let old = std::fs::read(p.path(&certificate)).unwrap();
    // Of the same length as the certificate it replaces (padded after %%EOF), as an
    // older dashi would have described it: the archive is not damaged, only its file bad.
    let mut script = pdf_with_javascript();
    assert!(script.len() < old.len());
    script.resize(old.len(), b' ');
    std::fs::write(p.path(&certificate), &script).unwrap();
    let (old512, old256) = digests(&old);
    let (new512, new256) = digests(&script);
    rewrite_inventories(&p.path("A"), &[(old512, new512), (old256, new256)]);
    let (run, report) = four(&p, "A", &["-o", "检测报告.pdf"]);
    assert_eq!(run.code, 1);
    let named = faults(&report, "PDF 活动内容检测");
    assert!(
        named.contains("荣誉-2026-样例")
            && named.contains("荣誉证书.jpg")
            && named.contains("JavaScript"),
        "{named}"
    );
    // The report says it on paper, item and file.
    let text = tool("pdftotext", &["-raw", "检测报告.pdf", "-"], p.dir());
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        flat.contains("不通过") && flat.contains("荣誉证书.jpg"),
        "{text}"
    );

    // A correction takes the bad file out of today's archive: 四性 passes again and
    // names the file as history kept in the earlier version.
    let fix = new_record(&p, "荣誉", "更正.toml");
    let text = std::fs::read_to_string(&fix).unwrap();
    let with = |extra: &str| {
        text.replacen(
            "id = \"荣誉-2026-样例\"",
            &format!("id = \"荣誉-2026-更正\"\n{extra}"),
            1,
        )
    };
    // Only a correction may take a file out, and only one its record has.
    std::fs::write(&fix, with("removes = [\"荣誉-荣誉证书.jpg\"]")).unwrap();
    let run = dashi(p.dir(), &["record", "add", "A", "rec/更正.toml"]);
    assert_eq!(run.code, 1, "{run:?}");
    crate::util::assert_fired(&run, "R312");
    std::fs::write(
        &fix,
        with("corrects = \"荣誉-2026-样例\"\nremoves = [\"无此文件.jpg\"]"),
    )
    .unwrap();
    let run = dashi(p.dir(), &["record", "add", "A", "rec/更正.toml"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("没有名为“无此文件.jpg”的附件"),
        "{}",
        run.stdout
    );
    std::fs::write(
        &fix,
        with("corrects = \"荣誉-2026-样例\"\nremoves = [\"荣誉-荣誉证书.jpg\"]"),
    )
    .unwrap();
    let run = dashi(p.dir(), &["record", "add", "A", "rec/更正.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(dashi(p.dir(), &["archive", "commit", "A"]).code, 0);
    ocfl_validate(p.dir());
    let (run, report) = four(&p, "A", &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(report["failed"], 0, "{}", run.stdout);
    let superseded = report["superseded"].to_string();
    assert!(
        superseded.contains("荣誉-2026-样例/荣誉-荣誉证书.jpg"),
        "{superseded}"
    );
    let honour = described(&p.path("A"), 2026, "荣誉-2026-样例");
    assert!(
        honour["remarks"]
            .as_str()
            .unwrap()
            .contains("移出 荣誉-荣誉证书.jpg"),
        "{honour}"
    );
}

/// The 档号 the report's 件 of record `id` has.
fn good_code(report: &serde_json::Value, p: &Project, id: &str) -> String {
    let _ = report;
    described(&p.path("A"), 2026, id)["archival_code"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The description of the 件 `id` of `year`, as the newest version under `root` that
/// describes that year has it.
fn described(root: &Path, year: u32, id: &str) -> serde_json::Value {
    let path = description_file(root, year);
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    file["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {}", path.display()))
        .clone()
}

/// The newest stored 归档信息 file of a year.
fn description_file(root: &Path, year: u32) -> std::path::PathBuf {
    let tail = format!("归档信息/{year}.json");
    let mut found: Vec<std::path::PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.to_string_lossy().ends_with(&tail))
        .collect();
    // Content paths sort by version then revision: v2/…/r2 before v3/…; the newest last.
    found.sort_by_key(|p| {
        p.strip_prefix(root)
            .unwrap()
            .components()
            .map(|c| {
                let c = c.as_os_str().to_string_lossy().into_owned();
                let digits: String = c.chars().filter(char::is_ascii_digit).collect();
                (
                    c.chars().next().unwrap_or(' '),
                    digits.parse::<u64>().unwrap_or(0),
                    c,
                )
            })
            .collect::<Vec<_>>()
    });
    found.pop().unwrap_or_else(|| panic!("no {tail}"))
}

#[test]
fn a_transfer_disc_is_checked_by_the_receiving_room() {
    let p = sample_archive();
    new_record(&p, "活动", "活动.toml");
    assert_eq!(
        dashi(p.dir(), &["record", "add", "A", "rec/活动.toml"]).code,
        0
    );
    // The archive room names its operator: the versions from now on are by them.
    let run = dashi(p.dir(), &["archive", "set", "A", "--经办人", "李档案"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = dashi(
        p.dir(),
        &["archive", "export", "A", "--移交", "-o", "移交.iso"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("结论：") && !run.stdout.contains("结论：不通过"),
        "{}",
        run.stdout
    );
    // An independent reader lists the package on the disc.
    let listing = tool(
        "xorriso",
        &["-indev", "移交.iso", "-find", "/", "-type", "f"],
        p.dir(),
    );
    for part in [
        "档案/inventory.json",
        "归档文件目录/",
        "检测报告.pdf",
        "检测报告.json",
        "说明文件.txt",
        "文件目录.xml",
    ] {
        assert!(listing.contains(part), "{part}: {listing}");
    }
    let sent = printed_after(&run.stdout, "移交包的数字摘要（SHA-256）：");
    // The 登记表 beside the disc names that digest.
    let register = std::fs::read_to_string(p.path("移交.iso-移交与接收登记表.csv")).unwrap();
    assert!(
        register.contains(&sent) && register.contains("载体外观检验"),
        "{register}"
    );
    // And so does the 登记表 on paper, in groups of eight, for both sides to sign.
    let paper = tool(
        "pdftotext",
        &["-raw", "移交.iso-移交与接收登记表.pdf", "-"],
        p.dir(),
    );
    assert!(
        paper.contains("电子档案移交与接收登记表")
            && paper.contains("接收单位")
            && paper.contains("填表人（签名）")
            && paper.contains(&sent[..8])
            && paper.contains(&sent[56..]),
        "{paper}"
    );
    // Without the digest on paper the receiver cannot say it got what was sent.
    let (run, report) = four(&p, "移交.iso", &["--环节", "移交"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(item(&report, "信息包一致性检测")["outcome"], "未核对");
    let conclusion = report["conclusion"].as_str().unwrap();
    assert!(conclusion.contains("1 项未核对"), "{conclusion}");
    let (run, report) = four(&p, "移交.iso", &["--环节", "移交", "--expect", &sent]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(item(&report, "信息包一致性检测")["outcome"], "通过");
    assert_eq!(item(&report, "信息包一致性检测")["number"], "1-14");
    let process = item(&report, "过程信息完整性检测");
    assert!(
        process["note"].as_str().unwrap().contains("李档案"),
        "{process}"
    );
    // The receiver's report names the studio and the 全宗 it comes from.
    assert_eq!(report["studio"], "呼和浩特市王建军技能大师工作室");
    assert!(
        !report["fonds_name"].as_str().unwrap().is_empty(),
        "{report}"
    );
    let args = [
        "verify",
        "移交.iso",
        "--四性",
        "--expect",
        &sent,
        "-o",
        "接收.pdf",
    ];
    assert_eq!(dashi(p.dir(), &args).code, 0);
    let text = tool("pdftotext", &["-raw", "接收.pdf", "-"], p.dir());
    assert!(
        text.contains("呼和浩特市王建军技能大师工作室专门档案")
            && text.contains("人工检测")
            && text.contains("检测人："),
        "{text}"
    );
    // A disc has its surface and its DA/T 38 quality judged by a person, so the 结论
    // waits for them; the 移交 环节 has items 归档 does not.
    assert_eq!(item(&report, "载体外观检测")["outcome"], "人工检测");
    assert_eq!(item(&report, "光盘合格性检测")["outcome"], "人工检测");
    let conclusion = report["conclusion"].as_str().unwrap();
    assert!(
        conclusion.starts_with("机检 ") && conclusion.contains("人工检测 2 项待填写"),
        "{conclusion}"
    );
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["item"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        dashi::room::four::names(dashi::room::four::Stage::Transfer)
    );
    let (_, filing) = four(&p, "移交.iso", &["--环节", "归档", "--expect", &sent]);
    let filing_names: Vec<&str> = filing["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["item"].as_str().unwrap())
        .collect();
    assert_eq!(
        filing_names,
        dashi::room::four::names(dashi::room::four::Stage::Filing)
    );
    assert!(!filing_names.contains(&"载体外观检测"));
    assert_eq!(report["stage"], "移交与接收");
    assert_eq!(item(&report, "载体读取检测")["outcome"], "通过");
    assert_eq!(
        item(&report, "总件数、总字节数相符性检测")["outcome"],
        "通过"
    );
    // A disc that reads slowly (a scratched one, the drive retrying) fails 4-4: its
    // reads are held back until the whole read takes half as long again as 1 MB/s allows.
    let iso = p.path("移交.iso");
    let size = std::fs::metadata(&iso).unwrap().len();
    let need_ms = size * 1500 / 1_000_000 + 2500;
    let run = crate::util::slowed(
        p.dir(),
        &iso,
        500,
        need_ms / 500 + 4,
        &["verify", "移交.iso", "--四性", "--json", "--expect", &sent],
    );
    run.assert_no_panic();
    let slow: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let read = item(&slow, "载体读取检测");
    assert_eq!(read["outcome"], "不通过", "{read}");
    assert_eq!(read["number"], "4-4");
    let fault = read["faults"][0].as_str().unwrap();
    assert!(fault.contains("低于 1 MB/s"), "{fault}");
    assert_eq!(run.code, 1, "{}", run.stdout);
    // A package folder with a file slipped in is not what was handed over.
    let run = dashi(
        p.dir(),
        &["archive", "export", "A", "--移交", "-o", "移交包"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    // Its 文件目录.xml lists every 件, as the sender's report counts them.
    let script = "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(len(r.findall('文件')), r.find('文件/档号').text)";
    let listed = tool("python3", &["-c", script, "移交包/文件目录.xml"], p.dir());
    let sent: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.path("移交包/检测报告.json")).unwrap()).unwrap();
    assert!(
        listed.starts_with(&format!("{} WS·", sent["totals"]["items"])),
        "{listed}"
    );
    // Its 处理过程 says who did what and when, the operator last.
    let process = std::fs::read_to_string(p.path("移交包/处理过程.csv")).unwrap();
    assert!(
        process.contains("李档案") && process.contains("活动-2026-样例"),
        "{process}"
    );
    // Every 存储位置 it gives is a file in the package.
    let script = "import sys, xml.etree.ElementTree as E; print('\\n'.join(e.text for e in E.parse(sys.argv[1]).getroot().iter('存储位置')))";
    let places = tool("python3", &["-c", script, "移交包/文件目录.xml"], p.dir());
    assert!(places.lines().count() > 10, "{places}");
    for place in places.lines() {
        assert!(p.path("移交包").join(place).is_file(), "{place}");
    }
    // A package anyone can check without dashi: sha256sum reads its SHA256SUMS.
    let checked = Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(p.path("移交包"))
        .output()
        .unwrap();
    assert!(checked.status.success(), "{checked:?}");
    let sent = std::fs::read_to_string(p.path("移交包-移交与接收登记表.csv")).unwrap();
    let sent = sent
        .lines()
        .find(|l| l.contains("数字摘要"))
        .and_then(|l| l.split(',').nth(1))
        .unwrap()
        .trim_matches('"')
        .to_string();
    // A receiver's forgery: one stored record changed, same length, with every
    // inventory, sidecar and sum recomputed. Only the digest on paper tells.
    copy_dir(&p.path("移交包"), &p.path("伪造包"));
    let record = find(&p.path("伪造包/档案"), "活动-2026-样例.toml");
    let old = std::fs::read(&record).unwrap();
    let text = String::from_utf8(old.clone()).unwrap();
    let forged = text
        .replacen("participants = 36", "participants = 96", 1)
        .into_bytes();
    assert_ne!(forged, old);
    assert_eq!(forged.len(), old.len());
    std::fs::write(&record, &forged).unwrap();
    let (old512, old256) = digests(&old);
    let (new512, new256) = digests(&forged);
    rewrite_inventories(
        &p.path("伪造包/档案"),
        &[(old512, new512), (old256, new256)],
    );
    resum(&p.path("伪造包"));
    let (run, report) = four(&p, "伪造包", &["--expect", &sent]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        faults(&report, "信息包一致性检测").contains("不是移交的包"),
        "{}",
        run.stdout
    );
    // A 题名 edited in the catalogue (by openpyxl, as Excel would) with SHA256SUMS
    // made again: the package is not the one on paper, and the file is named.
    copy_dir(&p.path("移交包"), &p.path("改目录包"));
    let xlsx = std::fs::read_dir(p.path("改目录包/归档文件目录"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "xlsx") && p.to_string_lossy().contains("永久")
        })
        .unwrap();
    let script = "import sys, openpyxl; b = openpyxl.load_workbook(sys.argv[1]); s = b.worksheets[0]; c = [c for r in s.iter_rows() for c in r if isinstance(c.value, str) and '申报材料' in c.value][0]; c.value = c.value.replace('申报材料', '申报资料'); b.save(sys.argv[1]); print(c.coordinate)";
    let cell = tool("python3", &["-c", script, xlsx.to_str().unwrap()], p.dir());
    assert!(!cell.trim().is_empty());
    resum(&p.path("改目录包"));
    let (run, report) = four(&p, "改目录包", &["--expect", &sent]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(faults(&report, "信息包一致性检测").contains("不是移交的包"));
    // The receiver made the catalogue again from the archive: the cell is named.
    let named = faults(&report, "信息包结构检测");
    assert!(
        named.contains(&xlsx.file_name().unwrap().to_string_lossy().into_owned())
            && named.contains(&format!("{}（题名）", cell.trim()))
            && named.contains("申报资料"),
        "{named}"
    );
    // A blanked 说明文件, a deleted catalogue PDF and a rewritten 处理过程 are named too.
    let process = std::fs::read_to_string(p.path("改目录包/处理过程.csv")).unwrap();
    std::fs::write(
        p.path("改目录包/处理过程.csv"),
        process.replace("李档案", "王某某"),
    )
    .unwrap();
    std::fs::write(p.path("改目录包/说明文件.txt"), "").unwrap();
    std::fs::remove_file(xlsx.with_extension("pdf")).unwrap();
    let (_, report) = four(&p, "改目录包", &[]);
    let named = faults(&report, "信息包结构检测");
    assert!(
        named.contains("说明文件.txt：缺少“档案版本：")
            && named.contains(".pdf：归档文件目录的 PDF 不在包中")
            && named.contains("处理过程.csv 第"),
        "{named}"
    );
    let (run, _) = four(&p, "移交包", &["--expect", &sent]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // No flag is silently ignored: a package's digest given for an archive is refused.
    let run = dashi(p.dir(), &["verify", "A", "--四性", "--expect", &sent]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("不是移交包"), "{run:?}");
    std::fs::write(p.path("移交包/run.bat"), "echo hi").unwrap();
    let (run, report) = four(&p, "移交包", &[]);
    assert_eq!(run.code, 1);
    assert!(faults(&report, "非归档文件检测").contains("run.bat"));
}

#[test]
fn r601_a_hand_edited_settings_file_is_judged_at_its_line() {
    let p = sample_archive();
    let run = dashi(p.dir(), &["archive", "set", "A"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("全宗号：（未给出"), "{}", run.stdout);
    let good = dashi(p.dir(), &["archive", "commit", "A"]);
    assert_eq!(good.code, 0, "{good:?}");
    let settings = std::fs::read_dir(p.path("A/v2/content"))
        .unwrap()
        .map(|e| e.unwrap().path().join("档案设置.toml"))
        .find(|p| p.exists())
        .unwrap();
    let text = std::fs::read_to_string(settings)
        .unwrap()
        .replace("fonds = \"\"", "fonds = \"12\"");
    std::fs::write(p.path("设置.toml"), &text).unwrap();
    let run = dashi(p.dir(), &["archive", "set", "A", "--file", "设置.toml"]);
    assert_eq!(run.code, 1, "{run:?}");
    let line = text.lines().position(|l| l.starts_with("fonds =")).unwrap() + 1;
    crate::util::assert_fired(&run, "R601");
    assert!(
        run.stderr.contains(&format!("设置.toml:{line}"))
            || run.stdout.contains(&format!("设置.toml:{line}")),
        "{run:?}"
    );
    let bad = dashi(p.dir(), &["archive", "set", "A", "--保管期限", "活动=D20"]);
    assert_eq!(bad.code, 1, "{bad:?}");
    assert!(bad.stderr.contains("D20"), "{bad:?}");
}

#[test]
fn a_major_event_report_carries_the_stamp_of_its_record() {
    let p = sample_archive();
    new_record(&p, "活动", "活动.toml");
    let text = std::fs::read_to_string(p.path("rec/活动.toml"))
        .unwrap()
        .replace("major = false", "major = true");
    std::fs::write(p.path("rec/活动.toml"), text).unwrap();
    let run = dashi(p.dir(), &["record", "add", "A", "rec/活动.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
    let item = described(&p.path("A"), 2026, "活动-2026-样例");
    let report = find(&p.path("A"), "活动-2026-样例/重大事项报告.pdf");
    let raw = tool(
        "pdftotext",
        &["-raw", report.to_str().unwrap(), "-"],
        p.dir(),
    );
    let pages: u64 = raw.matches('\u{c}').count() as u64;
    let text: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    // The stamp's cells: 全宗号, 年度, 件号; 机构, 保管期限, 页数 (the 件's, the report's
    // own pages included).
    let number = format!("{:04}", item["number"].as_u64().unwrap());
    let total = item["pages"].as_u64().unwrap() + pages;
    for cell in ["GZS", "30年", number.as_str(), &total.to_string()] {
        assert!(text.contains(cell), "{cell}: {text}");
    }
    // At the next 归档 the report joins its 件's description.
    assert_eq!(dashi(p.dir(), &["archive", "commit", "A"]).code, 0);
    let item = described(&p.path("A/v3"), 2026, "活动-2026-样例");
    assert_eq!(item["pages"].as_u64().unwrap(), total, "{item}");
    assert!(
        item["remarks"].as_str().unwrap().contains("含重大事项报告"),
        "{item}"
    );
}

/// The EICAR anti-virus test string: harmless, and reported by every virus scanner.
const EICAR: &str = r"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

/// A one-page PDF whose catalog carries `extra` and whose further objects are `more`.
fn tiny_pdf(extra: &str, more: &[&str]) -> Vec<u8> {
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R {extra} >>"),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_string(),
    ];
    objects.extend(more.iter().map(|s| s.to_string()));
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for at in offsets {
        pdf.extend(format!("{at:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A real PDF of dashi's with every stream's bytes overwritten (same lengths, so the
/// cross-reference still points right): it parses, and draws as nothing.
fn destroyed_streams(pdf: &[u8]) -> Vec<u8> {
    let mut out = pdf.to_vec();
    let mut from = 0;
    while let Some(at) = find_bytes(&out[from..], b"stream\n") {
        let start = from + at + 7;
        let Some(len) = find_bytes(&out[start..], b"endstream") else {
            break;
        };
        for b in &mut out[start..start + len.saturating_sub(1)] {
            *b = b'x';
        }
        from = start + len + 9;
    }
    out
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// An OFD document (GB/T 33190): a zip whose root holds OFD.xml.
fn ofd() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("OFD.xml", options).unwrap();
    std::io::Write::write_all(
        &mut zip,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>".as_bytes(),
    )
    .unwrap();
    zip.start_file("Doc_0/Document.xml", options).unwrap();
    std::io::Write::write_all(&mut zip, b"<ofd:Document/>").unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

#[test]
fn record_add_refuses_a_file_that_would_fail_the_four_properties_and_names_it() {
    let p = sample_archive();
    new_record(&p, "荣誉", "荣誉.toml");
    let sample = std::fs::read_to_string(p.path("rec/荣誉.toml")).unwrap();
    let real = std::fs::read(find(&p.path("out"), "01-申报材料真实性承诺书.pdf")).unwrap();
    let mut appended = real.clone();
    appended.extend_from_slice(EICAR.as_bytes());
    let noise: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("截断.pdf", real[..real.len() / 3].to_vec(), "PDF"),
        (
            "乱码.pdf",
            [b"%PDF-".as_slice(), &noise].concat(),
            "PDF 无法解析",
        ),
        ("流损坏.pdf", destroyed_streams(&real), "无法解码"),
        ("随机.jpg", noise.clone(), "不是档案收存的格式"),
        (
            "程序.exe",
            [b"MZ\x90\0".as_slice(), &noise].concat(),
            "可执行程序",
        ),
        ("测试.txt", EICAR.as_bytes().to_vec(), "EICAR"),
        ("测试.com", EICAR.as_bytes().to_vec(), ".com"),
        ("附加.pdf", appended, "EICAR"),
        (
            "脚本.pdf",
            tiny_pdf(
                "/OpenAction << /S /J#61vaScript /JS (app.alert\\(1\\)) >>",
                &[],
            ),
            "JavaScript",
        ),
    ];
    for (name, bytes, why) in cases {
        std::fs::write(p.path(&format!("rec/{name}")), &bytes).unwrap();
        let id = format!("荣誉-{}", name.replace('.', "-"));
        let text = sample
            .replace("荣誉-2026-样例", &id)
            .replace("荣誉-荣誉证书.jpg", name);
        std::fs::write(p.path(&format!("rec/{id}.toml")), text).unwrap();
        let before = std::fs::read(p.path("A/inventory.json")).unwrap();
        let run = dashi(p.dir(), &["record", "add", "A", &format!("rec/{id}.toml")]);
        assert_eq!(run.code, 1, "{name}: {run:?}");
        crate::util::assert_fired(&run, "R313");
        assert!(
            run.stdout.contains(name) && run.stdout.contains(why),
            "{name}: {}",
            run.stdout
        );
        assert_eq!(std::fs::read(p.path("A/inventory.json")).unwrap(), before);
    }
    // A name with a right-to-left override (shows as 证书exe.jpg) is refused, shown
    // escaped.
    let name = "证书\u{202e}gpj.exe";
    std::fs::write(p.path(&format!("rec/{name}")), tiny_pdf("", &[])).unwrap();
    let text = sample
        .replace("荣誉-2026-样例", "荣誉-反向")
        .replace("荣誉-荣誉证书.jpg", name);
    std::fs::write(p.path("rec/荣誉-反向.toml"), text).unwrap();
    let run = dashi(p.dir(), &["record", "add", "A", "rec/荣誉-反向.toml"]);
    assert_eq!(run.code, 1, "{run:?}");
    crate::util::assert_fired(&run, "R304");
    assert!(
        run.stdout.contains("证书<U+202E>gpj.exe") && !run.stdout.contains('\u{202e}'),
        "{}",
        run.stdout
    );
    // An OFD document is a 版式 format the archive keeps.
    std::fs::write(p.path("rec/证书.ofd"), ofd()).unwrap();
    let text = sample
        .replace("荣誉-2026-样例", "荣誉-OFD")
        .replace("荣誉-荣誉证书.jpg", "证书.ofd");
    std::fs::write(p.path("rec/荣誉-OFD.toml"), text).unwrap();
    let run = dashi(p.dir(), &["record", "add", "A", "rec/荣誉-OFD.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(dashi(p.dir(), &["archive", "commit", "A"]).code, 0);
    let (run, report) = four(&p, "A", &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(item(&report, "内容数据格式检测")["outcome"], "通过");
}

/// The text after `label` on its line of `stdout`.
fn printed_after(stdout: &str, label: &str) -> String {
    let at = stdout
        .find(label)
        .unwrap_or_else(|| panic!("no {label} in {stdout}"))
        + label.len();
    stdout[at..].lines().next().unwrap().trim().to_string()
}

/// A copy of a folder.
fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Writes a package's SHA256SUMS again from its files (as a forger would).
fn resum(dir: &Path) {
    let out = Command::new("sh")
        .args(["-c", "find . -type f ! -name SHA256SUMS | sed 's|^./||' | LC_ALL=C sort | xargs -d '\\n' sha256sum > SHA256SUMS"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// 4-1 and 4-2 run ClamAV where `clamscan` is on PATH, and say 人工检测 and 未检测
/// where it is not; the 结论 is then never 通过. The ClamAV here is the real one, given
/// a signature database of one entry: the digest of a file stored in the archive.
#[test]
fn an_antivirus_is_run_where_there_is_one_and_said_undone_where_not() {
    use md5::Digest;
    let p = filed_activity();
    let (run, report) = four_with_path(&p, "/nonexistent");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(item(&report, "杀毒软件检测")["outcome"], "人工检测");
    assert_eq!(item(&report, "杀毒软件检测")["number"], "4-1");
    assert_eq!(item(&report, "病毒检测")["outcome"], "未检测");
    let conclusion = report["conclusion"].as_str().unwrap();
    assert!(
        conclusion.contains("1 项未检测")
            && conclusion.contains("人工检测 1 项待填写")
            && !conclusion.starts_with("通过"),
        "{conclusion}"
    );
    assert!(run.stdout.is_empty() || !run.stdout.contains("结论：通过"));

    let clamscan = Path::new("/usr/bin/clamscan");
    assert!(
        clamscan.is_file(),
        "ClamAV is needed: apt-get install clamav"
    );
    let stored = find(&p.path("A"), ".jpg");
    let bytes = std::fs::read(&stored).unwrap();
    let md5 = hex(&md5::Md5::digest(&bytes));
    let bin = p.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let database = p.path("签名.hdb");
    let wrapper = bin.join("clamscan");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nexec /usr/bin/clamscan --database='{}' \"$@\"\n",
            database.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = bin.to_str().unwrap();
    // A database that matches nothing stored: clean.
    std::fs::write(&database, format!("{}:1:Dashi.Test.None\n", "0".repeat(32))).unwrap();
    let (run, report) = four_with_path(&p, path);
    let scan = item(&report, "病毒检测");
    assert_eq!(scan["outcome"], "通过", "{scan}");
    assert!(
        scan["note"].as_str().unwrap().contains("未发现病毒"),
        "{scan}"
    );
    assert!(
        item(&report, "杀毒软件检测")["note"]
            .as_str()
            .unwrap()
            .contains("ClamAV"),
        "{report}"
    );
    assert_eq!(report["conclusion"], "通过", "{}", run.stdout);
    // One that matches a stored photo: that file is named, and the 结论 is 不通过.
    std::fs::write(
        &database,
        format!("{md5}:{}:Dashi.Test.Photo\n", bytes.len()),
    )
    .unwrap();
    let (run, report) = four_with_path(&p, path);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let scan = item(&report, "病毒检测");
    assert_eq!(scan["outcome"], "不通过", "{scan}");
    let name = stored.file_name().unwrap().to_string_lossy().into_owned();
    let faults = scan["faults"].to_string();
    assert!(
        faults.contains("Dashi.Test.Photo") && faults.contains(&name),
        "{faults}"
    );
    assert_eq!(report["conclusion"], "不通过");
}

fn four_with_path(p: &Project, path: &str) -> (Run, serde_json::Value) {
    let run = crate::util::dashi_env(
        p.dir(),
        ("PATH", path),
        &["verify", "A", "--四性", "--json"],
    );
    run.assert_no_panic();
    let value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"));
    (run, value)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An archive whose root inventory is gone is a damaged archive, not "not an archive":
/// its 检测 runs on the newest version's copy and is 不通过, naming what is missing.
#[test]
fn a_damaged_archive_gets_a_failing_report_that_names_what_is_missing() {
    let p = filed_activity();
    std::fs::remove_file(p.path("A/inventory.json")).unwrap();
    let (run, report) = four(&p, "A", &["--环节", "长期保存"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(report["conclusion"], "不通过");
    let structure = item(&report, "信息包结构检测");
    assert_eq!(structure["outcome"], "不通过", "{structure}");
    let faults = structure["faults"].to_string();
    assert!(
        faults.contains("inventory.json") && faults.contains("v2/inventory.json"),
        "{faults}"
    );
    // Everything else is still judged: the files themselves are whole.
    assert_eq!(item(&report, "内容数据可读性检测")["outcome"], "通过");
    // The 长期保存 环节 leaves the description rules of 归档 alone.
    assert!(!checks(&report, "档号规范性检测"), "{report}");
}

/// DA/T 22 lets the 全宗号 wait for the archive to give it: until then the 档号 has no
/// 全宗号 segment; once given it reaches every 件 at the next 归档 (no volume mixes
/// codes), a later change is noted in each 件's 备注, and it can never be blanked.
#[test]
fn the_fonds_is_blank_until_given_then_reaches_every_item() {
    let p = filed_activity();
    let activity = |p: &Project| described(&p.path("A"), 2026, "活动-2026-样例");
    let code = activity(&p)["archival_code"].as_str().unwrap().to_string();
    assert!(code.starts_with("WS·2026-D30-GZS-"), "{code}");
    assert_eq!(activity(&p)["fonds"], "");
    let (run, report) = four(&p, "A", &[]);
    assert_eq!(
        item(&report, "档号规范性检测")["outcome"],
        "通过",
        "{}",
        run.stdout
    );

    for fonds in ["J001", "J002"] {
        let run = dashi(p.dir(), &["archive", "set", "A", "--全宗号", fonds]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(dashi(p.dir(), &["archive", "commit", "A"]).code, 0);
        for id in ["活动-2026-样例", "申报"] {
            let code = described(&p.path("A"), 2026, id)["archival_code"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(
                code.starts_with(&format!("{fonds}-WS·2026-")),
                "{id}: {code}"
            );
        }
        let (run, report) = four(&p, "A", &[]);
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert_eq!(item(&report, "档号规范性检测")["outcome"], "通过");
    }
    let remarks = activity(&p)["remarks"].as_str().unwrap().to_string();
    assert!(remarks.contains("全宗号由 J001 更改为 J002"), "{remarks}");
    let run = dashi(p.dir(), &["archive", "set", "A", "--全宗号", ""]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("不能清空"), "{run:?}");
}

/// 过程信息 (DA/T 70 2-5): until the archive room names its 经办人, a version is by the
/// account logged in at the computer, marked as an account's name; with no account, by
/// the applying unit's contact; once named, by the 经办人. The 检测报告 lists all three.
#[test]
fn versions_are_by_the_account_logged_in_until_the_room_names_an_operator() {
    use crate::util::{BAG, dashi_as};
    let p = Project::sample();
    let by = |account: Option<&str>, args: &[&str]| {
        let run = dashi_as(p.dir(), NOW, account, args);
        assert_eq!(run.code, 0, "{run:?}");
        run
    };
    by(None, &["build", "studio.toml", "-o", "out"]);
    let bag = format!("out/{BAG}.zip");
    by(None, &["archive", "init", "A", "--from", &bag]);
    new_record(&p, "活动", "活动.toml");
    new_record(&p, "荣誉", "荣誉.toml");
    by(Some("zhaolj"), &["record", "add", "A", "rec/活动.toml"]);
    by(Some("zhaolj"), &["archive", "commit", "A"]);
    let listed = by(Some("zhaolj"), &["archive", "set", "A"]).stdout;
    assert!(
        listed.contains("经办人：（未设置，记本机登录账户名）"),
        "{listed}"
    );
    by(
        Some("zhaolj"),
        &["archive", "set", "A", "--经办人", "李档案"],
    );
    by(Some("zhaolj"), &["record", "add", "A", "rec/荣誉.toml"]);
    by(Some("zhaolj"), &["archive", "commit", "A"]);

    let log = by(None, &["archive", "log", "A", "--json"]).stdout;
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    let users: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["user"].as_str().unwrap())
        .collect();
    assert_eq!(
        users,
        [
            "赵丽娟（呼和浩特市青城装备制造有限公司）",
            "zhaolj（系统账户）",
            "李档案"
        ],
        "{log:#}"
    );
    let (run, report) = four(&p, "A", &[]);
    let info = item(&report, "过程信息完整性检测");
    assert_eq!(info["outcome"], "通过", "{}", run.stdout);
    assert!(
        info["note"].as_str().unwrap().ends_with(
            "经办人：赵丽娟（呼和浩特市青城装备制造有限公司）、zhaolj（系统账户）、李档案"
        ),
        "{info:#}"
    );
}

/// 2-9 归档范围 (第十一条): a 件 whose kind the 专门档案 does not hold (its description
/// forged, digests and all), or an archive without its application, fails the item,
/// named; 2-10 fails for a version without its own inventory. A sound archive passes
/// both, and 3-2 (no database) is 不适用. 长期保存 does not judge the scope again. On
/// paper, no item's name ends a page without its method.
#[test]
fn a_piece_outside_the_scope_or_a_lost_version_inventory_fails_2_9_or_2_10() {
    let p = filed_activity();
    let (run, good) = four(&p, "A", &["-o", "检测报告.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // On paper, no item's name ends a page without its method.
    let text = tool("pdftotext", &["-raw", "检测报告.pdf", "-"], p.dir());
    let pages: Vec<String> = text
        .split('\u{c}')
        .map(|page| page.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    for check in good["checks"].as_array().unwrap() {
        let named = format!(
            "{}{}",
            check["number"].as_str().unwrap(),
            check["item"].as_str().unwrap()
        )
        .replace(' ', "");
        let method: String = check["method"]
            .as_str()
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(8)
            .collect();
        let page = pages
            .iter()
            .position(|pg| pg.contains(&named))
            .unwrap_or_else(|| panic!("{named}: {text}"));
        assert!(
            pages[page].contains(&format!("方法：{method}")),
            "{named} ends page {} without its method",
            page + 1
        );
    }
    let scope = item(&good, "归档范围检测");
    assert_eq!(scope["number"], "2-9", "{scope}");
    assert_eq!(scope["outcome"], "通过", "{scope}");
    let database = item(&good, "目标数据库中的元数据可访问性检测");
    assert_eq!(
        (&database["number"], &database["outcome"]),
        (&"3-2".into(), &"不适用".into()),
        "{database}"
    );
    let (_, keeping) = four(&p, "A", &["--环节", "保存"]);
    assert!(!checks(&keeping, "归档范围检测"), "{keeping:#}");

    let code = good_code(&good, &p, "活动-2026-样例");
    forge_description(&p, "B", "\"kind\": \"活动\"", "\"kind\": \"其他\"");
    let (run, report) = four(&p, "B", &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(item(&report, "固化信息有效性检测")["outcome"], "通过");
    let named = faults(&report, "归档范围检测");
    assert!(
        named.contains(&code) && named.contains("类别“其他”不在专门档案的归档范围内"),
        "{named}"
    );

    // The application (申报表, 第十一条) filed as something else: the archive lacks it.
    forge_description(&p, "C", "\"kind\": \"申报\"", "\"kind\": \"报告\"");
    let (run, report) = four(&p, "C", &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let named = faults(&report, "归档范围检测");
    assert!(named.contains("档案中没有申报材料（第十一条"), "{named}");

    // 2-10: a version's own inventory gone (OCFL only warns, W010).
    let v2 = item(&good, "信息包元数据完整性检测");
    assert_eq!(
        (&v2["number"], &v2["outcome"]),
        (&"2-10".into(), &"通过".into()),
        "{v2}"
    );
    copy_archive(&p, "D");
    for file in ["inventory.json", "inventory.json.sha512"] {
        std::fs::remove_file(p.path("D/v1").join(file)).unwrap();
    }
    let (run, report) = four(&p, "D", &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let named = faults(&report, "信息包元数据完整性检测");
    assert!(
        named.contains("v1") && named.contains("inventory.json"),
        "{named}"
    );
}

/// A copy `name` of the archive `A` whose 2026 归档信息 says `to` where it said `from`
/// (once), its digests rewritten in every inventory: a forgery only reading shows.
fn forge_description(p: &Project, name: &str, from: &str, to: &str) {
    copy_archive(p, name);
    let file = description_file(&p.path(name), 2026);
    let old = std::fs::read(&file).unwrap();
    let text = String::from_utf8(old.clone()).unwrap();
    assert!(text.contains(from), "{text}");
    let new = text.replacen(from, to, 1).into_bytes();
    std::fs::write(&file, &new).unwrap();
    let (old512, old256) = digests(&old);
    let (new512, new256) = digests(&new);
    rewrite_inventories(&p.path(name), &[(old512, new512), (old256, new256)]);
}
