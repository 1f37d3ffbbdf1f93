//! `dashi ledger`: five years of a bureau with 12 studios made by `dashi init`, each
//! with a small archive; two 考核 rounds with hand-edited figures caught (in the JSON,
//! in the PDF, a report of another version), 不合格 → 整改 → 合格 and 不合格 → 整改 →
//! 撤销, one 验收 and the lists of 第六条 and 第十四条; the ledger read back by ocfl-py,
//! the workbooks by openpyxl, the documents by pdftotext. Then every ledger command
//! killed at every rename.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::evaluation::photo;
use crate::intake::{build, studio, studio_name};
use crate::render::tool;
use crate::util::{Run, dashi_at};

/// Unix seconds of noon in China on `date` (`2028-12-10`).
fn epoch(date: &str) -> String {
    let parts: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
    let (y, m, d) = (parts[0] - i64::from(parts[1] <= 2), parts[1], parts[2]);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    (days * 86_400 + 4 * 3600).to_string()
}

/// `dashi args` in `dir` on `date`.
fn on(dir: &Path, date: &str, args: &[&str]) -> Run {
    let run = dashi_at(dir, &epoch(date), args);
    run.assert_no_panic();
    run
}

/// `on`, which must succeed.
fn ok(dir: &Path, date: &str, args: &[&str]) -> Run {
    let run = on(dir, date, args);
    assert_eq!(run.code, 0, "dashi {args:?}: {run:?}");
    run
}

fn write_record(dir: &Path, id: &str, body: &str) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(format!("{id}.toml"));
    std::fs::write(&path, format!("format_version = 1\nid = \"{id}\"\n{body}")).unwrap();
    path.to_str().unwrap().to_string()
}

/// A few records of `year` for studio `i`, added to its archive at the year's end:
/// two apprentices (one reaching 高级工), a rule, an innovation and an exchange with a
/// photo. `extra` apprentices more for some studios, so that the studios differ.
fn add_year(dir: &Path, i: usize, year: u32, extra: usize) {
    let rec = dir.join(format!("rec{year}"));
    let ids = [
        "150105200103150017",
        "150105200207080025",
        "150104199911120033",
    ];
    let mut apprentices = Vec::new();
    for a in 0..2 + extra {
        let agreement = format!("协议{a}.jpg");
        std::fs::create_dir_all(&rec).unwrap();
        photo(&rec.join(&agreement), (i * 50 + a) as u32 + year, None);
        apprentices.push(write_record(
            &rec,
            &format!("带徒-{year}-{a}"),
            &format!(
                "kind = \"带徒\"\ndate = \"{year}-03-1{a}\"\ntitle = \"收徒{a}\"\n[apprentice]\nname = \"学徒{year}{a}\"\nid_number = \"{}\"\noccupation = \"焊工\"\nlevel_at_start = \"中级工\"\nagreement = \"{agreement}\"\n",
                ids[a % 3]
            ),
        ));
    }
    let taken = format!("{year}:06:15 10:00:00");
    photo(
        &rec.join("交流.jpg"),
        (i * 50) as u32 + year + 7,
        Some(&taken),
    );
    let rest = vec![
        write_record(
            &rec,
            &format!("带徒进展-{year}-0"),
            &format!(
                "kind = \"带徒进展\"\ndate = \"{year}-11-20\"\ntitle = \"学徒{year}0取得高级工\"\n[progress]\napprentice = \"带徒-{year}-0\"\nname = \"学徒{year}0\"\nlevel = \"高级工\"\ncertificate_number = \"S0000150100042310{year}{i:02}\"\n"
            ),
        ),
        write_record(
            &rec,
            &format!("制度-{year}"),
            &format!(
                "kind = \"制度\"\ndate = \"{year}-01-20\"\ntitle = \"工作制度{year}\"\n[rule]\nsummary = \"带徒考核办法\"\n"
            ),
        ),
        write_record(
            &rec,
            &format!("成果-{year}"),
            &format!(
                "kind = \"成果\"\ndate = \"{year}-05-01\"\ntitle = \"工艺革新{year}\"\n[innovation]\ncategory = \"技术革新\"\nresult = \"一次合格率提高\"\nbenefit = {}\nspread = \"协作企业\"\n",
                i + 1
            ),
        ),
        write_record(
            &rec,
            &format!("活动-{year}"),
            &format!(
                "kind = \"活动\"\ndate = \"{year}-06-15\"\ntitle = \"技术交流{year}\"\n[activity]\ncategory = \"技术交流\"\nplace = \"工作室\"\nparticipants = 20\nsummary = \"交流焊接工艺\"\n[[files]]\nfile = \"交流.jpg\"\nshows = \"现场\"\n"
            ),
        ),
    ];
    let day = format!("{year}-12-05");
    for batch in [apprentices, rest] {
        let mut args = vec!["record", "add", "A"];
        args.extend(batch.iter().map(String::as_str));
        ok(dir, &day, &args);
    }
}

/// A submission for a round: the report's JSON and PDF and the export, in `sub`.
fn submit(
    dir: &Path,
    date: &str,
    sub: &Path,
    report: &[&str],
) -> BTreeMap<String, serde_json::Value> {
    std::fs::create_dir_all(sub).unwrap();
    let pdf = sub.join("报告.pdf");
    let mut args = vec!["report", "A", "--json", "-o", pdf.to_str().unwrap()];
    args.extend_from_slice(report);
    let run = ok(dir, date, &args);
    std::fs::write(sub.join("报告.json"), &run.stdout).unwrap();
    let zip = sub.join("导出.zip");
    ok(
        dir,
        date,
        &["archive", "export", "A", "-o", zip.to_str().unwrap()],
    );
    serde_json::from_str(&run.stdout).unwrap()
}

/// Fills every 专家评分表 in `dir` with openpyxl: each indicator scored `share` of its
/// weight (`shares` by studio number, else 0.85).
fn score_all(dir: &Path, shares: &[(&str, f64)]) {
    let shares: String = shares
        .iter()
        .map(|(id, s)| format!("'{id}': {s},"))
        .collect();
    let script = format!(
        r#"
import glob, openpyxl
shares = {{{shares}}}
for path in sorted(glob.glob('*.xlsx')):
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    score, weight = header.index('专家评分') + 1, header.index('分值') + 1
    studio = next(r[1] for r in ws.iter_rows(values_only=True) if r[0] == '工作室编号')
    for r in range(2, ws.max_row + 1):
        w = ws.cell(r, weight).value
        if isinstance(w, (int, float)):
            ws.cell(r, score).value = round(w * shares.get(studio, 0.85), 2)
    wb.save(path)
"#
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .current_dir(dir)
        .output()
        .expect("python3 with openpyxl (tests/run installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The rows of a workbook's first sheet, read by openpyxl, cells joined by tabs.
fn xlsx_rows(path: &Path) -> Vec<String> {
    let script = r#"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
for row in ws.iter_rows(values_only=True):
    print('\t'.join('' if c is None else str(c) for c in row).replace('\n', ' '))
"#;
    let out = Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// A PDF's text as pdftotext reads it, without whitespace.
fn pdf_text(root: &Path, pdf: &str) -> String {
    tool("pdftotext", &["-layout", pdf, "-"], root)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A ledger begun on 2026-11-20 and entered from the list `名单.csv` on 2026-12-01.
fn ledger_from_list(root: &Path) {
    ok(
        root,
        "2026-11-20",
        &["ledger", "init", "台账", "--经办人", "张敏"],
    );
    ok(
        root,
        "2026-12-01",
        &[
            "ledger",
            "enter",
            "台账",
            "--list",
            "名单.csv",
            "--经办人",
            "张敏",
        ],
    );
}

/// The ledger is whole: dashi verifies it, ocfl-py finds it valid without a warning.
fn ledger_valid(root: &Path) {
    let run = on(root, "2031-12-01", &["verify", "台账"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("OCFL 对象（台账）"), "{run:?}");
    assert!(run.stdout.contains("台账完好：0 个错误"), "{run:?}");
    crate::archive::ocfl_validate_object(root, "台账");
}

/// The first line a round prints under the studio numbered `id` (its first finding).
fn finding_after<'a>(stdout: &'a str, id: &str) -> &'a str {
    stdout
        .lines()
        .skip_while(|l| !l.contains(id))
        .nth(1)
        .unwrap_or_else(|| panic!("nothing under {id}: {stdout}"))
}

/// What the ledger's status says on `date`.
fn status(root: &Path, date: &str) -> String {
    ok(root, date, &["ledger", "status", "台账", "--date", date]).stdout
}

/// Studio `i`'s data file rewritten for a new master (`name`, `id`, born `birth`):
/// its studio name by 附件3 第1项, the old names confirmed where they rightly stay.
/// Returns the former master's ID.
fn new_master(dir: &Path, i: usize, name: &str, id: &str, birth: &str, female: bool) -> String {
    let data = std::fs::read_to_string(dir.join("studio.toml")).unwrap();
    let old_id =
        crate::intake::with_check_digit(&format!("15010519780512{:03}", 101 + 2 * i)[..17]);
    assert!(data.contains(&old_id));
    let former = crate::intake::NAMES[i];
    let mut changed = data
        .replace(&old_id, id)
        .replacen(
            &format!("name = \"{former}\""),
            &format!("name = \"{name}\""),
            1,
        )
        .replacen(
            &format!("name = \"{}\"", studio_name(i)),
            &format!("name = \"呼和浩特市{name}技能大师工作室\""),
            1,
        )
        .replacen("birth = \"1978-05\"", &format!("birth = \"{birth}\""), 1)
        .replacen("work_start = \"1996-07\"", "work_start = \"2006-07\"", 1);
    if female {
        changed = changed.replacen("sex = \"男\"", "sex = \"女\"", 1);
    }
    let text = format!(
        "confirmed_names = [\"{former}\", \"{}\"]\n{changed}",
        studio_name(i)
    );
    std::fs::write(dir.join("studio.toml"), text).unwrap();
    old_id
}

/// The sealed 变更领办人申请 of studio `i` (numbered `number`), its data file already
/// naming the new master: the zip's path.
fn change_request(dir: &Path, i: usize, number: &str, former_id: &str, date: &str) -> String {
    std::fs::write(
        dir.join("变更申请.toml"),
        format!(
            "format_version = 1\nstudio_number = \"{number}\"\nformer_master = \"{}\"\nformer_id_number = \"{former_id}\"\nreason = \"调离\"\nleft_on = \"{date}\"\nexplanation = \"原领办人调离本单位。\"\n",
            crate::intake::NAMES[i]
        ),
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(dir.join("变更"));
    ok(
        dir,
        date,
        &[
            "change",
            "studio.toml",
            "--request",
            "变更申请.toml",
            "-o",
            "变更",
        ],
    );
    std::fs::read_dir(dir.join("变更"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "zip"))
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn five_years_of_a_bureau_with_twelve_studios() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // 认定: twelve studios received, decided and entered.
    let studios: Vec<PathBuf> = (0..12).map(|i| studio(root, i)).collect();
    let zips: Vec<PathBuf> = studios.iter().map(|d| build(d).0).collect();
    let mut args = vec!["intake".to_string()];
    args.extend(zips.iter().map(|z| z.to_str().unwrap().to_string()));
    args.extend([
        "-o".into(),
        "受理".into(),
        "--received".into(),
        "2026-11-10".into(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(root, "2026-11-10", &args);
    let mut decisions = String::from("工作室名称,决定\n");
    for i in 0..12 {
        decisions.push_str(&format!("{},拟认定\n", studio_name(i)));
    }
    std::fs::write(root.join("决定.csv"), decisions).unwrap();
    ok(
        root,
        "2026-11-20",
        &["ledger", "init", "台账", "--经办人", "张敏"],
    );
    let run = ok(
        root,
        "2026-12-01",
        &[
            "ledger",
            "enter",
            "台账",
            "--intake",
            "受理",
            "--decisions",
            "决定.csv",
            "--经办人",
            "张敏",
        ],
    );
    assert!(run.stdout.contains("已录入 12 个工作室"), "{run:?}");
    // Entering again changes nothing.
    let again = ok(
        root,
        "2026-12-02",
        &[
            "ledger",
            "enter",
            "台账",
            "--intake",
            "受理",
            "--decisions",
            "决定.csv",
            "--经办人",
            "张敏",
        ],
    );
    assert!(again.stdout.contains("台账未改变"), "{again:?}");
    // Each studio's number, from intake.
    let intake: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("受理/intake.json")).unwrap())
            .unwrap();
    let number: Vec<String> = (0..12)
        .map(|i| {
            intake["submissions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["facts"]["studio"] == studio_name(i).as_str())
                .unwrap()["number"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();

    // Funds paid to two studios (第十六条); studio 0 records what it received.
    for (i, voucher) in [(0, "呼财2027-001"), (1, "呼财2027-002")] {
        let args = [
            "ledger",
            "funds",
            "台账",
            "--studio",
            &number[i],
            "--amount",
            "5",
            "--voucher",
            voucher,
            "--date",
            "2027-01-10",
            "--经办人",
            "张敏",
        ];
        ok(root, "2027-01-10", &args);
        // Entered once, however often it is run.
        assert!(ok(root, "2027-01-10", &args).stdout.contains("此前已记入"));
    }
    // Two years of records in every archive.
    for (i, dir) in studios.iter().enumerate() {
        let zip = zips[i].to_str().unwrap();
        ok(dir, "2026-12-05", &["archive", "init", "A", "--from", zip]);
        if i == 0 {
            let rec = dir.join("rec-fund");
            std::fs::create_dir_all(&rec).unwrap();
            photo(&rec.join("凭证.jpg"), 999, None);
            let fund = write_record(
                &rec,
                "经费-2027-1",
                "kind = \"经费\"\ndate = \"2027-01-15\"\ntitle = \"收到市级补助资金\"\n[fund]\ndirection = \"收入\"\namount = 5.0\npurpose = \"高技能人才培养补助项目资金\"\n[[files]]\nfile = \"凭证.jpg\"\nshows = \"到账凭证\"\n",
            );
            ok(dir, "2027-01-20", &["record", "add", "A", &fund]);
        }
        add_year(dir, i, 2027, i % 3);
        add_year(dir, i, 2028, i % 2);
    }

    // What falls due: the first 考核 and 验收 of all twelve, on 2028-12-01.
    let due = status(root, "2028-11-15");
    assert_eq!(
        due.matches("已拨付资金 5 万元，待验收时对照经费记录核算（第十六条）")
            .count(),
        2,
        "{due}"
    );
    assert_eq!(due.matches("考核（第十二条）").count(), 12, "{due}");
    assert_eq!(due.matches("验收（第十条）").count(), 12, "{due}");
    assert!(
        due.contains("2028-12-01") && due.contains("16 天后到期"),
        "{due}"
    );

    // Round 1 (考核, 2028): every studio submits; three submissions are not what their
    // records say.
    let r1 = root.join("报送2028");
    for (i, dir) in studios.iter().enumerate() {
        let sub = r1.join(format!("s{i:02}"));
        submit(
            dir,
            "2028-12-08",
            &sub,
            &["--from", "2026-12", "--to", "2028-11"],
        );
        if i == 3 {
            // A figure changed by hand in the JSON.
            let path = sub.join("报告.json");
            let mut json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(json["years"][1]["year"], 2027);
            json["years"][1]["trained"] = serde_json::json!(5);
            std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
        }
        if i == 5 {
            // A record added after the report: the export is of a later version.
            let extra = write_record(
                &dir.join("rec-late"),
                "制度-2028-late",
                "kind = \"制度\"\ndate = \"2028-12-06\"\ntitle = \"补充制度\"\n[rule]\nsummary = \"补充\"\n",
            );
            ok(dir, "2028-12-09", &["record", "add", "A", &extra]);
            let zip = sub.join("导出.zip");
            ok(
                dir,
                "2028-12-09",
                &["archive", "export", "A", "-o", zip.to_str().unwrap()],
            );
        }
        if i == 6 {
            // An archive begun from another application of the same studio (one phone
            // number changed, so another seal): its report is consistent in itself.
            let other = dir.join("另一份");
            std::fs::create_dir_all(&other).unwrap();
            let data = std::fs::read_to_string(dir.join("studio.toml")).unwrap();
            let phone = data
                .lines()
                .find_map(|l| l.strip_prefix("mobile = \""))
                .unwrap()
                .trim_end_matches('"')
                .to_string();
            let changed = data.replacen(&phone, "13900000000", 1);
            assert_ne!(changed, data);
            std::fs::write(dir.join("studio.toml"), changed).unwrap();
            let (zip, _) = build(dir);
            std::fs::write(dir.join("studio.toml"), data).unwrap();
            ok(
                dir,
                "2026-12-05",
                &[
                    "archive",
                    "init",
                    "另一份/A",
                    "--from",
                    zip.to_str().unwrap(),
                ],
            );
            let copy = Command::new("cp")
                .args(["-a", "rec2027", "rec2028", "另一份/"])
                .current_dir(dir)
                .status()
                .unwrap();
            assert!(copy.success());
            for year in [2027, 2028] {
                let files: Vec<String> = std::fs::read_dir(other.join(format!("rec{year}")))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .map(|p| p.to_str().unwrap().to_string())
                    .collect();
                let (first, rest): (Vec<&String>, Vec<&String>) =
                    files.iter().partition(|f| f.contains("/带徒-"));
                for batch in [first, rest] {
                    let mut args = vec!["record", "add", "A"];
                    args.extend(batch.iter().map(|s| s.as_str()));
                    ok(&other, &format!("{year}-12-05"), &args);
                }
            }
            submit(
                &other,
                "2028-12-08",
                &sub,
                &["--from", "2026-12", "--to", "2028-11"],
            );
        }
    }
    let run = on(
        root,
        "2028-12-10",
        &[
            "ledger",
            "round",
            "台账",
            "报送2028",
            "--kind",
            "考核",
            "-o",
            "考核2028",
            "--经办人",
            "张敏",
        ],
    );
    assert_eq!(run.code, 1, "a round with findings exits 1: {run:?}");
    assert!(
        run.stdout
            .contains("共 12 份报送：核对 12 份，其中 3 份与记录不符"),
        "{run:?}"
    );
    let s3 = finding_after(&run.stdout, &number[3]);
    assert!(
        s3.contains("2027 年带徒人数：报告为“5”，由档案记录计算为“2”")
            && s3.contains("带徒-2027-0"),
        "{s3}"
    );
    assert!(run.stdout.contains("报告所依据的档案版本"), "{run:?}");
    let s6 = finding_after(&run.stdout, &number[6]);
    assert!(
        s6.contains("档案的来源") && s6.contains("不是由认定时的申报材料建立的"),
        "{s6}"
    );
    // The 汇总表, read back by openpyxl: one row per studio and year.
    let rows = xlsx_rows(&root.join("考核2028/考核汇总表.xlsx"));
    let of = |id: &str| {
        rows.iter()
            .filter(|r| r.starts_with(id))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(of(&number[0]).len(), 3, "{rows:#?}");
    assert!(of(&number[0])[0].contains("与档案记录一致"), "{rows:#?}");
    assert!(of(&number[3])[0].contains("处与档案记录不符"), "{rows:#?}");
    // The 经费 of each year (第四章): studio 0 recorded the 5 万元 it received in 2027.
    assert!(
        of(&number[0])[1].contains("\t2027\t") && of(&number[0])[1].contains("收 5 / 支 0"),
        "{rows:#?}"
    );
    let pdf = pdf_text(root, "考核2028/考核汇总表.pdf");
    assert!(
        pdf.contains("与档案记录不符之处") && pdf.contains("报告为“5”"),
        "{pdf}"
    );
    let sheets: Vec<_> = std::fs::read_dir(root.join("考核2028/专家评分表"))
        .unwrap()
        .collect();
    assert_eq!(sheets.len(), 12);

    // Results: studios 7 and 8 fail.
    score_all(
        &root.join("考核2028/专家评分表"),
        &[(&number[7], 0.4), (&number[8], 0.45)],
    );
    let run = ok(
        root,
        "2028-12-20",
        &[
            "ledger",
            "results",
            "台账",
            "考核2028/专家评分表",
            "--kind",
            "考核",
            "-o",
            "考核2028/通知",
            "--经办人",
            "张敏",
        ],
    );
    assert!(
        run.stdout.contains(&format!(
            "{}  40 分，不合格，限期 2029-03-20 前整改",
            number[7]
        )),
        "{run:?}"
    );
    let notice = pdf_text(
        root,
        &format!(
            "考核2028/通知/{}-{}-限期整改通知书.pdf",
            number[7],
            studio_name(7)
        ),
    );
    assert!(
        notice.contains("2029年3月20日前完成整改")
            && notice.contains("年均")
            && notice.contains("得分40分"),
        "{notice}"
    );
    let due = status(root, "2029-03-01");
    assert!(
        due.contains(&format!("{}  {}  整改期满", number[7], studio_name(7))),
        "{due}"
    );

    // 验收 of studio 0.
    let acc = root.join("验收2028/s00");
    submit(
        &studios[0],
        "2028-12-12",
        &acc,
        &["--kind", "验收", "--to", "2028-11"],
    );
    ok(
        root,
        "2028-12-15",
        &[
            "ledger",
            "round",
            "台账",
            "验收2028/s00",
            "--kind",
            "验收",
            "-o",
            "验收2028/out",
            "--经办人",
            "张敏",
        ],
    );
    score_all(&root.join("验收2028/out/专家评分表"), &[]);
    ok(
        root,
        "2028-12-28",
        &[
            "ledger",
            "results",
            "台账",
            "验收2028/out/专家评分表",
            "--kind",
            "验收",
            "-o",
            "验收2028/out",
            "--经办人",
            "张敏",
        ],
    );

    // 整改 and 复核: studio 7 passes, studio 8 fails again and is revoked.
    for i in [7, 8] {
        let extra = write_record(
            &studios[i].join("rec-fix"),
            "制度-2029-fix",
            "kind = \"制度\"\ndate = \"2029-02-01\"\ntitle = \"整改制度\"\n[rule]\nsummary = \"整改\"\n",
        );
        ok(&studios[i], "2029-03-01", &["record", "add", "A", &extra]);
        // The 整改报告 answers the indicators of the notice: all ten for studio 7,
        // only two of them for studio 8.
        let failed = if i == 7 {
            "A1,A2,B1,B2,C1,C2,D1,D2,E1,E2"
        } else {
            "C1,E1"
        };
        let sub = root.join(format!("复核/s{i:02}"));
        submit(
            &studios[i],
            "2029-03-05",
            &sub,
            &[
                "--kind", "整改", "--from", "2028-12", "--to", "2029-02", "--failed", failed,
            ],
        );
        let text = pdf_text(&sub, "报告.pdf");
        assert!(
            text.contains("整改报告") && text.contains("七、整改对照") && text.contains("整改期内"),
            "{text}"
        );
    }
    let run = on(
        root,
        "2029-03-10",
        &[
            "ledger",
            "round",
            "台账",
            "复核",
            "--kind",
            "整改复核",
            "-o",
            "复核/out",
            "--经办人",
            "张敏",
        ],
    );
    assert!(
        run.stdout.contains(&format!(
            "{}  {}：报告与档案记录一致",
            number[7],
            studio_name(7)
        )),
        "{run:?}"
    );
    let s8 = finding_after(&run.stdout, &number[8]);
    assert!(
        s8.contains("整改报告对照的指标") && s8.contains("A1"),
        "{s8}"
    );
    score_all(&root.join("复核/out/专家评分表"), &[(&number[8], 0.5)]);
    ok(
        root,
        "2029-03-15",
        &[
            "ledger",
            "results",
            "台账",
            "复核/out/专家评分表",
            "--kind",
            "整改复核",
            "-o",
            "复核/out",
            "--经办人",
            "张敏",
        ],
    );
    let due = status(root, "2029-03-16");
    assert!(
        due.contains(&format!(
            "{}  {}  整改后仍不合格",
            number[8],
            studio_name(8)
        )),
        "{due}"
    );
    assert!(
        !due.contains(&format!("{}  {}  整改期满", number[7], studio_name(7))),
        "{due}"
    );
    // 撤销 under 第十二条（三） only for the studio that failed after 整改.
    let refused = on(
        root,
        "2029-04-01",
        &[
            "ledger",
            "revoke",
            "台账",
            "--studio",
            &number[7],
            "--case",
            "三",
            "-o",
            "撤销",
            "--经办人",
            "张敏",
        ],
    );
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused.stderr.contains("没有“整改后仍不合格”的评定"),
        "{refused:?}"
    );
    ok(
        root,
        "2029-04-01",
        &[
            "ledger",
            "revoke",
            "台账",
            "--studio",
            &number[8],
            "--case",
            "三",
            "--reason",
            "整改后复核仍不合格",
            "-o",
            "撤销",
            "--经办人",
            "张敏",
        ],
    );
    let decision = pdf_text(
        root,
        &format!("撤销/{}-{}-撤销决定.pdf", number[8], studio_name(8)),
    );
    assert!(
        decision.contains("第十二条（三）") && decision.contains("局长办公会"),
        "{decision}"
    );

    // 领办人变更 (第十二条（二）): studio 10's new master is a member of studio 11 — the
    // ID the ledger kept (as a keyed digest) from studio 11's export in round 1.
    let dir10 = &studios[10];
    let li11 = crate::intake::with_check_digit(&format!("15010219860923{:03}", 200 + 2 * 11)[..17]);
    let old_id = new_master(dir10, 10, "李红梅", &li11, "1986-09", true);
    let zip = change_request(dir10, 10, &number[10], &old_id, "2029-04-10");
    let args = [
        "ledger",
        "change",
        "台账",
        &zip,
        "--studio",
        &number[10],
        "-o",
        "变更10",
        "--经办人",
        "张敏",
    ];
    let run = on(root, "2029-04-15", &args);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains("错误[R711]：新领办人李红梅的身份证号与工作室")
            && run.stdout.contains(&number[11])
            && run.stdout.contains("待核准"),
        "{run:?}"
    );
    assert!(status(root, "2029-04-16").contains("领办人变更待核准：卫长青→李红梅"));
    let mut decide = args.to_vec();
    decide.extend(["--decision", "不予核准"]);
    ok(root, "2029-04-20", &decide);
    let refusal = pdf_text(
        root,
        &format!("变更10/{}-领办人变更不予核准.pdf", number[10]),
    );
    assert!(
        refusal.contains("不予核准") && refusal.contains("R711"),
        "{refusal}"
    );
    assert!(!status(root, "2029-04-21").contains("待核准"));

    // Two more years; round 2 (考核, 2030). Studio 2's PDF was edited by hand; studio
    // 8 (revoked) still sends one, which is refused on its own.
    for (i, dir) in studios.iter().enumerate() {
        if i != 8 {
            add_year(dir, i, 2029, 0);
            add_year(dir, i, 2030, i % 2);
        }
    }
    let due = status(root, "2030-11-15");
    assert_eq!(due.matches("考核（第十二条）").count(), 11, "{due}");
    assert!(
        !due.contains(&number[8]),
        "a revoked studio falls due for nothing: {due}"
    );
    // Studio 4 rebuilds its archive from the application, with its early records
    // rewritten: consistent in itself, but not the history it reported in 2028.
    let old = studios[4].join("A-old");
    std::fs::rename(studios[4].join("A"), &old).unwrap();
    ok(
        &studios[4],
        "2026-12-06",
        &["archive", "init", "A", "--from", zips[4].to_str().unwrap()],
    );
    for year in [2027, 2028, 2029, 2030] {
        add_year(&studios[4], 4, year, 2);
    }
    let r2 = root.join("报送2030");
    for (i, dir) in studios.iter().enumerate() {
        let sub = r2.join(format!("s{i:02}"));
        submit(
            dir,
            "2030-12-05",
            &sub,
            &["--from", "2028-12", "--to", "2030-11"],
        );
        if i == 2 {
            // The PDF of an archive with one more innovation: its printed figures differ.
            let copy = dir.join("A-copy");
            let cp = Command::new("cp")
                .arg("-a")
                .arg(dir.join("A"))
                .arg(&copy)
                .status()
                .unwrap();
            assert!(cp.success());
            let extra = write_record(
                &dir.join("rec-copy"),
                "成果-2030-extra",
                "kind = \"成果\"\ndate = \"2030-07-01\"\ntitle = \"另一项革新\"\n[innovation]\ncategory = \"技术革新\"\nresult = \"节能\"\nbenefit = 40\nspread = \"本单位\"\n",
            );
            ok(dir, "2030-12-05", &["record", "add", "A-copy", &extra]);
            let other = sub.join("报告.pdf");
            ok(
                dir,
                "2030-12-05",
                &[
                    "report",
                    "A-copy",
                    "--from",
                    "2028-12",
                    "--to",
                    "2030-11",
                    "-o",
                    other.to_str().unwrap(),
                ],
            );
        }
    }
    let run = on(
        root,
        "2030-12-10",
        &[
            "ledger",
            "round",
            "台账",
            "报送2030",
            "--kind",
            "考核",
            "-o",
            "考核2030",
            "--经办人",
            "李娜",
        ],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains("共 12 份报送：核对 11 份，其中 3 份与记录不符；1 份未能核对"),
        "{run:?}"
    );
    let s4 = finding_after(&run.stdout, &number[4]);
    assert!(s4.contains("档案的历史") && s4.contains("v2"), "{s4}");
    // Studio 6 is back on its own archive: not the history it sent in 2028.
    let s6 = finding_after(&run.stdout, &number[6]);
    assert!(s6.contains("档案的历史"), "{s6}");
    assert!(run.stdout.contains("已于 2029-04-01 撤销"), "{run:?}");
    let s2: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.contains(&number[2]))
        .skip(1)
        .take_while(|l| l.starts_with("      "))
        .collect();
    assert!(
        s2.iter().all(|l| l.contains("PDF 中的一行")) && s2.iter().any(|l| l.contains("40")),
        "only the PDF differs, and it names the figure: {s2:#?}"
    );
    score_all(&root.join("考核2030/专家评分表"), &[]);
    ok(
        root,
        "2030-12-20",
        &[
            "ledger",
            "results",
            "台账",
            "考核2030/专家评分表",
            "--kind",
            "考核",
            "-o",
            "考核2030/通知",
            "--经办人",
            "李娜",
        ],
    );

    // The lists (第六条, 第十四条) and the ledger itself, in the fifth year.
    ok(
        root,
        "2031-11-01",
        &[
            "ledger",
            "lists",
            "台账",
            "-o",
            "名单",
            "--date",
            "2031-11-01",
        ],
    );
    let recommend = xlsx_rows(&root.join("名单/自治区级推荐名单.xlsx"));
    assert!(
        recommend.iter().any(|r| r.starts_with(&number[0])),
        "{recommend:#?}"
    );
    assert_eq!(
        recommend.iter().filter(|r| r.contains("工作室\t")).count(),
        1,
        "{recommend:#?}"
    );
    let funds = xlsx_rows(&root.join("名单/资金拨付与核算.xlsx"));
    let fund = |id: &str| funds.iter().find(|r| r.starts_with(id)).unwrap().clone();
    assert!(
        fund(&number[0]).contains("收入记录与拨付相符（经费-2027-1）"),
        "{funds:#?}"
    );
    assert!(
        fund(&number[1]).contains("尚未验收") && fund(&number[1]).contains("呼财2027-002"),
        "{funds:#?}"
    );
    let masters = pdf_text(root, "名单/验收合格工作室领办人名单.pdf");
    assert!(
        masters.contains("赵振国") && masters.contains("第十四条"),
        "{masters}"
    );
    let due = status(root, "2031-11-15");
    assert!(
        !due.contains("考核（第十二条）"),
        "the next 考核 is in 2032: {due}"
    );
    ledger_valid(root);
    // The documents, for looking at as pages (docs/screens): kept where asked.
    if let Some(keep) = std::env::var_os("DASHI_KEEP_LEDGER") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        for pdf in [
            "考核2028/考核汇总表.pdf".to_string(),
            format!(
                "考核2028/通知/{}-{}-限期整改通知书.pdf",
                number[7],
                studio_name(7)
            ),
            format!("撤销/{}-{}-撤销决定.pdf", number[8], studio_name(8)),
            "名单/自治区级推荐名单.pdf".into(),
            "名单/资金拨付与核算.pdf".into(),
        ] {
            let name = Path::new(&pdf).file_name().unwrap().to_owned();
            std::fs::copy(root.join(&pdf), keep.join(name)).unwrap();
        }
    }
    let log = ok(root, "2031-11-15", &["archive", "log", "台账"]).stdout;
    assert!(
        log.contains("张敏") && log.contains("李娜"),
        "every action is attributed: {log}"
    );
}

/// How many versions (actions) the ledger in `root` holds.
fn actions(root: &Path) -> usize {
    ok(root, "2031-01-01", &["archive", "log", "台账"])
        .stdout
        .matches("（已归档）")
        .count()
}

/// Every command that changes the ledger (init, enter, round, results, funds, change,
/// revoke), killed at each of its renames in turn (strace, at the call the process
/// reaches): the ledger verifies afterwards, running the command again completes it,
/// and each action is in the ledger exactly once.
#[test]
fn every_ledger_command_killed_at_any_rename_leaves_the_ledger_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let dir = studio(root, 0);
    let (zip, _) = build(&dir);
    let zip = zip.to_str().unwrap().to_string();
    ok(
        root,
        "2026-11-10",
        &["intake", &zip, "-o", "受理", "--received", "2026-11-10"],
    );
    std::fs::write(
        root.join("决定.csv"),
        format!("工作室名称,决定\n{},拟认定\n", studio_name(0)),
    )
    .unwrap();
    ok(
        &dir,
        "2026-12-05",
        &["archive", "init", "A", "--from", &zip],
    );
    add_year(&dir, 0, 2027, 0);
    add_year(&dir, 0, 2028, 0);
    submit(
        &dir,
        "2028-12-08",
        &root.join("报送/s00"),
        &["--from", "2026-12", "--to", "2028-11"],
    );
    let by = ["--经办人", "张敏"];
    // A 领办人变更 of the studio, sealed by the studio.
    let new_id = crate::intake::with_check_digit("15010219750304123");
    let old_id = new_master(&dir, 0, "石磊", &new_id, "1975-03", false);
    let change_zip = change_request(&dir, 0, "2026-001", &old_id, "2029-01-04");
    let steps: Vec<Vec<&str>> = vec![
        vec!["ledger", "init", "台账", "--date", "2026-11-20"],
        vec![
            "ledger",
            "enter",
            "台账",
            "--intake",
            "受理",
            "--decisions",
            "决定.csv",
            "--date",
            "2026-12-01",
        ],
        vec![
            "ledger",
            "round",
            "台账",
            "报送",
            "--kind",
            "考核",
            "-o",
            "轮",
            "--date",
            "2028-12-10",
        ],
        vec![
            "ledger",
            "results",
            "台账",
            "评分",
            "--kind",
            "考核",
            "-o",
            "通知",
            "--date",
            "2028-12-20",
        ],
        vec![
            "ledger",
            "funds",
            "台账",
            "--studio",
            "2026-001",
            "--amount",
            "5",
            "--voucher",
            "呼财2027-001",
            "--date",
            "2027-01-10",
        ],
        vec![
            "ledger",
            "change",
            "台账",
            &change_zip,
            "--studio",
            "2026-001",
            "-o",
            "变更",
            "--date",
            "2029-01-05",
        ],
        vec![
            "ledger",
            "change",
            "台账",
            &change_zip,
            "--studio",
            "2026-001",
            "--decision",
            "核准",
            "-o",
            "变更",
            "--date",
            "2029-01-06",
        ],
        vec![
            "ledger",
            "revoke",
            "台账",
            "--studio",
            "2026-001",
            "--case",
            "一",
            "-o",
            "撤销",
            "--date",
            "2029-01-10",
        ],
    ];
    let ledger = root.join("台账");
    let before = root.join("台账.before");
    let mut kills = 0;
    for (k, step) in steps.iter().enumerate() {
        let args: Vec<&str> = step.iter().chain(&by).copied().collect();
        if step[1] == "results" {
            // The experts' sheets, filled once: a 不合格, so a notice is issued too.
            let cp = Command::new("cp")
                .args(["-a", "轮/专家评分表", "评分"])
                .current_dir(root)
                .status()
                .unwrap();
            assert!(cp.success());
            score_all(&root.join("评分"), &[("2026-001", 0.4)]);
        }
        for n in 1.. {
            if ledger.exists() {
                let cp = Command::new("cp")
                    .arg("-a")
                    .arg(&ledger)
                    .arg(&before)
                    .status()
                    .unwrap();
                assert!(cp.success());
            }
            let (killed, run) = crate::util::killed_at(root, "rename,renameat,renameat2", n, &args);
            if !killed {
                assert_eq!(run.code, 0, "{args:?} unkilled: {run:?}");
                assert!(n > 1, "{args:?} makes no rename");
                assert_eq!(actions(root), k + 1);
                let _ = std::fs::remove_dir_all(&before);
                break;
            }
            kills += 1;
            let at = format!("{} killed at rename #{n}", step[1]);
            if ledger.join("inventory.json").exists() {
                // Whole, or an action that stopped part way, which verify names (and
                // the next command finishes or undoes first).
                let run = on(root, "2031-01-01", &["verify", "台账"]);
                assert!(
                    run.code == 0
                        || (run.stdout.contains("有一次未完成的添加")
                            && run.stdout.contains("运行 dashi ledger status 完成或回滚")),
                    "{at}: {run:?}"
                );
                // What the ledger says is readable meanwhile.
                ok(root, "2031-01-01", &["ledger", "status", "台账"]);
            } else {
                assert_eq!(k, 0, "{at}: the ledger is gone");
            }
            // Run again: the action completes, once, and the ledger is whole.
            let again = on(root, "2031-01-01", &args);
            let whole_before = k == 0 && again.stderr.contains("已存在");
            assert!(
                again.code == 0 || whole_before,
                "{at}, run again: {again:?}"
            );
            assert_eq!(actions(root), k + 1, "{at}: each action exactly once");
            let run = on(root, "2031-01-01", &["verify", "台账"]);
            assert_eq!(run.code, 0, "{at}, run again: {run:?}");
            // Back to before the step, for the next kill.
            let _ = std::fs::remove_dir_all(&ledger);
            if before.exists() {
                std::fs::rename(&before, &ledger).unwrap();
            }
        }
    }
    println!("ledger kill sweep: {kills} kills");
    assert!(kills >= 15, "only {kills} kills");
    ledger_valid(root);
    let due = status(root, "2029-01-11");
    assert!(
        !due.contains("2026-001"),
        "the revoked studio is due for nothing: {due}"
    );
}

/// A round given broken and forged submissions beside a good one: each is that
/// submission's problem, said in words, and the good one is checked and entered. A
/// record changed in the export and the bag sealed again (bagit-python) is caught
/// against the inventory the export carries.
#[test]
fn broken_and_forged_submissions_are_each_their_own_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let dir = studio(root, 1);
    let (zip, _) = build(&dir);
    let zip = zip.to_str().unwrap().to_string();
    ok(
        &dir,
        "2026-12-05",
        &["archive", "init", "A", "--from", &zip],
    );
    add_year(&dir, 1, 2027, 0);
    add_year(&dir, 1, 2028, 0);
    let good = root.join("报送/T1");
    submit(
        &dir,
        "2028-12-08",
        &good,
        &["--from", "2026-12", "--to", "2028-11"],
    );
    let mut list = String::from("编号,工作室名称,领办人,依托单位,认定日期\n");
    for n in 1..=6 {
        list.push_str(&format!("T{n},工作室{n},领办人{n},单位{n},2026-12-01\n"));
    }
    std::fs::write(root.join("名单.csv"), list).unwrap();
    ledger_from_list(root);
    let copy = |name: &str| {
        let to = root.join("报送").join(name);
        let cp = Command::new("cp")
            .arg("-a")
            .arg(&good)
            .arg(&to)
            .status()
            .unwrap();
        assert!(cp.success());
        to
    };
    // T2: not a zip at all. T3: the JSON is not JSON. T4: no export.
    std::fs::write(copy("T2").join("导出.zip"), b"PK\x03\x04 not really").unwrap();
    std::fs::write(copy("T3").join("报告.json"), b"{\"kind\": ").unwrap();
    std::fs::remove_file(copy("T4").join("导出.zip")).unwrap();
    // T5: a PDF that is not one.
    std::fs::write(
        copy("T5").join("报告.pdf"),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog",
    )
    .unwrap();
    // T6: a record rewritten in the export, the bag's manifests made again.
    let t6 = copy("T6");
    let script = r#"
import bagit, glob, os, shutil, sys, zipfile
os.chdir(sys.argv[1])
zipfile.ZipFile('导出.zip').extractall('x')
bag = glob.glob('x/*')[0]
record = sorted(glob.glob(bag + '/data/记录/**/成果-2027*.toml', recursive=True))[0]
text = open(record, encoding='utf-8').read().replace('benefit = 2', 'benefit = 200')
open(record, 'w', encoding='utf-8').write(text)
bagit.Bag(bag).save(manifests=True)
os.remove('导出.zip')
with zipfile.ZipFile('导出.zip', 'w') as z:
    for folder, _, files in os.walk('x'):
        for f in files:
            path = os.path.join(folder, f)
            z.write(path, os.path.relpath(path, 'x'))
shutil.rmtree('x')
"#;
    let out = Command::new("python3")
        .args(["-c", script, t6.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = on(
        root,
        "2028-12-10",
        &[
            "ledger",
            "round",
            "台账",
            "报送",
            "--kind",
            "考核",
            "-o",
            "轮",
            "--经办人",
            "张敏",
        ],
    );
    assert_eq!(run.code, 1, "{run:?}");
    let line = |name: &str| {
        run.stdout
            .lines()
            .find(|l| l.contains(&format!("报送/{name}")) || l.starts_with(&format!("  {name} ")))
            .unwrap_or_else(|| panic!("{name}: {}", run.stdout))
            .to_string()
    };
    assert!(line("T1").contains("报告与档案记录一致"), "{run:?}");
    assert!(line("T2").contains("未能核对：导出包"), "{run:?}");
    assert!(
        line("T3").contains("未能核对：报告的 JSON 无法读取"),
        "{run:?}"
    );
    assert!(
        line("T4").contains("未能核对：应有一个档案导出包"),
        "{run:?}"
    );
    assert!(
        line("T5").contains("未能核对：报告 PDF：PDF 无法解析"),
        "{run:?}"
    );
    assert!(
        line("T6").contains("未能核对：导出包中的 记录/")
            && line("T6").contains("与版本清单记载的不同"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("共 6 份报送：核对 1 份，其中 0 份与记录不符；5 份未能核对"),
        "{run:?}"
    );
    // Only the good one is entered, once.
    assert!(run.stdout.contains("已记入台账"), "{run:?}");
    let again = on(
        root,
        "2028-12-10",
        &[
            "ledger",
            "round",
            "台账",
            "报送/T1",
            "--kind",
            "考核",
            "-o",
            "轮2",
            "--经办人",
            "张敏",
        ],
    );
    assert!(again.stdout.contains("此前已记入台账"), "{again:?}");
    assert_eq!(actions(root), 3);
}

/// 第十二条（二）: a 领办人变更 from both sides. The studio's request is checked by every
/// rule of an application and by its own (R701, R702); the bureau checks the former
/// master against the ledger (R703) and the new one against the other studios (R712 by
/// name; R711 by ID is in the five-year test), keeps the request waiting until decided,
/// refuses to approve one with errors, and on 核准 makes the new master the studio's.
#[test]
fn a_change_of_master_is_checked_on_both_sides_and_decided() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let dir = studio(root, 0);
    // The studio's archive, begun from its application.
    let (zip, _) = build(&dir);
    ok(
        &dir,
        "2026-12-05",
        &["archive", "init", "A", "--from", zip.to_str().unwrap()],
    );
    // The new master: another person, his studio name by 附件3 第1项; the old names stay
    // where they rightly stand (the unit's recommendation, the scans' names).
    let new_id = crate::intake::with_check_digit("15010219750304123");
    let old_id = new_master(&dir, 0, "石磊", &new_id, "1975-03", false);
    ok(&dir, "2028-06-01", &["change", "--sample", "变更申请.toml"]);
    let request = std::fs::read_to_string(dir.join("变更申请.toml")).unwrap();
    // R702: the sample's ID is not a valid one.
    let run = on(
        &dir,
        "2028-06-01",
        &[
            "change",
            "studio.toml",
            "--request",
            "变更申请.toml",
            "-o",
            "变更",
        ],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("错误[R702]") && run.stdout.contains("第十二条（二）"),
        "{run:?}"
    );
    assert!(!dir.join("变更").exists());
    // R701: the former master's ID is the new master's.
    let write = |former: &str, id: &str| {
        let text = request
            .replace("原领办人姓名", former)
            .replace("150105197805120311", id);
        std::fs::write(dir.join("变更申请.toml"), text).unwrap();
    };
    write("赵振国", &new_id);
    let run = on(
        &dir,
        "2028-06-01",
        &[
            "change",
            "studio.toml",
            "--request",
            "变更申请.toml",
            "-o",
            "变更",
        ],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("错误[R701]"), "{run:?}");
    // A request naming someone else as the former master: made, and caught by the bureau.
    write("钱立新", &old_id);
    let run = ok(
        &dir,
        "2028-06-01",
        &[
            "change",
            "studio.toml",
            "--request",
            "变更申请.toml",
            "-o",
            "错的",
        ],
    );
    assert!(run.stdout.contains("领办人由钱立新变更为石磊"), "{run:?}");
    write("赵振国", &old_id);
    ok(
        &dir,
        "2028-06-01",
        &[
            "change",
            "studio.toml",
            "--request",
            "变更申请.toml",
            "-o",
            "变更",
        ],
    );
    let form = pdf_text(&dir, "变更/变更领办人申请表.pdf");
    assert!(
        form.contains("变更领办人申请表") && form.contains("赵振国") && form.contains("石磊"),
        "{form}"
    );
    let zip = |folder: &str| {
        std::fs::read_dir(dir.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "zip"))
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    let (wrong, right) = (zip("错的"), zip("变更"));
    // The bureau: two studios, the other's master a namesake of the new one.
    std::fs::write(
        root.join("名单.csv"),
        format!(
            "编号,工作室名称,领办人,依托单位,认定日期\n2026-001,{},赵振国,单位甲,2026-12-01\n2026-002,呼和浩特市石磊技能大师工作室,石磊,单位乙,2026-12-01\n",
            studio_name(0)
        ),
    )
    .unwrap();
    ledger_from_list(root);
    let change = |zip: &str, decision: Option<&str>| {
        let mut args = vec![
            "ledger",
            "change",
            "台账",
            zip,
            "--studio",
            "2026-001",
            "-o",
            "核准",
            "--经办人",
            "张敏",
        ];
        if let Some(d) = decision {
            args.extend(["--decision", d]);
        }
        on(root, "2028-06-10", &args)
    };
    let run = change(&wrong, None);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("错误[R703]") && run.stdout.contains("待核准"),
        "{run:?}"
    );
    let refused = change(&wrong, Some("核准"));
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.stderr.contains("不能核准"), "{refused:?}");
    let run = change(&right, None);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("警告[R712]") && run.stdout.contains("2026-002"),
        "{run:?}"
    );
    let due = status(root, "2028-06-11");
    assert!(due.contains("领办人变更待核准：赵振国→石磊"), "{due}");
    let run = change(&right, Some("核准"));
    assert_eq!(run.code, 0, "{run:?}");
    let decision = pdf_text(root, "核准/2026-001-领办人变更核准.pdf");
    assert!(
        decision.contains("同意变更") && decision.contains("石磊"),
        "{decision}"
    );
    // The studio now has its new master and name; nothing waits.
    let due = status(root, "2028-11-15");
    assert!(!due.contains("待核准"), "{due}");
    assert!(
        due.contains("2026-001  呼和浩特市石磊技能大师工作室  考核"),
        "{due}"
    );
    // The studio files the change in its archive: the record dashi wrote, the 核准意见
    // beside it as its approval (R307).
    let record = root.join("核准/2026-001-领办人变更记录.toml");
    let run = ok(
        &dir,
        "2028-06-15",
        &["record", "add", "A", record.to_str().unwrap()],
    );
    assert!(run.stdout.contains("已加入 1 条记录"), "{run:?}");
    // Decided again: entered once.
    assert!(
        change(&right, Some("核准"))
            .stdout
            .contains("此前已记入台账")
    );
    ledger_valid(root);
}
