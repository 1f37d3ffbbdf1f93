//! `dashi report`: the biennial evaluation (第十二条) and the acceptance summary (第十条)
//! of a two-year archive made through `record add` — counts read back from the PDF and
//! the JSON, every finding made to fire, the report recorded and verified.

use std::path::Path;

use crate::render::{text_of, tool};
use crate::util::{BAG, Project, Run};

/// 2029-01-01, so that 2027 and 2028 have happened.
const EPOCH: &str = "1861920000";

/// Runs dashi on the day after the two years.
fn at(dir: &Path, args: &[&str]) -> Run {
    at_time(dir, EPOCH, args)
}

/// `dashi args` in `dir` with the clock fixed at `epoch`.
fn at_time(dir: &Path, epoch: &str, args: &[&str]) -> Run {
    let run = crate::util::dashi_at(dir, epoch, args);
    run.assert_no_panic();
    run
}

/// A small JPEG unlike any other (by `seed`), with an EXIF date when given.
pub fn photo(path: &Path, seed: u32, taken: Option<&str>) {
    let mut img = image::RgbImage::new(64, 48);
    for (x, y, p) in img.enumerate_pixels_mut() {
        *p = image::Rgb([(x * 4) as u8 ^ seed as u8, (y * 5) as u8, (seed * 37) as u8]);
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
        .encode_image(&img)
        .unwrap();
    if let Some(taken) = taken {
        // APP1 Exif: one IFD with DateTime (0x0132), little-endian.
        let mut tiff = vec![b'I', b'I', 42, 0, 8, 0, 0, 0, 1, 0];
        tiff.extend_from_slice(&[0x32, 0x01, 2, 0, 20, 0, 0, 0, 26, 0, 0, 0]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        tiff.extend_from_slice(taken.as_bytes());
        tiff.push(0);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let len = (app1.len() + 2) as u16;
        let mut with = vec![0xFF, 0xD8, 0xFF, 0xE1];
        with.extend_from_slice(&len.to_be_bytes());
        with.extend_from_slice(&app1);
        with.extend_from_slice(&jpeg[2..]);
        jpeg = with;
    }
    std::fs::write(path, jpeg).unwrap();
}

fn write_record(dir: &Path, id: &str, body: &str) -> String {
    let name = format!("{id}.toml");
    std::fs::write(
        dir.join(&name),
        format!("format_version = 1\nid = \"{id}\"\n{body}"),
    )
    .unwrap();
    format!("rec/{name}")
}

/// The sample's archive grown by two years of records (2027, 2028): 9 apprentices (5,
/// 4), 5 reaching 高级工 (3, 2), 6 exchanges with two photos each (3, 3), 3 innovations
/// (benefit 20.5; 30 and 15), 2 rules.
pub fn two_years() -> Project {
    two_years_since(EPOCH)
}

/// `two_years` with the archive made (its v1 dated) at `epoch`.
fn two_years_since(epoch: &str) -> Project {
    let p = Project::sample();
    assert_eq!(at(p.dir(), &["build", "studio.toml", "-o", "out"]).code, 0);
    let run = at_time(
        p.dir(),
        epoch,
        &["archive", "init", "A", "--from", &format!("out/{BAG}.zip")],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let rec = p.path("rec");
    std::fs::create_dir_all(&rec).unwrap();
    let mut files = Vec::new();
    let ids = [
        "150105200103150017",
        "150105200207080025",
        "150104199911120033",
    ];
    for i in 0..9 {
        let year = if i < 5 { 2027 } else { 2028 };
        photo(&rec.join(format!("协议{i}.jpg")), 100 + i, None);
        files.push(write_record(
            &rec,
            &format!("带徒-{year}-{i}"),
            &format!(
                "kind = \"带徒\"\ndate = \"{year}-0{}-10\"\ntitle = \"收徒{i}\"\n[apprentice]\nname = \"学徒{i}\"\nid_number = \"{}\"\noccupation = \"焊工\"\nlevel_at_start = \"中级工\"\nagreement = \"协议{i}.jpg\"\n",
                2 + i % 5,
                ids[i as usize % 3]
            ),
        ));
    }
    for (n, (i, year)) in [(0, 2027), (1, 2027), (2, 2027), (5, 2028), (6, 2028)]
        .iter()
        .enumerate()
    {
        let apprentice = format!("带徒-{}-{i}", if *i < 5 { 2027 } else { 2028 });
        files.push(write_record(
            &rec,
            &format!("带徒进展-{year}-{n}"),
            &format!(
                "kind = \"带徒进展\"\ndate = \"{year}-11-2{n}\"\ntitle = \"学徒{i}取得高级工\"\n[progress]\napprentice = \"{apprentice}\"\nname = \"学徒{i}\"\nlevel = \"高级工\"\ncertificate_number = \"S0000150100042310{year}{n}\"\n"
            ),
        ));
    }
    for i in 0..6u32 {
        let year = if i < 3 { 2027 } else { 2028 };
        let month = 3 + (i % 3) * 3;
        let taken = format!("{year}:{month:02}:15 10:00:00");
        for k in 0..2 {
            photo(
                &rec.join(format!("活动{i}-{k}.jpg")),
                200 + i * 2 + k,
                Some(&taken),
            );
        }
        files.push(write_record(
            &rec,
            &format!("活动-{year}-{i}"),
            &format!(
                "kind = \"活动\"\ndate = \"{year}-{month:02}-15\"\ntitle = \"技术交流{i}\"\n[activity]\ncategory = \"技术交流\"\nplace = \"工作室\"\nparticipants = {}\nsummary = \"交流焊接工艺\"\n[[files]]\nfile = \"活动{i}-0.jpg\"\nshows = \"现场{i}\"\n[[files]]\nfile = \"活动{i}-1.jpg\"\nshows = \"实操{i}\"\n",
                20 + i
            ),
        ));
    }
    for (i, (year, benefit)) in [(2027, "20.5"), (2028, "30"), (2028, "15")]
        .iter()
        .enumerate()
    {
        files.push(write_record(
            &rec,
            &format!("成果-{year}-{i}"),
            &format!(
                "kind = \"成果\"\ndate = \"{year}-0{}-01\"\ntitle = \"焊接工艺革新{i}\"\n[innovation]\ncategory = \"技术革新\"\nresult = \"一次合格率提高\"\nbenefit = {benefit}\nspread = \"协作企业\"\n",
                5 + i
            ),
        ));
    }
    for (i, year) in [2027, 2028].iter().enumerate() {
        files.push(write_record(
            &rec,
            &format!("制度-{year}-{i}"),
            &format!("kind = \"制度\"\ndate = \"{year}-01-2{i}\"\ntitle = \"工作制度{i}\"\n[rule]\nsummary = \"带徒考核办法\"\n"),
        ));
    }
    // Apprentices first (progress records name them), then everything else.
    let (first, rest): (Vec<&String>, Vec<&String>) =
        files.iter().partition(|f| f.contains("rec/带徒-"));
    for batch in [first, rest] {
        let mut args = vec!["record", "add", "A"];
        args.extend(batch.iter().map(|s| s.as_str()));
        let run = at(p.dir(), &args);
        assert_eq!(run.code, 0, "{run:?}");
    }
    p
}

/// The archive digest `report` prints (and prints on the report's last page).
fn printed_digest(run: &Run) -> String {
    run.stdout
        .lines()
        .find_map(|l| {
            l.split_once("已印在报告末页）：")
                .map(|(_, d)| d.trim().to_string())
        })
        .expect("report prints the digest")
}

fn report(p: &Project, extra: &[&str]) -> Run {
    let mut args = vec!["report", "A", "--from", "2027-01", "--to", "2028-12"];
    args.extend_from_slice(extra);
    at(p.dir(), &args)
}

#[test]
fn the_evaluation_counts_what_the_records_give_and_names_the_archive() {
    let p = two_years();
    let run = report(&p, &["-o", "考核.pdf"]);
    assert_eq!(run.code, 0, "{run:?}");
    // In the 学徒名册, a 22-character 证书编号 never runs into the 取得时间 beside it.
    let words = crate::render::tool(
        "pdftotext",
        &["-bbox", p.path("考核.pdf").to_str().unwrap(), "-"],
        p.dir(),
    );
    // (xMin, xMax, yMin + 10000 × page, text): lines of one page only.
    let mut page = 0.0;
    let words: Vec<(f64, f64, f64, String)> = words
        .lines()
        .filter_map(|l| {
            if l.trim_start().starts_with("<page") {
                page += 10_000.0;
            }
            let num = |key: &str| -> Option<f64> {
                let rest = &l[l.find(&format!("{key}=\""))? + key.len() + 2..];
                rest[..rest.find('"')?].parse().ok()
            };
            let text = l.split('>').nth(1)?.split('<').next()?.to_string();
            Some((num("xMin")?, num("xMax")?, num("yMin")? + page, text))
        })
        .collect();
    let reached: Vec<&(f64, f64, f64, String)> = words
        .iter()
        .filter(|w| w.3.len() == 10 && w.3.get(4..).is_some_and(|t| t.starts_with("-11-2")))
        .collect();
    assert_eq!(reached.len(), 5, "{reached:?}");
    for date in reached {
        for w in words
            .iter()
            .filter(|w| (w.2 - date.2).abs() < 1.0 && w.0 < date.0)
        {
            assert!(w.1 <= date.0, "“{}” runs into the date {}", w.3, date.3);
        }
    }
    assert!(
        run.stdout.contains("新带徒 9 名，其中高级工以上 5 人"),
        "{}",
        run.stdout
    );
    let digest = printed_digest(&run);
    let text = text_of(&p, "考核.pdf");
    for wanted in [
        "2027",
        "5名",
        "3人",
        "2028",
        "4名",
        "2人",
        "65.5万元",
        "20.5",
        "45",
        "带徒-2027-0",
        "工作制度0",
        "焊接工艺革新2",
        // The contact sheet gives each photo's EXIF day beside its activity's.
        "拍摄2027-03-15",
    ] {
        assert!(text.contains(wanted), "{wanted} not in the report:\n{text}");
    }
    let groups: String = digest.chars().collect();
    assert!(text.contains(&groups), "the digest is not printed:\n{text}");
    let checker = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdfcheck.py");
    tool(
        "python3",
        &[checker.to_str().unwrap(), "pitch", "考核.pdf"],
        p.dir(),
    );
    tool(
        "python3",
        &[checker.to_str().unwrap(), "pagesize", "考核.pdf"],
        p.dir(),
    );
    // The JSON holds the same counts.
    let run = report(&p, &["--json", "-o", "again.pdf"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["trained_total"], 9);
    assert_eq!(json["advanced_total"], 5);
    assert_eq!(json["years"][0]["trained"], 5);
    assert_eq!(json["years"][0]["advanced"], 3);
    assert_eq!(json["years"][1]["trained"], 4);
    assert_eq!(json["years"][1]["advanced"], 2);
    assert_eq!(json["years"][1]["benefit"], 45.0);
    assert_eq!(json["benefit_total"], "65.5 万元");
    assert_eq!(json["photos"].as_array().unwrap().len(), 12);
    // Same archive, period and indicators: same bytes.
    assert!(
        std::fs::read(p.path("考核.pdf")).unwrap() == std::fs::read(p.path("again.pdf")).unwrap()
    );
}

/// 验收 counts the building years from the archive's first version: a studio approved
/// (v1) in December 2026 has two years to the end of 2028, and its month of 2026 is not
/// judged as a year (no R401 for 2026, no “× 3 年”).
#[test]
fn acceptance_counts_years_from_the_first_version() {
    // 2026-12-05 06:36 in Beijing.
    let p = two_years_since("1796423760");
    let run = at(
        p.dir(),
        &["report", "A", "--kind", "验收", "--to", "2028-12", "--json"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["period"]["from"], "2026-12", "{json}");
    let plan = json["acceptance"][0]["planned"].as_str().unwrap();
    assert!(plan.contains("× 2 年"), "{plan}");
    let years = json["years"].as_array().unwrap();
    assert_eq!(years[0]["year"], 2026);
    assert_eq!(years[0]["judged"], false);
    assert!(years[1..].iter().all(|y| y["judged"] == true), "{years:?}");
    let check = at(
        p.dir(),
        &[
            "report", "A", "--kind", "验收", "--to", "2028-12", "--check",
        ],
    );
    assert!(!check.stdout.contains("2026 年新带徒"), "{}", check.stdout);
}

#[test]
fn the_acceptance_summary_sets_plan_against_done() {
    let p = two_years();
    let run = at(
        p.dir(),
        &[
            "report",
            "A",
            "--kind",
            "验收",
            "--to",
            "2028-12",
            "-o",
            "验收.pdf",
            "--json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let lines = json["acceptance"].as_array().unwrap();
    assert!(
        lines.iter().any(|l| l["item"] == "培养青年技术技能骨干"),
        "{json}"
    );
    let text = text_of(&p, "验收.pdf");
    assert!(text.contains("计划与完成对照"), "{text}");
    assert!(text.contains("申报时的计划"), "{text}");
}

#[test]
fn a_recorded_report_verifies_against_its_digest_until_a_record_changes() {
    let p = two_years();
    let run = report(&p, &["--record", "-o", "考核.pdf"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("报告已加入档案"), "{}", run.stdout);
    let digest = printed_digest(&run);
    let verify = at(p.dir(), &["verify", "A", "--expect", &digest]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
    // Any change to a record's file breaks it.
    // The pending records were filed as v3 before the report was laid out (the
    // apprentices went into v2 when the later quarters' records arrived).
    assert!(run.stdout.contains("报告前先归档"), "{}", run.stdout);
    let victim = p.path("A/v3/content/r1/记录/成果/成果-2027-0.toml");
    let text = std::fs::read_to_string(&victim)
        .unwrap()
        .replace("20.5", "90.5");
    std::fs::write(&victim, text).unwrap();
    let verify = at(p.dir(), &["verify", "A", "--expect", &digest]);
    assert_eq!(verify.code, 1, "{}", verify.stdout);
}

/// `report --check` of a changed two-year archive: `code` fires with its article; the
/// clean archive draws no finding at all.
fn fires(code: &str, change: impl FnOnce(&Project) -> Vec<String>) {
    let p = two_years();
    let clean = report(&p, &["--check"]);
    assert_eq!(clean.code, 0, "{clean:?}");
    assert!(
        clean.codes().is_empty(),
        "the clean archive has findings:\n{}",
        clean.stdout
    );
    let extra = change(&p);
    let mut args: Vec<&str> = vec!["--check"];
    args.extend(extra.iter().map(String::as_str));
    let run = if extra.first().map(String::as_str) == Some("--at") {
        let mut all = vec![
            "report", "A", "--from", "2027-01", "--to", "2028-12", "--check",
        ];
        all.extend(extra[2..].iter().map(String::as_str));
        crate::util::dashi_at(p.dir(), &extra[1], &all)
    } else if extra.first().map(String::as_str) == Some("--period") {
        let mut all = vec![
            "report", "A", "--check", "--from", &extra[1], "--to", &extra[2],
        ];
        all.extend(extra[3..].iter().map(String::as_str));
        at(p.dir(), &all)
    } else {
        report(&p, &args)
    };
    crate::util::assert_fired(&run, code);
}

/// Adds one record (2028) to the archive.
fn add_one(p: &Project, id: &str, body: &str) {
    let file = write_record(&p.path("rec"), id, body);
    let run = at(p.dir(), &["record", "add", "A", &file]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn r401_r402_a_year_without_apprentices_or_exchanges() {
    fires("R401", |_| {
        vec!["--period".into(), "2027-01".into(), "2029-06".into()]
    });
    fires("R402", |_| {
        vec!["--period".into(), "2027-01".into(), "2029-06".into()]
    });
}

#[test]
fn r403_an_apprentice_without_agreement() {
    fires("R403", |p| {
        add_one(
            p,
            "带徒-2028-无协议",
            "kind = \"带徒\"\ndate = \"2028-07-01\"\ntitle = \"收徒甲\"\n[apprentice]\nname = \"甲\"\nid_number = \"150105200103150017\"\noccupation = \"焊工\"\n",
        );
        Vec::new()
    });
}

#[test]
fn r404_a_grade_without_certificate() {
    fires("R404", |p| {
        add_one(
            p,
            "带徒进展-2028-无证",
            "kind = \"带徒进展\"\ndate = \"2028-12-01\"\ntitle = \"学徒7取得高级工\"\n[progress]\napprentice = \"带徒-2028-7\"\nname = \"学徒7\"\nlevel = \"高级工\"\n",
        );
        Vec::new()
    });
}

#[test]
fn r405_one_photo_for_two_activities() {
    fires("R405", |p| {
        std::fs::copy(p.path("rec/活动0-0.jpg"), p.path("rec/再用.jpg")).unwrap();
        add_one(
            p,
            "活动-2028-再用",
            "kind = \"活动\"\ndate = \"2027-03-16\"\ntitle = \"再用照片\"\n[activity]\ncategory = \"培训\"\nplace = \"工作室\"\nparticipants = 5\nsummary = \"x\"\n[[files]]\nfile = \"再用.jpg\"\nshows = \"现场\"\n",
        );
        Vec::new()
    });
}

#[test]
fn r406_a_photo_taken_far_from_its_activity() {
    fires("R406", |p| {
        photo(&p.path("rec/早.jpg"), 999, Some("2028:01:02 09:00:00"));
        add_one(
            p,
            "活动-2028-早",
            "kind = \"活动\"\ndate = \"2028-10-15\"\ntitle = \"培训\"\n[activity]\ncategory = \"培训\"\nplace = \"工作室\"\nparticipants = 5\nsummary = \"x\"\n[[files]]\nfile = \"早.jpg\"\nshows = \"现场\"\n",
        );
        Vec::new()
    });
}

#[test]
fn r407_records_outside_the_period() {
    fires("R407", |_| {
        vec!["--period".into(), "2027-06".into(), "2028-12".into()]
    });
}

#[test]
fn r408_records_later_than_the_report() {
    // The report dated 2028-06-01, before the records of the second half of 2028.
    fires("R408", |_| vec!["--at".into(), "1843430400".into()]);
}

#[test]
fn r409_indicator_weights_off_100() {
    fires("R409", |p| {
        let text = dashi::report::inputs::DEFAULT_INDICATORS.replace(
            "weight = 15\nmeasure = \"apprentices\"",
            "weight = 5\nmeasure = \"apprentices\"",
        );
        std::fs::write(p.path("指标.toml"), text).unwrap();
        vec!["--indicators".into(), "指标.toml".into()]
    });
}

#[test]
fn r410_a_self_score_above_its_weight() {
    fires("R410", |p| {
        std::fs::write(
            p.path("自评.toml"),
            "format_version = 1\nproblems = \"无\"\n[scores]\nA1 = 12\n",
        )
        .unwrap();
        vec!["--evaluation".into(), "自评.toml".into()]
    });
}

#[test]
fn the_sample_files_read_cleanly_and_fill_the_self_scores() {
    let p = two_years();
    let run = at(p.dir(), &["report", "--samples", "样例"]);
    assert_eq!(run.code, 0, "{run:?}");
    for name in [
        "考核指标.toml",
        "考核自评.toml",
        "indicators.schema.json",
        "evaluation.schema.json",
    ] {
        assert!(p.path("样例").join(name).is_file(), "{name} not written");
    }
    // Written once; the second time nothing is overwritten.
    let again = at(p.dir(), &["report", "--samples", "样例"]);
    assert_eq!(again.code, 2, "{again:?}");
    assert!(again.stderr.contains("已存在"), "{}", again.stderr);
    let run = report(
        &p,
        &[
            "--indicators",
            "样例/考核指标.toml",
            "--evaluation",
            "样例/考核自评.toml",
            "--json",
            "-o",
            "考核.pdf",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stderr.contains("[R"), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // 75.5 from the records, 9 + 5 + 6 self-scored.
    assert_eq!(json["total_score"], "95.5");
    let text = text_of(&p, "考核.pdf");
    assert!(text.contains("技能等级认定尚在进行中"), "{text}");
}

/// 依据记录 cites the records each score rests on: E1 (技术交流) only the exchanges, not
/// a 培训 activity; C2 (高级工以上) only the progress records that counted.
#[test]
fn each_score_cites_only_its_own_records() {
    let p = two_years();
    add_one(
        &p,
        "活动-2028-培训",
        "kind = \"活动\"\ndate = \"2028-06-20\"\ntitle = \"岗位培训\"\n[activity]\ncategory = \"培训\"\nplace = \"车间\"\nparticipants = 30\nsummary = \"培训\"\n",
    );
    let run = report(&p, &["--json", "-o", "x.pdf"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let basis = |id: &str| -> Vec<String> {
        json["scores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))["basis"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap().to_string())
            .collect()
    };
    let e1 = basis("E1");
    assert_eq!(e1.len(), 6, "{e1:?}");
    assert!(!e1.contains(&"活动-2028-培训".to_string()), "{e1:?}");
    let c2 = basis("C2");
    assert_eq!(
        c2.len(),
        5,
        "the five apprentices' first advanced grades: {c2:?}"
    );
    assert!(c2.iter().all(|c| c.starts_with("带徒进展-")), "{c2:?}");
}

/// 第四章（一）'s "其中…不少于2人" is a part of a year's new apprentices: an apprentice
/// of 2027 who reaches 高级工 in 2028 counts for 2027's 其中高级工以上, and in 2028 only
/// as 当年取得高级工以上, so a year's part is never larger than its whole.
#[test]
fn the_advanced_count_is_a_part_of_the_years_apprentices() {
    let p = two_years();
    let late = write_record(
        &p.path("rec"),
        "带徒进展-2028-晚",
        "kind = \"带徒进展\"\ndate = \"2028-12-01\"\ntitle = \"学徒3取得高级工\"\n[progress]\napprentice = \"带徒-2027-3\"\nname = \"学徒3\"\nlevel = \"高级工\"\ncertificate_number = \"S000015010004231020289\"\n",
    );
    let run = at(p.dir(), &["record", "add", "A", &late]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = report(&p, &["--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let years = &json["years"];
    assert_eq!(
        (
            &years[0]["trained"],
            &years[0]["advanced"],
            &years[0]["reached"]
        ),
        (&5.into(), &4.into(), &3.into()),
        "{years}"
    );
    assert_eq!(
        (
            &years[1]["trained"],
            &years[1]["advanced"],
            &years[1]["reached"]
        ),
        (&4.into(), &2.into(), &3.into()),
        "{years}"
    );
    for y in years.as_array().unwrap() {
        assert!(y["advanced"].as_u64() <= y["trained"].as_u64(), "{y}");
    }
    assert_eq!(json["advanced_total"], 6);
}

/// R314: a 带徒进展 that names someone other than the apprentice of the 带徒 record it
/// refers to is refused, so the 学徒名册 never credits a grade to the wrong person.
#[test]
fn r314_progress_of_someone_else() {
    let p = two_years();
    let wrong = write_record(
        &p.path("rec"),
        "带徒进展-2028-错",
        "kind = \"带徒进展\"\ndate = \"2028-12-01\"\ntitle = \"学徒9取得技师\"\n[progress]\napprentice = \"带徒-2027-0\"\nname = \"学徒9\"\nlevel = \"技师\"\ncertificate_number = \"S000015010004231020289\"\n",
    );
    let run = at(p.dir(), &["record", "add", "A", &wrong]);
    assert_eq!(run.code, 1, "{run:?}");
    crate::util::assert_fired(&run, "R314");
    assert!(
        run.stdout.contains("学徒是“学徒0”，这里写的是“学徒9”")
            && run.stdout.contains("带徒进展-2028-错.toml:"),
        "{}",
        run.stdout
    );
}

/// R316: a correction dated before the record it corrects still takes its place in the
/// reports (corrections apply whatever their dates); `record add` warns and says which
/// year the reports count it in.
#[test]
fn r316_a_correction_dated_before_its_target_still_replaces_it() {
    let p = two_years();
    let file = write_record(
        &p.path("rec"),
        "成果-2027-9",
        "kind = \"成果\"\ndate = \"2027-03-01\"\ntitle = \"焊接工艺革新0\"\ncorrects = \"成果-2027-0\"\n[innovation]\ncategory = \"技术革新\"\nresult = \"一次合格率提高\"\nbenefit = 2.05\nspread = \"协作企业\"\n",
    );
    let run = at(p.dir(), &["record", "add", "A", &file]);
    assert_eq!(run.code, 0, "{run:?}");
    crate::util::assert_fired(&run, "R316");
    assert!(run.stdout.contains("计入 2027 年"), "{}", run.stdout);
    let run = report(&p, &["--json", "-o", "x.pdf"]);
    assert_eq!(run.code, 0, "{run:?}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // 2.05 in place of 20.5: counted once, in 2027.
    assert_eq!(json["benefit_total"], "47.05 万元", "{json}");
    assert_eq!(json["years"][0]["benefit"], 2.05, "{json}");
    // The correction corrected again, with a date in the next year: the chain ends in
    // the newest, which the reports count in 2028, as the warning said.
    let file = write_record(
        &p.path("rec"),
        "成果-2028-9",
        "kind = \"成果\"\ndate = \"2028-02-01\"\ntitle = \"焊接工艺革新0\"\ncorrects = \"成果-2027-9\"\n[innovation]\ncategory = \"技术革新\"\nresult = \"一次合格率提高\"\nbenefit = 3\nspread = \"协作企业\"\n",
    );
    let run = at(p.dir(), &["record", "add", "A", &file]);
    assert_eq!(run.code, 0, "{run:?}");
    crate::util::assert_fired(&run, "R316");
    assert!(run.stdout.contains("计入 2028 年"), "{}", run.stdout);
    let run = report(&p, &["--json", "-o", "y.pdf"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["benefit_total"], "48 万元", "{json}");
    assert_eq!(json["years"][1]["benefit"], 48.0, "{json}");
}

/// R317: a 带徒进展 below the grade its apprentice already reached is a warning at
/// `record add` and again at `report --check`, until a reason is written.
#[test]
fn r317_a_grade_going_down_needs_its_reason() {
    let p = two_years();
    let body = |reason: &str| {
        format!(
            "kind = \"带徒进展\"\ndate = \"2028-12-01\"\ntitle = \"学徒0的等级\"\n[progress]\napprentice = \"带徒-2027-0\"\nname = \"学徒0\"\nlevel = \"中级工\"\ncertificate_number = \"S00001501000423109999\"\n{reason}"
        )
    };
    let file = write_record(&p.path("rec"), "带徒进展-2028-9", &body(""));
    let run = at(p.dir(), &["record", "add", "A", &file]);
    assert_eq!(run.code, 0, "{run:?}");
    crate::util::assert_fired(&run, "R317");
    assert!(run.stdout.contains("此前已达到高级工"), "{}", run.stdout);
    let check = report(&p, &["--check"]);
    crate::util::assert_fired(&check, "R317");
    assert!(
        check.stdout.contains("带徒进展-2028-9.toml"),
        "{}",
        check.stdout
    );
    let file = write_record(
        &p.path("rec"),
        "带徒进展-2028-8",
        &body("reason = \"转换工种后重新考核\"\n"),
    );
    let run = at(p.dir(), &["record", "add", "A", &file]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.codes().contains(&"R317".to_string()), "{}", run.stdout);
}
