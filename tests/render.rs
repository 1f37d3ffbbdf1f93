//! `dashi build`: the four documents, measured as a reviewer would (pdftotext,
//! pdffonts, pdfminer through pdfcheck.py) and through typst's own layout tree.

use std::path::Path;
use std::process::Command;

use crate::util::{Project, Run, dashi};

pub fn build(p: &Project, out: &str) -> Run {
    let run = dashi(p.dir(), &["build", "studio.toml", "-o", out]);
    run.assert_no_panic();
    run
}

pub const DOCS: [&str; 6] = [
    "00-打印说明.pdf",
    "01-申报材料真实性承诺书.pdf",
    "02-建设项目申报表.pdf",
    "03-建设项目申报书.pdf",
    "04-单位推荐报告.pdf",
    "05-佐证材料.pdf",
];

pub fn tool(program: &str, args: &[&str], dir: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (tests/run installs it): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a PDF with all whitespace removed (pdftotext breaks lines freely).
pub fn text_of(p: &Project, pdf: &str) -> String {
    tool("pdftotext", &["-raw", pdf, "-"], p.dir())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn sample_builds_six_pdfs_in_the_fandol_faces() {
    let p = Project::sample();
    let run = build(&p, "out");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    for doc in DOCS {
        let path = format!("out/{doc}");
        assert!(p.path(&path).is_file(), "{doc} missing");
        let fonts = tool("pdffonts", &[&path], p.dir());
        assert!(fonts.contains("FandolFang-Regular"), "{doc}: {fonts}");
        // Every font is embedded: the "emb" column is "yes" on every row.
        for row in fonts.lines().skip(2) {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cols[cols.len() - 5], "yes", "{doc}: {row}");
        }
    }
    let form = tool("pdffonts", &["out/02-建设项目申报表.pdf"], p.dir());
    assert!(
        form.contains("FandolHei") && form.contains("FandolSong"),
        "{form}"
    );
}

#[test]
fn form_has_every_label_of_attachment_2_in_order() {
    let p = Project::sample();
    assert_eq!(build(&p, "out").code, 0);
    let text = text_of(&p, "out/02-建设项目申报表.pdf");
    let labels = [
        "呼和浩特市技能大师工作室",
        "建设项目申报表",
        "申报单位",
        "（公章）",
        "工作室职业（工种）",
        "领办人姓名",
        "领办人职业技能等级",
        "填报时间",
        "呼和浩特市人力资源和社会保障局",
        "填写要求",
        "申报单位名称",
        "单位性质",
        "负责人",
        "办公电话",
        "联系人",
        "办公电话",
        "手机",
        "E-mail",
        "传真",
        "开户银行",
        "账号",
        "通信地址",
        "邮政编码",
        "技能大师姓名",
        "性别",
        "民族",
        "出生年月",
        "参加工作时间",
        "政治面貌",
        "身份证号",
        "工作单位及职务",
        "从事职业（工种）",
        "职业技能等级",
        "联系电话",
        "手机",
        "工作室地点",
        "工作室面积",
        "工作室人员",
        "技能大师工作业绩、获奖情况、主要创新发明等情况（可另附页）",
        "工作室基本设施（可另附页）",
        "申报单位意见",
        "（签字盖章）",
        "专家组评审意见",
        "专家组组长（签字）",
        "审批意见",
        "（盖章）",
    ];
    let mut at = 0;
    for label in labels {
        match text[at..].find(label) {
            Some(i) => at += i + label.len(),
            None => panic!("label {label} missing or out of order after byte {at}:\n{text}"),
        }
    }
    for value in [
        "15010519780512031X",
        "呼和浩特市青城装备制造有限公司",
        "1978年5月",
        "320平方米",
    ] {
        assert!(text.contains(value), "{value}");
    }
}

#[test]
fn body_text_is_12pt_on_the_16pt_grid_by_pdfcheck() {
    let p = Project::sample();
    assert_eq!(build(&p, "out").code, 0);
    let checker = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdfcheck.py");
    for doc in DOCS {
        for mode in ["pitch", "pagesize"] {
            let out = Command::new("python3")
                .arg(&checker)
                .args([mode, &format!("out/{doc}")])
                .current_dir(p.dir())
                .output()
                .expect("python3 with pdfminer.six (tests/run installs it)");
            assert!(
                out.status.success(),
                "{doc} {mode}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn building_twice_or_elsewhere_gives_identical_bytes() {
    let p = Project::sample();
    assert_eq!(build(&p, "a").code, 0);
    assert_eq!(build(&p, "b").code, 0);
    let copy = tempfile::tempdir().unwrap();
    let nested = copy.path().join("另一个/文件夹");
    std::fs::create_dir_all(&nested).unwrap();
    for entry in ["studio.toml", "evidence"] {
        copy_all(&p.path(entry), &nested.join(entry));
    }
    let run = dashi(&nested, &["build", "studio.toml", "-o", "c"]);
    assert_eq!(run.code, 0, "{run:?}");
    for doc in DOCS {
        let a = std::fs::read(p.path(&format!("a/{doc}"))).unwrap();
        assert!(
            a == std::fs::read(p.path(&format!("b/{doc}"))).unwrap(),
            "{doc} differs between runs"
        );
        assert!(
            a == std::fs::read(nested.join(format!("c/{doc}"))).unwrap(),
            "{doc} differs by folder"
        );
    }
}

fn copy_all(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy_all(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

#[test]
fn markup_in_values_prints_literally_everywhere() {
    // A "-" only at the start: pdftotext drops one at a line end as a hyphenation.
    let hostile = r#"- #read("/etc/passwd") $x$ = 标题 *粗* <a> // x \ @ref [y] {z} ~ 1. 完"#;
    let toml_value = hostile.replace('\\', "\\\\").replace('"', "\\\"");
    let p = Project::sample();
    assert_eq!(build(&p, "before").code, 0);
    // The unit renamed wherever it stands (its name and the master's post).
    p.write_data(
        &p.data()
            .replace("呼和浩特市青城装备制造有限公司", &toml_value),
    );
    let run = build(&p, "out");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let expected: String = hostile.chars().filter(|c| !c.is_whitespace()).collect();
    for doc in DOCS {
        let text = text_of(&p, &format!("out/{doc}"));
        assert!(
            text.contains(&expected),
            "{doc} lacks the literal value:\n{text}"
        );
        assert!(!text.contains("root:"), "{doc} shows a file's content");
        let pages = |dir: &str| {
            tool("pdfinfo", &[&format!("{dir}/{doc}")], p.dir())
                .lines()
                .find(|l| l.starts_with("Pages:"))
                .unwrap()
                .to_string()
        };
        assert_eq!(pages("out"), pages("before"), "{doc}: page count changed");
    }
}

#[test]
fn a_character_no_font_has_is_an_error_not_a_box() {
    let p = Project::sample();
    p.replace("name = \"王建军\"", "name = \"王喆\"").replace(
        "name = \"呼和浩特市王建军技能大师工作室\"",
        "name = \"呼和浩特市王喆技能大师工作室\"",
    );
    let run = build(&p, "out");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.codes().contains(&"R201".to_string()));
    assert!(run.stdout.contains("“喆”（U+5586）"), "{}", run.stdout);
    assert!(
        run.stdout.contains("studio.name（工作室·申办工作室名称）"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("--font-path"));
    assert!(!p.path("out").exists(), "no output on error");
}

#[test]
fn an_unknown_preferred_font_is_an_error() {
    let p = Project::sample();
    p.replace(
        "# fangsong_family = \"仿宋_GB2312\"",
        "fangsong_family = \"仿宋_GB2312\"",
    );
    let run = build(&p, "out");
    assert_eq!(run.code, 1);
    assert!(run.codes().contains(&"R202".to_string()), "{}", run.stdout);
}

#[test]
fn a_template_cannot_read_the_disk() {
    let p = Project::sample();
    std::fs::create_dir(p.path("tpl")).unwrap();
    std::fs::write(p.path("tpl/pledge.typ"), "#read(\"/etc/passwd\")\n").unwrap();
    let run = dashi(
        p.dir(),
        &["build", "studio.toml", "-o", "out", "--templates", "tpl"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("main.typ:1:"), "{}", run.stderr);
    assert!(!run.stderr.contains("root:"));
    assert!(!p.path("out").exists());
}

#[test]
fn a_failed_build_leaves_the_output_as_it_was() {
    let p = Project::sample();
    assert_eq!(build(&p, "out").code, 0);
    let before: Vec<Vec<u8>> = DOCS
        .iter()
        .map(|d| std::fs::read(p.path(&format!("out/{d}"))).unwrap())
        .collect();
    p.replace("\"15010519780512031X\"", "\"150105197805120311\"");
    assert_eq!(build(&p, "out").code, 1);
    for (doc, bytes) in DOCS.iter().zip(&before) {
        assert!(
            &std::fs::read(p.path(&format!("out/{doc}"))).unwrap() == bytes,
            "{doc} changed"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(p.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    // The six PDFs and the sealed zip, the note that they are out of date now, and
    // nothing else (no staging left behind).
    assert_eq!(leftovers.len(), DOCS.len() + 2, "{leftovers:?}");
    let note = std::fs::read_to_string(p.path("out").join(dashi::packet::outdated::NOTE)).unwrap();
    assert!(note.contains("请不要打印或提交"), "{note}");
}

#[test]
fn long_text_continues_on_an_attached_page() {
    let p = Project::sample();
    let mut extra = String::new();
    for year in 2000..2024 {
        extra.push_str(&format!(
            "\n[[master.achievements]]\ndate = \"{year}-03\"\ncontent = \"第{year}号技术攻关项目，解决大型构件焊接变形问题\"\nresult = \"形成操作法并推广，节约成本若干万元\"\n"
        ));
    }
    let data = p
        .data()
        .replace("# ── 工作室成员", &format!("{extra}\n# ── 工作室成员"));
    p.write_data(&data);
    let run = build(&p, "out");
    assert_eq!(run.code, 0, "{}", run.stdout);
    let text = text_of(&p, "out/02-建设项目申报表.pdf");
    assert!(text.contains("（续见附页）"), "{text}");
    assert!(text.contains("附页：技能大师工作业绩、获奖情况、主要创新发明等情况（续）"));
    // Every entry is printed once, in the cell or on the attached page.
    for year in 2000..2024 {
        assert_eq!(
            text.matches(&format!("第{year}号技术攻关项目")).count(),
            1,
            "{year}"
        );
    }
    let checker = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdfcheck.py");
    let status = Command::new("python3")
        .arg(&checker)
        .args(["pitch", "out/02-建设项目申报表.pdf"])
        .current_dir(p.dir())
        .status()
        .unwrap();
    assert!(status.success());
}

/// Pages of a PDF, by pdfinfo.
pub fn pages(p: &Project, pdf: &str) -> usize {
    tool("pdfinfo", &[pdf], p.dir())
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints the page count")
}

#[test]
fn the_sample_form_takes_two_pages_and_a_large_studio_keeps_its_attached_page() {
    let checker = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdfcheck.py");
    let checker = checker.to_str().unwrap();
    let p = Project::sample();
    assert_eq!(build(&p, "out").code, 0);
    // Cover, 填写要求, and the form on two pages: the opinion boxes share page 2.
    assert_eq!(pages(&p, "out/02-建设项目申报表.pdf"), 4);
    let last = tool(
        "pdftotext",
        &[
            "-f",
            "4",
            "-l",
            "4",
            "-layout",
            "out/02-建设项目申报表.pdf",
            "-",
        ],
        p.dir(),
    );
    for label in ["申报单位意见", "专家组", "审批意见"] {
        assert!(
            last.contains(label),
            "{label} is not on the last page:\n{last}"
        );
    }
    tool(
        "python3",
        &[checker, "pitch", "out/02-建设项目申报表.pdf"],
        p.dir(),
    );

    // 20 members and 24 achievements: the form grows, the 业绩 continue on the 附页,
    // and every baseline stays on the grid.
    let big = Project::sample();
    crate::bigstudio::write(
        big.dir(),
        &crate::bigstudio::Studio {
            members: 20,
            achievements: 24,
            scan: (248, 351),
        },
    );
    let run = build(&big, "out");
    assert_eq!(run.code, 0, "{}", run.stdout);
    let text = text_of(&big, "out/02-建设项目申报表.pdf");
    assert!(text.contains("（续见附页）"), "{text}");
    assert!(text.contains("附页：技能大师工作业绩"), "{text}");
    tool(
        "python3",
        &[checker, "pitch", "out/02-建设项目申报表.pdf"],
        big.dir(),
    );
    tool(
        "python3",
        &[checker, "pagesize", "out/02-建设项目申报表.pdf"],
        big.dir(),
    );
}
