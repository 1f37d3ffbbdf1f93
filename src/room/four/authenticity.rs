//! 真实性 (DA/T 70-2018): the files are what was fixed at 归档 (their digests), the 件
//! descriptions are well-formed, the 档号 right and unique, the descriptions match the
//! content, and the package has the structure it declares.

use std::collections::BTreeMap;

use super::items::{Seen, item, note};
use super::report::{Check, FourError, Property};
use crate::room::four::package;
use crate::room::{formats, item, settings};

/// The items of 真实性.
pub(super) fn checks(seen: &Seen<'_>) -> Result<Vec<Check>, FourError> {
    let Seen {
        package,
        archive,
        object,
        items,
        settings,
        state,
        opened,
        changed,
        structure,
        ..
    } = seen;
    let now = seen.now;
    let mut checks = Vec::new();
    checks.push(item(
        Property::Authenticity,
        "固化信息有效性检测",
        "逐一重新计算每个文件的 SHA-512 和 SHA-256，与各版本清单（inventory.json，其摘要另存于旁注文件）记载的值比对",
        changed.clone(),
        note(
            changed,
            format!(
                "{} 个存储文件的摘要全部相符，{} 个版本清单与其旁注相符",
                object.stored_files,
                object.versions.len()
            ),
            "文件内容与固化的摘要不符",
        ),
    ));
    let mut values = Vec::new();
    // A 件 dated after the check is out of range (one year of slack for clocks).
    let today_year = crate::data::dates::Date::china_day(now).map_or(9999, |d| d.year + 1);
    for i in items.iter() {
        let at = format!("件 {}（{}）", i.archival_code, i.id);
        if !(1949..=today_year).contains(&i.year) {
            values.push(format!("{at}：年度 {} 不在合理范围内", i.year));
        }
        let day = i.day();
        match day {
            Some(d) if d.year == i.year => {}
            Some(_) => values.push(format!("{at}：日期 {} 与年度 {} 不符", i.date, i.year)),
            _ => values.push(format!("{at}：日期“{}”不是 8 位日期", i.date)),
        }
        if i.title.chars().count() > 500 || i.author.chars().count() > 200 {
            values.push(format!("{at}：题名或责任者过长"));
        }
        if !settings::kinds().contains(&i.kind.as_str()) {
            values.push(format!("{at}：类别“{}”不是档案中的一类件", i.kind));
        }
    }
    for f in settings::rules(settings) {
        values.push(format!("档案设置 {}：{}", f.path, f.message));
    }
    checks.push(item(
        Property::Authenticity,
        "元数据项数据类型、长度和值域检测",
        "读取每件的著录信息（归档信息/*.json）和档案设置，检查年度、日期（8 位）、保管期限代码、题名和责任者长度、类别是否在规定的类型和值域内",
        values.clone(),
        note(&values, format!("{} 件的著录项全部合规", items.len()), "著录项不合规"),
    ));
    let mut codes = Vec::new();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for i in items.iter() {
        let composed = item::archival_code(
            &i.fonds,
            &i.category,
            i.year,
            i.retention,
            &i.unit,
            i.number,
        );
        if item::parse_code(&i.archival_code).is_none() || composed != i.archival_code {
            codes.push(format!(
                "件 {}（{}）：档号不合规（按其各段应为 {composed}）",
                i.archival_code, i.id
            ));
        }
        if let Some(other) = seen.insert(&i.archival_code, &i.id) {
            codes.push(format!(
                "档号 {} 重复：{other} 与 {}",
                i.archival_code, i.id
            ));
        }
    }
    // One volume (年度, 保管期限) carries one 全宗号.
    let mut volumes: BTreeMap<(u32, &str), std::collections::BTreeSet<&str>> = BTreeMap::new();
    for i in items.iter() {
        volumes
            .entry((i.year, i.retention.words()))
            .or_default()
            .insert(i.fonds.as_str());
    }
    for ((year, retention), fonds) in volumes {
        if fonds.len() > 1 {
            let shown: Vec<&str> = fonds
                .into_iter()
                .map(|f| if f.is_empty() { "（空）" } else { f })
                .collect();
            codes.push(format!(
                "{year}年 {retention} 一册中混用全宗号 {}",
                shown.join("、")
            ));
        }
    }
    checks.push(item(
        Property::Authenticity,
        "档号规范性检测",
        "按 DA/T 22-2015 检查每个档号的结构（全宗号-门类代码·年度-保管期限-机构代码-件号，件号 4 位；全宗号给出之前可空）与各段著录一致，档号不重复，同一册（年度、保管期限）只用一个全宗号",
        codes.clone(),
        note(&codes, format!("{} 个档号结构正确、互不重复", items.len()), "档号问题"),
    ));
    checks.push(special_characters(items));
    checks.push(repeats(items));
    let mut consistent = Vec::new();
    for i in items.iter() {
        for f in &i.files {
            let at = format!("件 {}（{}）：{}", i.archival_code, i.id, f.path);
            match (state.get(&f.path), opened.get(&f.path)) {
                (Some(d), Some(o)) if *d == f.sha512 => {
                    if o.bytes != f.bytes && o.broken.is_none() {
                        consistent.push(format!(
                            "{at}：大小 {} 字节，著录为 {} 字节",
                            o.bytes, f.bytes
                        ));
                    }
                    let format = o.kind.map(|k| {
                        formats::format_name(k, o.pdf.as_ref().is_some_and(|(_, a)| a.is_some()))
                            .to_string()
                    });
                    if o.broken.is_none() && format.as_deref() != Some(f.format.as_str()) {
                        consistent.push(format!(
                            "{at}：格式为 {}，著录为 {}",
                            format.unwrap_or_default(),
                            f.format
                        ));
                    }
                    if let Some((pages, _)) = o.pdf
                        && f.pages != 0
                        && pages != f.pages
                        && !f.path.starts_with("申报/")
                    {
                        consistent.push(format!("{at}：{pages} 页，著录为 {} 页", f.pages));
                    }
                }
                (Some(_), _) => {
                    consistent.push(format!("{at}：内容已不是著录时的文件（摘要不同）"))
                }
                (None, _) => {}
            }
        }
    }
    checks.push(item(
        Property::Authenticity,
        "元数据与内容一致性检测",
        "将每件著录的文件摘要、大小、格式和页数与档案中的文件逐一比对（格式由文件内容识别，页数由 PDF 实际页数计算）",
        consistent.clone(),
        note(
            &consistent,
            format!("{} 个文件的大小、格式、页数与著录一致", items.iter().map(|i| i.files.len()).sum::<usize>()),
            "著录与内容不一致",
        ),
    ));
    let mut package_faults = structure.clone();
    if let Some(dir) = &package.transfer {
        for (name, what) in [
            (package::CATALOGUE_DIR, "归档文件目录"),
            (package::REPORT_PDF, "移交方的检测报告"),
            (package::REPORT_JSON, "移交方的检测数据"),
            (package::README, "说明文件"),
            (package::CATALOGUE_XML, "文件目录"),
            (package::PROCESS, "处理过程"),
        ] {
            let report = name == package::REPORT_PDF || name == package::REPORT_JSON;
            let excused = report && package.sending;
            if !excused && !dir.join(name).exists() {
                package_faults.push(format!("移交包缺少 {name}（{what}）"));
            }
        }
        if !package.sending {
            package_faults.extend(super::catalogued::faults(dir, archive));
        }
        if let Ok(text) = std::fs::read_to_string(dir.join(package::CATALOGUE_XML)) {
            for place in places(&text) {
                if !dir.join(&place).is_file() {
                    package_faults.push(format!(
                        "{}：存储位置 {place} 在移交包中不存在",
                        package::CATALOGUE_XML
                    ));
                }
            }
        }
    }
    checks.push(item(
        Property::Authenticity,
        "信息包结构检测",
        if package.is_transfer() {
            "按 OCFL 1.1 检查档案对象的结构（版本、清单、旁注、内容目录），并检查移交包含档案、归档文件目录、检测报告和说明文件，文件目录.xml 所记的每个存储位置都在包中；再由档案重新生成归档文件目录（逐个单元格）、文件目录.xml（逐行）和说明文件所记的版本、摘要和件数，与包中的比对"
        } else {
            "按 OCFL 1.1 检查档案对象的结构（版本、清单、旁注、内容目录）"
        },
        package_faults.clone(),
        note(
            &package_faults,
            format!("OCFL 对象结构有效，{} 个版本", object.versions.len()),
            "结构问题",
        ),
    ));

    Ok(checks)
}

/// 1-6: no control, bidi or other invisible character in any value of a 件's
/// description or in a file's name.
fn special_characters(items: &[item::Item]) -> Check {
    let mut faults = Vec::new();
    for i in items {
        let mut values = vec![
            ("记录编号", i.id.as_str()),
            ("题名", &i.title),
            ("责任者", &i.author),
            ("文号", &i.reference),
            ("备注", &i.remarks),
            ("类别", &i.kind),
        ];
        values.extend(i.files.iter().map(|f| ("文件名", f.path.as_str())));
        for (field, value) in values {
            if value.chars().any(crate::portable::is_invisible) {
                faults.push(format!(
                    "件 {}（{}）：{field}“{}”含不可见或改变文字方向的字符",
                    i.archival_code,
                    crate::portable::shown(&i.id),
                    crate::portable::shown(value)
                ));
            }
        }
    }
    item(
        Property::Authenticity,
        "元数据项特殊字符检测",
        "检查每件的记录编号、题名、责任者、文号、备注和文件名中没有控制字符、零宽字符和改变文字方向的字符（如 U+202E），发现的字符以 <U+xxxx> 标出",
        faults.clone(),
        note(
            &faults,
            format!("{} 件的著录项都不含特殊字符", items.len()),
            "特殊字符",
        ),
    )
}

/// 1-8: values that must be unique are: each 件's 记录编号, and its 文号 where it has one.
/// (档号 repeats are judged with the 档号, 1-7.)
fn repeats(items: &[item::Item]) -> Check {
    let mut faults = Vec::new();
    let mut ids: BTreeMap<&str, &str> = BTreeMap::new();
    let mut references: BTreeMap<&str, &str> = BTreeMap::new();
    for i in items {
        if let Some(other) = ids.insert(&i.id, &i.archival_code) {
            faults.push(format!(
                "记录编号 {} 重复：件 {other} 与件 {}",
                i.id, i.archival_code
            ));
        }
        let reference = i.reference.trim();
        if !reference.is_empty()
            && let Some(other) = references.insert(reference, &i.archival_code)
        {
            faults.push(format!(
                "文号 {reference} 重复：件 {other} 与件 {}",
                i.archival_code
            ));
        }
    }
    item(
        Property::Authenticity,
        "元数据项重复性检测",
        "检查每件的记录编号互不重复，著录了文号的件文号互不重复（档号的重复见 1-7）",
        faults.clone(),
        note(
            &faults,
            format!("{} 件的记录编号和文号都不重复", items.len()),
            "重复",
        ),
    )
}

/// The 存储位置 values of a 文件目录.xml, unescaped.
fn places(xml: &str) -> Vec<String> {
    xml.split("<存储位置>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</存储位置>"))
        .map(|(place, _)| {
            place
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}
