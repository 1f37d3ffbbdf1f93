//! The items of the 四性检测, each from what the validator, the 件 descriptions and the
//! files show.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::files::{self, Opened};
use super::package::{self, Package};
use super::{Check, FourError, FourReport, Outcome, Property, Stage, Totals};
use crate::archive::Archive;
use crate::archive::room::{catalogue, filing, formats, item, settings};
use crate::progress::Progress;
use crate::verify::ocfl::{self, Code};

/// The faults an item lists in full; more are counted.
const SHOWN: usize = 30;

/// One item: its property, name and method.
fn item(property: Property, name: &str, method: &str, faults: Vec<String>, note: String) -> Check {
    let outcome = if faults.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail
    };
    Check {
        number: String::new(),
        property,
        item: name.into(),
        method: method.into(),
        outcome,
        note,
        faults,
    }
}

fn not_applicable(property: Property, name: &str, method: &str, why: &str) -> Check {
    Check {
        number: String::new(),
        property,
        item: name.into(),
        method: method.into(),
        outcome: Outcome::NotApplicable,
        note: why.into(),
        faults: Vec::new(),
    }
}

/// The note of an item: `ok` when it passed, else how many faults.
fn note(faults: &[String], ok: String, what: &str) -> String {
    if faults.is_empty() {
        ok
    } else {
        format!("{} 处{what}", faults.len())
    }
}

/// Where each logical path belongs: the 件 that lists it.
struct Owners(BTreeMap<String, String>);

impl Owners {
    fn of(items: &[item::Item]) -> Owners {
        let mut map = BTreeMap::new();
        for i in items {
            let label = format!("件 {}（{}）", i.archival_code, i.id);
            for f in &i.files {
                map.insert(f.path.clone(), label.clone());
            }
        }
        Owners(map)
    }

    /// "件 …（…）：path" or the path alone.
    fn name(&self, logical: &str) -> String {
        match self.0.get(logical) {
            Some(owner) => format!("{owner}：{logical}"),
            None => logical.to_string(),
        }
    }
}

pub(super) fn run(
    package: &Package,
    stage: Stage,
    now: i64,
    progress: &dyn Progress,
) -> Result<FourReport, FourError> {
    let root = &package.root;
    let object = ocfl::verify_object(root, None, progress);
    let mut archive = Archive::open(root).map_err(|e| FourError::Read {
        path: root.clone(),
        detail: e.to_string(),
    })?;
    // Only what is filed (归档) is checked; pending records are not archives yet.
    let pending = archive.head.take().map(|h| {
        format!(
            "另有预归档（尚未归档）的 {}，不在本次检测范围内；归档后再检测",
            h.version()
        )
    });
    let items = catalogue::items(&archive);
    let settings = catalogue::settings_of(&archive);
    let n = archive.inventory.head_number();
    let state = archive.inventory.state(n);
    let owners = Owners::of(&items);
    // Content path → logical paths of the newest version (for naming what the
    // validator found).
    let mut logical_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_digest: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (logical, digest) in &state {
        by_digest.entry(digest).or_default().push(logical);
    }
    for (digest, paths) in &archive.inventory.manifest {
        for content in paths {
            let names = by_digest
                .get(digest.as_str())
                .map(|v| v.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default();
            logical_of.insert(content.clone(), names);
        }
    }
    let name_content = |content: &str| -> String {
        match logical_of.get(content).filter(|v| !v.is_empty()) {
            Some(names) => format!("{}（存储为 {content}）", owners.name(&names[0])),
            None => content.to_string(),
        }
    };
    let opened: BTreeMap<String, Opened> = state
        .keys()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|logical| {
            let opened = match archive.stored(n, logical) {
                Some(path) if path.is_file() => files::open(&path),
                _ => Opened {
                    broken: Some("文件不存在".into()),
                    ..Opened::default()
                },
            };
            ((*logical).clone(), opened)
        })
        .collect();

    let mut checks = Vec::new();
    // The validator's findings, by what they mean here.
    let problems: Vec<&ocfl::Finding> = object.problems.iter().filter(|p| p.error).collect();
    let on_disk = |p: &ocfl::Finding| p.path.as_deref().is_some_and(|c| root.join(c).is_file());
    let changed: Vec<String> = problems
        .iter()
        .filter(|p| (p.code == Code::E092 && on_disk(p)) || p.code == Code::E093)
        .map(|p| {
            format!(
                "{}：{}",
                name_content(p.path.as_deref().unwrap_or("")),
                p.message
            )
        })
        .collect();
    let missing: Vec<String> = problems
        .iter()
        .filter(|p| p.code == Code::E092 && !on_disk(p) && p.path.is_some())
        .map(|p| {
            format!(
                "{}：{}",
                name_content(p.path.as_deref().unwrap_or("")),
                p.message
            )
        })
        .collect();
    let extra_codes = [Code::E001, Code::E015, Code::E023, Code::E024];
    let mut extra: Vec<String> = problems
        .iter()
        .filter(|p| extra_codes.contains(&p.code))
        .map(|p| format!("{}：{}", p.path.as_deref().unwrap_or(""), p.message))
        .collect();
    let structure: Vec<String> = problems
        .iter()
        .filter(|p| !extra_codes.contains(&p.code) && !matches!(p.code, Code::E092 | Code::E093))
        .map(|p| {
            format!(
                "[{}] {}{}",
                p.code.id(),
                p.path
                    .as_deref()
                    .map(|c| format!("{c}："))
                    .unwrap_or_default(),
                p.message
            )
        })
        .collect();

    // 真实性
    checks.push(item(
        Property::Authenticity,
        "固化信息有效性检测",
        "逐一重新计算每个文件的 SHA-512 和 SHA-256，与各版本清单（inventory.json，其摘要另存于旁注文件）记载的值比对",
        changed.clone(),
        note(
            &changed,
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
    for i in &items {
        let at = format!("件 {}（{}）", i.archival_code, i.id);
        if !(1949..=today_year).contains(&i.year) {
            values.push(format!("{at}：年度 {} 不在合理范围内", i.year));
        }
        let day = crate::data::dates::Date::parse(&format!(
            "{}-{}-{}",
            i.date.get(..4).unwrap_or(""),
            i.date.get(4..6).unwrap_or(""),
            i.date.get(6..8).unwrap_or("")
        ));
        match day {
            Some(d) if i.date.len() == 8 && d.year == i.year => {}
            Some(_) if i.date.len() == 8 => {
                values.push(format!("{at}：日期 {} 与年度 {} 不符", i.date, i.year))
            }
            _ => values.push(format!("{at}：日期“{}”不是 8 位日期", i.date)),
        }
        if i.title.chars().count() > 500 || i.author.chars().count() > 200 {
            values.push(format!("{at}：题名或责任者过长"));
        }
        if !settings::kinds().contains(&i.kind.as_str()) {
            values.push(format!("{at}：类别“{}”不是档案中的一类件", i.kind));
        }
    }
    for f in settings::rules(&settings) {
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
    for i in &items {
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
    checks.push(item(
        Property::Authenticity,
        "档号规范性检测",
        "按 DA/T 22-2015 检查每个档号的结构（全宗号-门类代码·年度-保管期限-机构代码-件号，件号 4 位）与各段著录一致，且档号不重复",
        codes.clone(),
        note(&codes, format!("{} 个档号结构正确、互不重复", items.len()), "档号问题"),
    ));
    let mut consistent = Vec::new();
    for i in &items {
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
                        formats::format_name(k, o.pdf.is_some_and(|(_, a)| a)).to_string()
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
        ] {
            let report = name == package::REPORT_PDF || name == package::REPORT_JSON;
            let excused = report && package.sending;
            if !excused && !dir.join(name).exists() {
                package_faults.push(format!("移交包缺少 {name}（{what}）"));
            }
        }
    }
    checks.push(item(
        Property::Authenticity,
        "信息包结构检测",
        if package.is_transfer() {
            "按 OCFL 1.1 检查档案对象的结构（版本、清单、旁注、内容目录），并检查移交包含档案、归档文件目录、检测报告和说明文件"
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

    // 完整性
    let mut totals_faults = Vec::new();
    let mut filed_view = Archive::open(root).map_err(|e| FourError::Read {
        path: root.clone(),
        detail: e.to_string(),
    })?;
    filed_view.head = None;
    let undescribed = filing::describe(&filed_view, None, "")
        .map(|files| {
            files
                .into_iter()
                .filter(|f| f.logical.starts_with(item::DIR))
                .map(|f| f.logical)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    for logical in &undescribed {
        let id = logical
            .trim_start_matches(&format!("{}/", item::DIR))
            .trim_end_matches(".json");
        totals_faults.push(format!(
            "件 {id}：档案中有这一件，但没有著录或著录未包含它的全部文件"
        ));
    }
    let described_bytes: u64 = items.iter().flat_map(|i| &i.files).map(|f| f.bytes).sum();
    let actual_bytes: u64 = items
        .iter()
        .flat_map(|i| &i.files)
        .filter_map(|f| opened.get(&f.path).map(|o| o.bytes))
        .sum();
    if described_bytes != actual_bytes {
        totals_faults.push(format!(
            "著录的总字节数 {described_bytes} 与档案中文件的实际总字节数 {actual_bytes} 不符"
        ));
    }
    let pages: u64 = items.iter().map(|i| u64::from(i.pages)).sum();
    if let Some(dir) = &package.transfer {
        match catalogue_rows(&dir.join(package::CATALOGUE_DIR)) {
            Ok((rows, listed_pages)) => {
                if rows != items.len() {
                    totals_faults.push(format!(
                        "归档文件目录列有 {rows} 件，档案著录有 {} 件",
                        items.len()
                    ));
                }
                if listed_pages != pages {
                    totals_faults.push(format!(
                        "归档文件目录合计 {listed_pages} 页，档案著录合计 {pages} 页"
                    ));
                }
            }
            Err(why) => totals_faults.push(format!("归档文件目录无法读取：{why}")),
        }
        if let Some(sent) = std::fs::read(dir.join(package::REPORT_JSON))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        {
            let sent_items = sent["totals"]["items"].as_u64();
            let sent_bytes = sent["totals"]["bytes"].as_u64();
            if sent_items != Some(items.len() as u64) {
                totals_faults.push(format!(
                    "移交方检测报告记载 {} 件，接收到 {} 件",
                    sent_items.map_or("（无）".into(), |n| n.to_string()),
                    items.len()
                ));
            }
            let state_bytes: u64 = opened.values().map(|o| o.bytes).sum();
            if sent_bytes != Some(state_bytes) {
                totals_faults.push(format!(
                    "移交方检测报告记载 {} 字节，接收到 {state_bytes} 字节",
                    sent_bytes.map_or("（无）".into(), |n| n.to_string())
                ));
            }
        }
    }
    checks.push(item(
        Property::Integrity,
        "总件数、总字节数相符性检测",
        if package.is_transfer() {
            "核对档案中的每一件都已著录，著录的件数、页数与归档文件目录相符，件数和字节数与移交方检测报告相符"
        } else {
            "核对档案中的每一件（申报材料、每条记录及其更正、每份报告）都已著录，著录的总字节数与文件实际大小相符"
        },
        totals_faults.clone(),
        note(
            &totals_faults,
            format!("共 {} 件、{pages} 页、{actual_bytes} 字节，相符", items.len()),
            "件数或字节数不符",
        ),
    ));
    let mut runs = Vec::new();
    let mut by_class: BTreeMap<(u32, settings::Retention), Vec<u32>> = BTreeMap::new();
    for i in &items {
        by_class
            .entry((i.year, i.retention))
            .or_default()
            .push(i.number);
    }
    for ((year, retention), mut numbers) in by_class.clone() {
        numbers.sort_unstable();
        let set: BTreeSet<u32> = numbers.iter().copied().collect();
        let max = numbers.last().copied().unwrap_or(0);
        let gaps: Vec<String> = (1..=max)
            .filter(|k| !set.contains(k))
            .map(|k| format!("{k:04}"))
            .collect();
        if !gaps.is_empty() {
            runs.push(format!(
                "{year} 年 {}：缺件号 {}",
                retention.words(),
                gaps.join("、")
            ));
        }
        if set.len() != numbers.len() {
            runs.push(format!("{year} 年 {}：件号重复", retention.words()));
        }
    }
    checks.push(item(
        Property::Integrity,
        "连续性元数据项检测",
        "在每个年度和保管期限内，件号应从 0001 起连续、不重复",
        runs.clone(),
        note(
            &runs,
            format!("{} 个年度、保管期限的件号连续", by_class.len()),
            "件号不连续",
        ),
    ));
    let mut required = Vec::new();
    for i in &items {
        let at = format!("件 {}（{}）", i.archival_code, i.id);
        for (value, what) in [
            (&i.title, "题名"),
            (&i.author, "责任者"),
            (&i.date, "日期"),
            (&i.filed_in, "归档版本"),
        ] {
            if value.trim().is_empty() {
                required.push(format!("{at}：缺{what}"));
            }
        }
        if i.pages == 0 {
            required.push(format!("{at}：页数为 0"));
        }
        if i.files.is_empty() {
            required.push(format!("{at}：没有著录文件"));
        }
    }
    checks.push(item(
        Property::Integrity,
        "元数据项完整性检测",
        "检查每件的必备著录项：档号、题名、责任者、日期、页数、归档版本和文件清单",
        required.clone(),
        note(
            &required,
            format!("{} 件的必备著录项齐全", items.len()),
            "著录项缺失",
        ),
    ));
    let mut absent = missing.clone();
    for i in &items {
        for f in &i.files {
            if !state.contains_key(&f.path) {
                absent.push(format!(
                    "件 {}（{}）：{}：著录的文件不在档案中",
                    i.archival_code, i.id, f.path
                ));
            }
        }
    }
    checks.push(item(
        Property::Integrity,
        "内容数据完整性检测",
        "核对每件著录的文件、每条记录所列的附件都在档案中，版本清单列出的每个存储文件都存在",
        absent.clone(),
        note(&absent, format!("{} 个文件齐全", state.len()), "文件缺失"),
    ));

    // 可用性
    let mut unreadable_meta = Vec::new();
    for (logical, _) in state
        .iter()
        .filter(|(p, _)| crate::archive::room::replaceable(p))
    {
        let bytes = archive
            .stored(n, logical)
            .and_then(|p| std::fs::read(p).ok());
        let ok = match bytes {
            Some(b) if logical.starts_with(item::DIR) => {
                serde_json::from_slice::<item::Item>(&b).is_ok()
            }
            Some(b) => String::from_utf8(b)
                .ok()
                .is_some_and(|t| toml::from_str::<settings::Settings>(&t).is_ok()),
            None => false,
        };
        if !ok {
            unreadable_meta.push(format!("{logical}：无法读取或解析"));
        }
    }
    checks.push(item(
        Property::Usability,
        "元数据可读性检测",
        "读取并解析版本清单、档案设置和每件的著录信息",
        unreadable_meta.clone(),
        note(
            &unreadable_meta,
            "全部可以读取和解析".into(),
            "元数据无法读取",
        ),
    ));
    let list = |pick: &dyn Fn(&Opened) -> Option<String>| -> Vec<String> {
        opened
            .iter()
            .filter_map(|(logical, o)| {
                pick(o).map(|why| format!("{}：{why}", owners.name(logical)))
            })
            .collect()
    };
    let broken = list(&|o| o.broken.clone().filter(|b| b != "文件不存在"));
    checks.push(item(
        Property::Usability,
        "内容数据可读性检测",
        "逐一打开每个文件并完整解码：PDF 解析全部页面，JPEG、PNG、TIFF 解码全部像素，MP4 读取影片头，数据文件按 TOML、JSON 解析",
        broken.clone(),
        note(&broken, format!("{} 个文件都能正常打开", opened.len()), "文件无法打开"),
    ));
    let unlisted = list(&|o| {
        (!o.listed && o.kind.is_some())
            .then(|| format!("{} 不在归档格式范围内", o.kind.map_or("", |k| k.name())))
    });
    let plain_pdfs = opened
        .values()
        .filter(|o| o.pdf.is_some_and(|(_, a)| !a))
        .count();
    let pdfa = opened
        .values()
        .filter(|o| o.pdf.is_some_and(|(_, a)| a))
        .count();
    checks.push(item(
        Property::Usability,
        "内容数据格式检测",
        "由文件内容识别格式，须为归档格式：版式文档 PDF（宜为 PDF/A），图像 JPEG、TIFF、PNG，视频 MP4，数据和说明为 UTF-8 文本",
        unlisted.clone(),
        note(
            &unlisted,
            format!("格式全部符合；其中 PDF/A {pdfa} 个，其他 PDF {plain_pdfs} 个（扫描件合订本等）"),
            "格式不符",
        ),
    ));
    let sealed = list(&|o| o.sealed.clone());
    checks.push(item(
        Property::Usability,
        "加密和非公开压缩检测",
        "检查 PDF 是否加密，是否有压缩包、复合文档等无法直接检测内容的文件",
        sealed.clone(),
        note(&sealed, "没有加密或打包的文件".into(), "加密或打包的文件"),
    ));

    // 安全性
    let programs = list(&|o| o.active.clone().filter(|_| o.pdf.is_none()));
    checks.push(item(
        Property::Security,
        "可执行程序、脚本和宏检测",
        "由文件内容和扩展名识别可执行程序（PE、ELF、Mach-O）、脚本（#!、.js、.vbs、.bat、.ps1 等）和可含宏的复合文档",
        programs.clone(),
        note(&programs, "没有可执行程序、脚本或宏".into(), "程序或脚本"),
    ));
    let scripts = list(&|o| {
        o.active
            .clone()
            .filter(|_| o.pdf.is_some() || o.kind == Some(formats::Kind::Pdf))
    });
    checks.push(item(
        Property::Security,
        "PDF 活动内容检测",
        "在每个 PDF 的对象和解压后的数据流中查找 JavaScript、/JS 和启动动作（/Launch）",
        scripts.clone(),
        note(
            &scripts,
            format!("{} 个 PDF 都没有 JavaScript 或启动动作", pdfa + plain_pdfs),
            "PDF 含活动内容",
        ),
    ));
    if let Some(dir) = &package.transfer {
        for entry in crate::walk::below(dir, |e| {
            e.depth() > 1 || e.file_name() != package::ARCHIVE_DIR
        }) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(u) => {
                    extra.push(u.to_string());
                    continue;
                }
            };
            let rel = entry
                .path()
                .strip_prefix(dir)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let top = rel.split('/').next().unwrap_or("");
            let expected: [&str; 6] = [
                package::ARCHIVE_DIR,
                package::CATALOGUE_DIR,
                package::REPORT_PDF,
                package::REPORT_JSON,
                package::README,
                package::CATALOGUE_XML,
            ];
            if !expected.contains(&top) {
                extra.push(format!("{rel}：不属于移交包"));
            }
        }
    }
    checks.push(item(
        Property::Security,
        "非归档文件检测",
        "检查档案对象和移交包中没有清单以外的文件或文件夹",
        extra.clone(),
        note(&extra, "没有清单以外的文件".into(), "清单以外的文件"),
    ));
    match &package.carrier {
        Some(carrier) => checks.push(item(
            Property::Security,
            "载体读取检测",
            "从光盘映像的 Rock Ridge 和 Joliet 两个目录树列出文件，核对二者指向相同的数据，并完整读出每个文件",
            carrier.faults.clone(),
            note(
                &carrier.faults,
                format!("完整读出 {} 个文件、{} 字节", carrier.files, carrier.bytes),
                "文件读取失败",
            ),
        )),
        None => checks.push(not_applicable(
            Property::Security,
            "载体读取检测",
            "完整读出光盘映像中的每个文件",
            "检测对象是文件夹，不是光盘映像",
        )),
    }
    checks.push(not_applicable(
        Property::Security,
        "病毒检测",
        "用杀毒软件扫描全部文件",
        "dashi 不含杀毒软件；请用本单位的杀毒软件扫描后在报告上注明（可执行程序、脚本和 PDF 活动内容已由上两项检测）",
    ));

    for c in &mut checks {
        if c.faults.len() > SHOWN {
            let more = c.faults.len() - SHOWN;
            c.faults.truncate(SHOWN);
            c.faults.push(format!("……另有 {more} 处"));
        }
    }
    super::number(&mut checks);
    let count = |o: Outcome| checks.iter().filter(|c| c.outcome == o).count();
    let (passed, failed, not_applicable) = (
        count(Outcome::Pass),
        count(Outcome::Fail),
        count(Outcome::NotApplicable),
    );
    Ok(FourReport {
        stage,
        stage_words: stage.words(),
        target: String::new(),
        object: object.id.clone().unwrap_or_default(),
        fonds: settings.fonds.clone(),
        fonds_name: settings.fonds_name.clone(),
        version: archive.inventory.head.clone(),
        digest: archive.digest.clone(),
        digest_lines: crate::seal::digest::hex_groups(&archive.digest)
            .chunks(4)
            .map(|l| l.join(" "))
            .collect(),
        totals: Totals {
            items: items.len(),
            files: state.len(),
            bytes: opened.values().map(|o| o.bytes).sum(),
            pages,
        },
        checks,
        passed,
        failed,
        not_applicable,
        intact: failed == 0,
        date: String::new(),
        pending,
    })
}

/// The rows and summed 页数 of the catalogue workbooks in a folder.
fn catalogue_rows(dir: &std::path::Path) -> Result<(usize, u64), String> {
    use calamine::{DataType, Reader, open_workbook_auto};
    let mut rows = 0;
    let mut pages = 0u64;
    let mut found = false;
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| crate::fsio::why(&e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    names.sort();
    for path in names {
        found = true;
        let mut book = open_workbook_auto(&path).map_err(|e| format!("{}：{e}", path.display()))?;
        let Some(sheet) = book.sheet_names().first().cloned() else {
            continue;
        };
        let range = book
            .worksheet_range(&sheet)
            .map_err(|e| format!("{}：{e}", path.display()))?;
        for row in range.rows().skip(1) {
            if row.first().is_some_and(|c| !c.is_empty()) {
                rows += 1;
                pages += row.get(7).and_then(|c| c.as_f64()).unwrap_or(0.0) as u64;
            }
        }
    }
    if !found {
        return Err("没有 xlsx 文件".into());
    }
    Ok((rows, pages))
}
