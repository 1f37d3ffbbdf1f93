//! The archive's settings for the archive room (DA/T 22-2015 5.4, DA/T 13): 全宗号 and
//! 全宗名称 of the unit, the 档案门类代码, the 机构（问题）代码 and the 保管期限 of each
//! kind of 件. Kept in the archive as `档案设置.toml` (changed by `dashi archive set`
//! as a pending change, so it takes effect at the next 归档); an archive without one
//! uses the defaults below, with the applying unit as 全宗名称.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::data::load::{self, Document, LoadError};
use crate::data::record::RecordKind;
use crate::data::schema::Format;
use crate::finding::{Code, Finding};

/// The settings' logical path in the archive.
pub const LOGICAL: &str = crate::archive::SETTINGS_FILE;

/// The 件 of the application (the sealed bag of v1) in the 保管期限 table.
pub const APPLICATION: &str = "申报";
/// The 件 of the evaluation and acceptance reports.
pub const REPORTS: &str = "报告";

/// 保管期限 (DA/T 22-2015 5.4.3): 永久, 定期 30 年, 定期 10 年.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
pub enum Retention {
    #[serde(rename = "Y")]
    Permanent,
    #[serde(rename = "D30")]
    Thirty,
    #[serde(rename = "D10")]
    Ten,
}

impl Retention {
    pub const ALL: [Retention; 3] = [Retention::Permanent, Retention::Thirty, Retention::Ten];

    /// The code in a 档号.
    pub fn code(self) -> &'static str {
        match self {
            Retention::Permanent => "Y",
            Retention::Thirty => "D30",
            Retention::Ten => "D10",
        }
    }

    /// The words on a cover and a 归档章.
    pub fn words(self) -> &'static str {
        match self {
            Retention::Permanent => "永久",
            Retention::Thirty => "30年",
            Retention::Ten => "10年",
        }
    }

    pub fn from_code(code: &str) -> Option<Retention> {
        Retention::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The settings file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "档案设置",
    description = "档号各段（DA/T 22-2015 归档文件整理规则）；改动只影响以后归档的件"
)]
pub struct Settings {
    #[schemars(
        title = "全宗号",
        description = "档案馆给立档单位编的代号：4 位数字或大写字母与数字，如“0001”“J001”；档案馆给出之前留空"
    )]
    pub fonds: String,
    #[schemars(title = "全宗名称", description = "立档单位的全称或规范化简称")]
    pub fonds_name: String,
    #[schemars(title = "档案门类代码", description = "2 位大写字母，如文书档案“WS”")]
    pub category: String,
    #[schemars(
        title = "机构（问题）代码",
        description = "1 至 4 位大写字母或数字，如“GZS”"
    )]
    pub unit: String,
    #[schemars(
        title = "保管期限",
        description = "每类件的保管期限：Y 永久、D30 定期30年、D10 定期10年"
    )]
    pub retention: BTreeMap<String, Retention>,
    #[serde(default)]
    #[schemars(
        title = "经办人",
        description = "在档案中加入、撤回、归档记录的人，记入每个版本的处理过程（DA/T 70 过程信息）；留空时记本机登录账户名（标明“系统账户”；系统没有给出账户名时沿用上一版本的经办人，最初是申报单位的联系人）"
    )]
    pub operator: String,
}

/// The kinds of 件 the 保管期限 table names: the application, each record kind, reports.
pub fn kinds() -> Vec<&'static str> {
    let mut all = vec![APPLICATION];
    all.extend(RecordKind::ALL.iter().map(|k| k.label()));
    all.push(REPORTS);
    all
}

/// The default 保管期限 of a kind of 件: what the studio is and does (application,
/// apprentices, results, members, honours, reports) permanently; progress notes, rules,
/// activities and funds 30 years.
pub fn default_retention(kind: &str) -> Retention {
    match kind {
        "带徒进展" | "制度" | "活动" | "经费" => Retention::Thirty,
        _ => Retention::Permanent,
    }
}

impl Settings {
    /// The defaults, with `unit_name` (the applying unit) as 全宗名称.
    pub fn defaults(unit_name: &str) -> Settings {
        Settings {
            // Blank until the archive gives one (DA/T 22 lets the 全宗号 wait).
            fonds: String::new(),
            fonds_name: unit_name.trim().to_string(),
            category: "WS".into(),
            unit: "GZS".into(),
            retention: kinds()
                .into_iter()
                .map(|k| (k.to_string(), default_retention(k)))
                .collect(),
            operator: String::new(),
        }
    }

    /// The 保管期限 of a kind of 件 (the default when the table leaves it out).
    pub fn retention_of(&self, kind: &str) -> Retention {
        self.retention
            .get(kind)
            .copied()
            .unwrap_or_else(|| default_retention(kind))
    }

    /// The settings as the archive stores them: a commented TOML file.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# 档案设置（DA/T 22-2015 归档文件整理规则）：档号 = 全宗号-门类代码·年度-保管期限-机构代码-件号\n\
             # 用 dashi archive set 修改；全宗号给出后，下次归档时填入每一件，其余改动只影响以后编号的件\n\n",
        );
        let line = |key: &str, value: &str, note: &str| {
            format!("{key} = {}  # {note}\n", toml_string(value))
        };
        out += &line("fonds", &self.fonds, "全宗号");
        out += &line("fonds_name", &self.fonds_name, "全宗名称");
        out += &line("category", &self.category, "档案门类代码");
        out += &line("unit", &self.unit, "机构（问题）代码");
        out += &line(
            "operator",
            &self.operator,
            "经办人（记入每个版本的处理过程）",
        );
        out += "\n[retention]  # 保管期限：Y 永久，D30 定期30年，D10 定期10年\n";
        for kind in kinds() {
            out += &format!(
                "{} = \"{}\"\n",
                toml_string(kind),
                self.retention_of(kind).code()
            );
        }
        for (kind, r) in &self.retention {
            if !kinds().contains(&kind.as_str()) {
                out += &format!("{} = \"{}\"\n", toml_string(kind), r.code());
            }
        }
        out
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The settings the newest version of `inventory` (the archive's root inventory, or
/// its head's) holds, when it holds readable ones.
pub fn stored_in(
    archive: &crate::archive::Archive,
    inventory: &crate::archive::inventory::Inventory,
) -> Option<Settings> {
    let state = inventory.state(inventory.head_number());
    let content = inventory.content_of(state.get(LOGICAL)?)?;
    let text = std::fs::read_to_string(archive.root.join(content)).ok()?;
    toml::from_str(&text).ok()
}

/// Who the archive's next version is by: the 经办人 its settings name (a pending change
/// included, so a new operator counts at once), else the account logged in at this
/// computer, else who the last version was by, else the applying unit's contact.
pub fn operator(
    archive: &crate::archive::Archive,
    app: Option<&crate::data::model::Application>,
) -> crate::archive::inventory::User {
    let fallback = archive
        .last_user()
        .unwrap_or_else(|| crate::archive::init::user_of(app));
    match stored_in(archive, archive.current()).map(|s| s.operator) {
        Some(name) if !name.trim().is_empty() => crate::archive::inventory::User {
            name: name.trim().to_string(),
            address: fallback.address,
        },
        _ => crate::archive::init::account_or(fallback),
    }
}

/// The defaults for the archive's applying unit.
pub fn defaults_of(archive: &crate::archive::Archive) -> Settings {
    Settings::defaults(
        &archive
            .application()
            .map_or_else(String::new, |a| a.unit.name),
    )
}

/// The settings format.
pub fn format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(Format::of::<Settings>)
}

/// Settings read from a file, with every finding at its line.
pub struct Read {
    pub doc: Document,
    pub settings: Option<Settings>,
    pub findings: Vec<Finding>,
}

/// Reads a settings file (one an archive room edited by hand, or the archive's own).
pub fn read(path: &Path, text: String) -> Result<Read, LoadError> {
    match load::read_as::<Settings>(format(), path, text) {
        Ok(partial) => {
            let mut findings = partial.findings;
            findings.extend(
                rules(&partial.value)
                    .into_iter()
                    .filter(|f| !f.rests_on(&partial.unsure)),
            );
            let whole = partial.unsure.is_empty();
            Ok(Read {
                doc: partial.doc,
                settings: whole.then_some(partial.value),
                findings,
            })
        }
        Err(LoadError::Invalid { doc, findings }) => Ok(Read {
            doc: *doc,
            settings: None,
            findings,
        }),
        Err(other) => Err(other),
    }
}

/// The rules of the settings (DA/T 13 档号编制规则, DA/T 22-2015 5.4): the parts of a
/// 档号 are short codes of capitals and digits, and every kind of 件 the table names
/// exists.
pub fn rules(settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    let code = |s: &str, lens: std::ops::RangeInclusive<usize>, letters_only: bool| {
        lens.contains(&s.chars().count())
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || (!letters_only && c.is_ascii_digit()))
    };
    if !settings.fonds.is_empty() && !code(&settings.fonds, 4..=4, false) {
        out.push(
            Finding::new(
                Code::ArchiveSettings,
                "fonds",
                format!("全宗号“{}”不是 4 位数字或大写字母", settings.fonds),
            )
            .hint("填档案馆编给本单位的全宗号，如“0001”或“J001”；不足 4 位的前面补 0"),
        );
    }
    if settings.fonds_name.trim().is_empty() {
        out.push(
            Finding::new(Code::ArchiveSettings, "fonds_name", "全宗名称为空")
                .hint("填立档单位的全称或规范化简称"),
        );
    }
    if !code(&settings.category, 2..=2, true) {
        out.push(
            Finding::new(
                Code::ArchiveSettings,
                "category",
                format!("档案门类代码“{}”不是 2 位大写字母", settings.category),
            )
            .hint("文书档案填“WS”；按本单位档案分类方案填写"),
        );
    }
    if !code(&settings.unit, 1..=4, false) {
        out.push(
            Finding::new(
                Code::ArchiveSettings,
                "unit",
                format!(
                    "机构（问题）代码“{}”不是 1 至 4 位大写字母或数字",
                    settings.unit
                ),
            )
            .hint("按本单位分类方案填写，如“GZS”"),
        );
    }
    for kind in settings.retention.keys() {
        if !kinds().contains(&kind.as_str()) {
            out.push(
                Finding::new(
                    Code::ArchiveSettings,
                    format!("retention.{kind}"),
                    format!("保管期限表中的“{kind}”不是档案中的一类件"),
                )
                .hint(format!("可填的类别：{}", kinds().join("、"))),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_pass_their_rules_and_read_back() {
        let s = Settings::defaults("呼和浩特某公司");
        assert!(rules(&s).is_empty());
        let back: Settings = toml::from_str(&s.to_toml()).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn a_malformed_fonds_is_a_finding_at_its_line() {
        let text = Settings::defaults("某单位")
            .to_toml()
            .replace("fonds = \"\"", "fonds = \"01\"");
        let read = read(Path::new("档案设置.toml"), text).unwrap();
        let f = &read.findings[0];
        assert_eq!(f.code, Code::ArchiveSettings);
        let span = read.doc.span_of(&f.path).unwrap();
        let (line, _) = crate::finding::line_col(&read.doc.text, span.start);
        assert_eq!(line, 4);
    }
}
