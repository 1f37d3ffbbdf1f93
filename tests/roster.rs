//! `dashi roster`: members from an Excel or CSV roster, shown first, written only when
//! asked, with every comment of the data file kept; a bad cell is said by row and column.

use crate::util::{Project, dashi};

/// A roster as HR keeps it in Excel: columns in their own order, an extra 序号 column,
/// one ID number Excel stored as a number (its last digits lost).
fn workbook(path: &std::path::Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 7]; 3] = [
        [
            "序号",
            "姓名",
            "职业（工种）",
            "身份证号",
            "性别",
            "技能等级",
            "工作室职务",
        ],
        [
            "1",
            "钱七",
            "焊工",
            "150102199003070015",
            "",
            "高级技师",
            "技术骨干",
        ],
        ["2", "孙八", "电工", "", "女", "技师", "成员"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    // 孙八's number typed without the leading ': Excel keeps it as a number.
    sheet.write_number(2, 3, 150102199508080024.0).unwrap();
    book.save(path).unwrap();
}

#[test]
fn a_roster_is_shown_then_added_keeping_the_files_comments() {
    let p = Project::sample();
    let roster = p.dir().join("成员名册.xlsx");
    workbook(&roster);
    let before = p.data();
    let shown = dashi(p.dir(), &["roster", "成员名册.xlsx"]);
    assert_eq!(shown.code, 0, "{shown:?}");
    assert!(
        shown.stdout.contains("钱七") && shown.stdout.contains("孙八"),
        "{shown:?}"
    );
    assert!(
        shown
            .stdout
            .contains("第 3 行“身份证号”：身份证号在表格中存成了数字"),
        "{shown:?}"
    );
    assert!(shown.stdout.contains("没有用到的列：序号"), "{shown:?}");
    assert_eq!(p.data(), before, "a preview changes nothing");

    let added = dashi(p.dir(), &["roster", "成员名册.xlsx", "--add"]);
    assert_eq!(added.code, 0, "{added:?}");
    let after = p.data();
    for line in before.lines() {
        assert!(after.contains(line), "lost: {line}");
    }
    let parsed: toml::Value = toml::from_str(&after).unwrap();
    let member = |name: &str| {
        parsed["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"].as_str() == Some(name))
            .cloned()
    };
    // 性别 left blank is read from the ID number.
    let qian = member("钱七").expect("钱七 added");
    assert_eq!(qian["sex"].as_str(), Some("男"), "{after}");
    assert!(after.contains("name = \"孙八\""), "{after}");
    // The file still reads: 孙八's lost ID number is now a finding of the form's check.
    let check = dashi(p.dir(), &["check", "studio.toml"]);
    assert!(check.stdout.contains("孙八"), "{check:?}");

    let replaced = dashi(p.dir(), &["roster", "成员名册.xlsx", "--replace"]);
    assert_eq!(replaced.code, 0, "{replaced:?}");
    let tables = p
        .data()
        .lines()
        .filter(|l| l.trim() == "[[members]]")
        .count();
    assert_eq!(tables, 2, "{}", p.data());
}

#[test]
fn a_file_that_is_no_roster_is_said_in_words() {
    let p = Project::sample();
    std::fs::write(p.dir().join("名册.csv"), "编号,单位\n1,甲\n").unwrap();
    let run = dashi(p.dir(), &["roster", "名册.csv", "--add"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("没有“姓名”一列"), "{run:?}");
    // GBK, as Excel saves CSV on a Chinese Windows.
    let (gbk, _, _) = encoding_rs::GBK.encode("姓名,性别\n周九,男\n");
    std::fs::write(p.dir().join("名册.csv"), &gbk).unwrap();
    let run = dashi(p.dir(), &["roster", "名册.csv"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("周九"), "{run:?}");
}
