//! One dated record of the studio archive (第十一条): who was taken on as an
//! apprentice and the grade each reached (带徒传技, 第十二条, 第四章（一）), activities
//! and exchanges (第四章（三）), innovations and results (第四章（二）), rules adopted,
//! changes of members (a change of 领办人 under 第十二条（二）), honours and funds
//! (第十六条). Every record has an id, a date, a title, the files that show it, and
//! `major = true` for a 重大活动 or 重大成果 to report to the bureau.
//!
//! Keys are English snake_case with the Chinese label as the schema title, as in the
//! studio data file.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use std::sync::OnceLock;

use crate::data::dates::Date;
use crate::data::model::HonourLevel;
use crate::data::schema::Format;

/// The record format version this dashi reads.
pub const FORMAT_VERSION: u32 = 1;

/// One record.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "技能大师工作室档案记录",
    description = "工作室专门档案（第十一条）中的一条记录：一个文件一条，加入档案后不再修改，更正时另写一条记录"
)]
pub struct Record {
    #[serde(rename = "$schema", default)]
    #[schemars(title = "数据格式说明文件")]
    pub schema: Option<String>,
    #[schemars(title = "记录格式版本", description = "目前为 1")]
    pub format_version: u32,
    #[schemars(title = "记录类别")]
    pub kind: RecordKind,
    #[schemars(
        title = "记录编号",
        description = "档案中唯一，如“活动-2027-001”；只用汉字、字母、数字和 - _"
    )]
    pub id: String,
    #[schemars(title = "日期", description = "事情发生的日期，格式 2027-03-15")]
    pub date: Date,
    #[schemars(title = "标题")]
    pub title: String,
    #[serde(default)]
    #[schemars(
        title = "重大活动或重大成果",
        description = "true 时加入档案同时生成向市人社局报告的文件（第十一条）"
    )]
    pub major: bool,
    #[serde(default)]
    #[schemars(
        title = "更正的记录编号",
        description = "本记录更正档案中已有的哪一条；列表中以本记录为准"
    )]
    pub corrects: Option<String>,
    #[serde(default)]
    #[schemars(
        title = "移出的附件",
        description = "更正记录专用：被更正记录中不再属于档案的附件的文件名，如 [\"照片1.jpg\"]；它们从当前档案中移出，历史版本中仍保留"
    )]
    pub removes: Vec<String>,
    #[serde(default)]
    #[schemars(title = "记录人")]
    pub recorded_by: Option<String>,
    #[serde(default)]
    #[schemars(title = "带徒", description = "类别为“带徒”时填写")]
    pub apprentice: Option<Apprentice>,
    #[serde(default)]
    #[schemars(title = "带徒进展", description = "类别为“带徒进展”时填写")]
    pub progress: Option<Progress>,
    #[serde(default)]
    #[schemars(title = "活动", description = "类别为“活动”时填写")]
    pub activity: Option<Activity>,
    #[serde(default)]
    #[schemars(title = "成果", description = "类别为“成果”时填写")]
    pub innovation: Option<Innovation>,
    #[serde(default)]
    #[schemars(title = "制度", description = "类别为“制度”时填写")]
    pub rule: Option<Rule>,
    #[serde(default)]
    #[schemars(title = "成员变动", description = "类别为“成员”时填写")]
    pub member: Option<MemberChange>,
    #[serde(default)]
    #[schemars(title = "荣誉", description = "类别为“荣誉”时填写")]
    pub honour: Option<HonourWon>,
    #[serde(default)]
    #[schemars(title = "经费", description = "类别为“经费”时填写")]
    pub fund: Option<Fund>,
    #[serde(default)]
    #[schemars(
        title = "附件",
        description = "照片、视频、扫描件等，路径相对于本记录文件所在的文件夹"
    )]
    pub files: Vec<Attachment>,
}

/// The kinds of record.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[schemars(description = "记录类别")]
pub enum RecordKind {
    #[serde(rename = "带徒")]
    Apprentice,
    #[serde(rename = "带徒进展")]
    Progress,
    #[serde(rename = "活动")]
    Activity,
    #[serde(rename = "成果")]
    Innovation,
    #[serde(rename = "制度")]
    Rule,
    #[serde(rename = "成员")]
    Member,
    #[serde(rename = "荣誉")]
    Honour,
    #[serde(rename = "经费")]
    Fund,
}

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        RecordKind::Apprentice,
        RecordKind::Progress,
        RecordKind::Activity,
        RecordKind::Innovation,
        RecordKind::Rule,
        RecordKind::Member,
        RecordKind::Honour,
        RecordKind::Fund,
    ];

    /// The kind as written in a record and used as its folder in the archive.
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Apprentice => "带徒",
            RecordKind::Progress => "带徒进展",
            RecordKind::Activity => "活动",
            RecordKind::Innovation => "成果",
            RecordKind::Rule => "制度",
            RecordKind::Member => "成员",
            RecordKind::Honour => "荣誉",
            RecordKind::Fund => "经费",
        }
    }

    /// The key of the table a record of this kind fills in.
    pub fn table(self) -> &'static str {
        match self {
            RecordKind::Apprentice => "apprentice",
            RecordKind::Progress => "progress",
            RecordKind::Activity => "activity",
            RecordKind::Innovation => "innovation",
            RecordKind::Rule => "rule",
            RecordKind::Member => "member",
            RecordKind::Honour => "honour",
            RecordKind::Fund => "fund",
        }
    }

    pub fn from_label(label: &str) -> Option<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .find(|k| k.label() == label.trim())
    }

    /// Whether a record of this kind can be a 重大活动 or 重大成果 (第十一条).
    pub fn may_be_major(self) -> bool {
        matches!(
            self,
            RecordKind::Activity | RecordKind::Innovation | RecordKind::Honour
        )
    }
}

impl Record {
    /// The kind tables this record fills in.
    pub fn filled_tables(&self) -> Vec<&'static str> {
        [
            ("apprentice", self.apprentice.is_some()),
            ("progress", self.progress.is_some()),
            ("activity", self.activity.is_some()),
            ("innovation", self.innovation.is_some()),
            ("rule", self.rule.is_some()),
            ("member", self.member.is_some()),
            ("honour", self.honour.is_some()),
            ("fund", self.fund.is_some()),
        ]
        .into_iter()
        .filter_map(|(key, filled)| filled.then_some(key))
        .collect()
    }

    /// Every file the record names, with the field that names it: its attachments, an
    /// apprentice's agreement, a change's approval document.
    pub fn named_files(&self) -> Vec<(String, &str)> {
        let mut files: Vec<(String, &str)> = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (format!("files[{i}].file"), f.file.as_str()))
            .collect();
        if let Some(agreement) = self
            .apprentice
            .as_ref()
            .and_then(|a| a.agreement.as_deref())
        {
            files.push(("apprentice.agreement".into(), agreement));
        }
        if let Some(approval) = self.member.as_ref().and_then(|m| m.approval.as_deref()) {
            files.push(("member.approval".into(), approval));
        }
        files
    }
}

/// An apprentice taken on (带徒传技, 第四章（一）).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Apprentice {
    #[schemars(title = "学徒姓名")]
    pub name: String,
    #[schemars(title = "学徒身份证号")]
    pub id_number: String,
    #[schemars(title = "职业（工种）")]
    pub occupation: String,
    #[serde(default)]
    #[schemars(
        title = "带徒时的职业技能等级",
        description = "如“中级工”；尚无等级可不填"
    )]
    pub level_at_start: Option<String>,
    #[serde(default)]
    #[schemars(title = "师傅", description = "不填时为工作室领办人")]
    pub master: Option<String>,
    #[serde(default)]
    #[schemars(title = "带徒协议", description = "师徒协议扫描件的路径")]
    pub agreement: Option<String>,
}

/// A grade an apprentice reached.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    #[schemars(title = "带徒记录编号", description = "该学徒“带徒”记录的编号")]
    pub apprentice: String,
    #[schemars(title = "学徒姓名")]
    pub name: String,
    #[schemars(
        title = "取得的职业技能等级",
        description = "国家职业技能等级，如“高级工”“技师”"
    )]
    pub level: String,
    #[serde(default)]
    #[schemars(title = "证书编号")]
    pub certificate_number: Option<String>,
    #[serde(default)]
    #[schemars(
        title = "等级下降的原因",
        description = "取得的等级低于此前已达到的等级时写明原因（如转换工种、此前记录有误）"
    )]
    pub reason: Option<String>,
}

/// Kinds of activity (第五条, 第四章（三）).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ActivityKind {
    #[serde(rename = "技术交流")]
    Exchange,
    #[serde(rename = "培训")]
    Training,
    #[serde(rename = "竞赛")]
    Competition,
    #[serde(rename = "讲座")]
    Lecture,
    #[serde(rename = "其他")]
    Other,
}

/// A technical exchange, training, competition or lecture.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    #[schemars(title = "活动类别")]
    pub category: ActivityKind,
    #[schemars(title = "地点")]
    pub place: String,
    #[schemars(title = "参加人数")]
    pub participants: u32,
    #[schemars(title = "活动内容", description = "可分段")]
    pub summary: String,
}

/// Kinds of result (第四章（二）).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum InnovationKind {
    #[serde(rename = "技术革新")]
    Innovation,
    #[serde(rename = "技术攻关")]
    Breakthrough,
    #[serde(rename = "专利")]
    Patent,
    #[serde(rename = "操作法")]
    Method,
    #[serde(rename = "绝技绝活")]
    Craft,
}

/// A technical innovation, 攻关, patent, operating method or 绝技绝活 written up.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Innovation {
    #[schemars(title = "成果类别")]
    pub category: InnovationKind,
    #[schemars(title = "成果内容和效果", description = "可分段")]
    pub result: String,
    #[serde(default)]
    #[schemars(title = "经济效益", description = "单位：万元")]
    pub benefit: Option<f64>,
    #[serde(default)]
    #[schemars(title = "专利号或证书编号")]
    pub number: Option<String>,
    #[serde(default)]
    #[schemars(title = "推广应用情况")]
    pub spread: Option<String>,
}

/// Studio rules and plans adopted.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(default)]
    #[schemars(title = "主要内容")]
    pub summary: Option<String>,
}

/// How the team changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum MemberChangeKind {
    #[serde(rename = "加入")]
    Joins,
    #[serde(rename = "退出")]
    Leaves,
    #[serde(rename = "职务变动")]
    Role,
    #[serde(rename = "更换领办人")]
    Leader,
}

/// A member joins, leaves or changes role; or the studio gets a new 领办人.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberChange {
    #[schemars(title = "变动类别")]
    pub change: MemberChangeKind,
    #[schemars(title = "姓名")]
    pub name: String,
    #[serde(default)]
    #[schemars(title = "身份证号", description = "加入和更换领办人时填写")]
    pub id_number: Option<String>,
    #[serde(default)]
    #[schemars(title = "工作室职务")]
    pub role: Option<String>,
    #[serde(default)]
    #[schemars(title = "职业技能等级")]
    pub skill_level: Option<String>,
    #[serde(default)]
    #[schemars(
        title = "核准文件",
        description = "更换领办人须有上级部门核准的文件（第十二条（二）），填扫描件路径"
    )]
    pub approval: Option<String>,
}

/// An honour won by the studio, the master or a member.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HonourWon {
    #[schemars(title = "获得者", description = "“工作室”，或领办人、成员的姓名")]
    pub holder: String,
    #[schemars(title = "级别")]
    pub level: HonourLevel,
    #[schemars(title = "授予单位")]
    pub issuer: String,
}

/// Money in or out (第四章 补助资金, 第十六条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum FundDirection {
    #[serde(rename = "收入")]
    In,
    #[serde(rename = "支出")]
    Out,
}

/// Funds received or spent.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fund {
    #[schemars(title = "收支")]
    pub direction: FundDirection,
    #[schemars(title = "金额", description = "单位：万元")]
    pub amount: f64,
    #[schemars(title = "来源或用途")]
    pub purpose: String,
}

/// A file of a record and what it shows.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    #[schemars(title = "文件", description = "路径相对于本记录文件所在的文件夹")]
    pub file: String,
    #[schemars(title = "内容说明", description = "如“交流会现场照片”")]
    pub shows: String,
}

/// The record format.
pub fn format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(Format::of::<Record>)
}

/// What a named file shows, for the report.
pub fn shows_of(record: &Record, field: &str) -> String {
    match field {
        "apprentice.agreement" => "带徒协议".into(),
        "member.approval" => "更换领办人的核准文件".into(),
        _ => field
            .strip_prefix("files[")
            .and_then(|rest| rest.split(']').next())
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| record.files.get(i))
            .map(|f| f.shows.trim().to_string())
            .unwrap_or_default(),
    }
}
