//! The studio data file as Rust types: one `Application` describes one application
//! completely (附件1, 附件2, 附件3, the 单位推荐报告 and the evidence list).
//!
//! Keys are English snake_case; every field carries its Chinese form label as the schema
//! `title`, which is also how messages name it. Values the rules judge (民族, 政治面貌,
//! skill levels, numbers) stay plain strings here so that the checks can report every
//! problem at once with a suggestion, instead of serde stopping at the first.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::dates::{Date, YearMonth};

/// One application for a Hohhot skill master studio.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "技能大师工作室申报数据",
    description = "一份呼和浩特市技能大师工作室建设项目申报的全部内容"
)]
pub struct Application {
    /// JSON files may name their schema here; TOML files use a `#:schema` comment.
    #[serde(rename = "$schema", default)]
    #[schemars(
        title = "数据格式说明文件",
        description = "JSON 文件可在此写 schema 路径；TOML 文件用第一行的 #:schema 注释"
    )]
    pub schema: Option<String>,
    /// Version of this data format, so that later versions of dashi can read old files.
    #[schemars(title = "数据格式版本", description = "目前为 1")]
    pub format_version: u32,
    #[schemars(
        title = "填报时间",
        description = "申报表封面的填报时间，格式 2026-11-20"
    )]
    pub filled_on: Date,
    #[schemars(title = "工作室")]
    pub studio: Studio,
    #[schemars(title = "申报单位")]
    pub unit: Unit,
    #[schemars(title = "技能大师")]
    pub master: Master,
    #[serde(default)]
    #[schemars(title = "工作室成员")]
    pub members: Vec<Member>,
    #[schemars(title = "计划目标", description = "第四章规定的年度产出")]
    pub plan: Plan,
    #[schemars(title = "申报书", description = "附件3 第二至第八部分")]
    pub proposal: Proposal,
    #[schemars(title = "单位推荐")]
    pub recommendation: Recommendation,
    #[serde(default)]
    #[schemars(
        title = "佐证材料",
        description = "第八条第4、5项要求的复印件或证书编码"
    )]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    #[schemars(title = "打印与装订")]
    pub print: Print,
    /// Names of the sample (or former names) that rightly stay where they stand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(
        title = "确认保留的名称",
        description = "样例中的人名、单位名（或改名前的名称）确实应当出现在本申报中时，列在这里，dashi 不再提示"
    )]
    pub confirmed_names: Vec<String>,
}

/// The studio itself (附件2 cover and 工作室 rows, 附件3 item 1).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "工作室的基本情况（申报表封面和工作室各栏，申报书第一部分）")]
pub struct Studio {
    #[schemars(
        title = "申办工作室名称",
        description = "格式为“呼和浩特市+领办人姓名+技能大师工作室”"
    )]
    pub name: String,
    #[schemars(title = "工作室职业（工种）")]
    pub occupation: String,
    #[schemars(title = "工作室地点")]
    pub location: String,
    #[schemars(title = "工作室面积", description = "单位：平方米")]
    pub area: f64,
    #[schemars(title = "工作室基本设施", description = "场所、设备等，可分段")]
    pub facilities: String,
}

/// The host unit (申报单位, 依托单位) of 附件1, 附件2 and 第七条(二).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "申报单位（依托单位）：承诺书、申报表和第七条（二）所需信息")]
pub struct Unit {
    #[schemars(title = "申报单位名称")]
    pub name: String,
    #[schemars(
        title = "依托单位类型",
        description = "决定适用第七条（二）的哪一组条件"
    )]
    pub kind: UnitKind,
    #[serde(default)]
    #[schemars(
        title = "单位性质",
        description = "申报表“单位性质”一栏，如“国有企业”；不填时用依托单位类型"
    )]
    pub nature: Option<String>,
    #[schemars(title = "统一社会信用代码")]
    pub credit_code: String,
    #[schemars(title = "法人代表", description = "承诺书上签字的法定代表人")]
    pub legal_representative: String,
    #[schemars(title = "负责人")]
    pub head: Head,
    #[schemars(title = "联系人")]
    pub contact: Contact,
    #[schemars(title = "E-mail")]
    pub email: String,
    #[serde(default)]
    #[schemars(title = "传真")]
    pub fax: Option<String>,
    #[schemars(title = "开户银行")]
    pub bank: String,
    #[schemars(title = "账号")]
    pub account: String,
    #[schemars(title = "通信地址")]
    pub address: String,
    #[schemars(title = "邮政编码")]
    pub postal_code: String,
    #[serde(default)]
    #[schemars(
        title = "职工教育经费",
        description = "企事业单位、科研机构必填（第七条（二））"
    )]
    pub education_fund: Option<EducationFund>,
    #[schemars(title = "为工作室提供资金支持")]
    pub provides_funding: bool,
    #[schemars(title = "为工作室提供场所")]
    pub provides_site: bool,
    #[schemars(title = "为工作室提供设备")]
    pub provides_equipment: bool,
    #[serde(default)]
    #[schemars(
        title = "积极开展职业技能培训",
        description = "职业培训机构等培训载体必填（第七条（二））"
    )]
    pub runs_vocational_training: Option<bool>,
}

/// Kinds of host unit named in 第三条 and 第七条(二).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[schemars(description = "依托单位类型（第三条、第七条（二））")]
pub enum UnitKind {
    #[serde(rename = "企业")]
    Enterprise,
    #[serde(rename = "事业单位")]
    PublicInstitution,
    #[serde(rename = "科研机构")]
    ResearchInstitute,
    #[serde(rename = "高等院校")]
    University,
    #[serde(rename = "技工院校")]
    TechnicalSchool,
    #[serde(rename = "职业院校")]
    VocationalCollege,
    #[serde(rename = "职业培训机构")]
    TrainingInstitution,
    #[serde(rename = "高技能人才培训基地")]
    HighSkillTrainingBase,
    #[serde(rename = "创业示范园区")]
    EntrepreneurshipPark,
    #[serde(rename = "创业实训基地")]
    EntrepreneurshipTrainingBase,
    #[serde(rename = "就业技能实训基地")]
    EmploymentTrainingBase,
}

impl UnitKind {
    /// The kind as written in the data file and printed on the form.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Enterprise => "企业",
            UnitKind::PublicInstitution => "事业单位",
            UnitKind::ResearchInstitute => "科研机构",
            UnitKind::University => "高等院校",
            UnitKind::TechnicalSchool => "技工院校",
            UnitKind::VocationalCollege => "职业院校",
            UnitKind::TrainingInstitution => "职业培训机构",
            UnitKind::HighSkillTrainingBase => "高技能人才培训基地",
            UnitKind::EntrepreneurshipPark => "创业示范园区",
            UnitKind::EntrepreneurshipTrainingBase => "创业实训基地",
            UnitKind::EmploymentTrainingBase => "就业技能实训基地",
        }
    }

    /// 第七条(二) has one set of conditions for 企事业单位、科研机构 (schools and colleges are
    /// 事业单位 or enterprises) and another for 职业培训机构 and the other training carriers.
    pub fn is_training_carrier(self) -> bool {
        matches!(
            self,
            UnitKind::TrainingInstitution
                | UnitKind::HighSkillTrainingBase
                | UnitKind::EntrepreneurshipPark
                | UnitKind::EntrepreneurshipTrainingBase
                | UnitKind::EmploymentTrainingBase
        )
    }
}

/// 负责人 row of 附件2.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "申报表“负责人”一栏")]
pub struct Head {
    #[schemars(title = "姓名")]
    pub name: String,
    #[schemars(title = "办公电话")]
    pub office_phone: String,
}

/// 联系人 row of 附件2.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "申报表“联系人”一栏")]
pub struct Contact {
    #[schemars(title = "姓名")]
    pub name: String,
    #[schemars(title = "办公电话")]
    pub office_phone: String,
    #[schemars(title = "手机")]
    pub mobile: String,
}

/// The staff education fund figures that 第七条(二) judges.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "第七条（二）所审核的职工教育经费数字")]
pub struct EducationFund {
    #[schemars(title = "年度", description = "经费数字所属年度，如 2025")]
    pub year: u32,
    #[schemars(title = "职工教育经费总额", description = "单位：万元")]
    pub total: f64,
    #[schemars(
        title = "用于高技能人才培养、交流的费用",
        description = "单位：万元；不得低于总额的 50%"
    )]
    pub high_skill: f64,
}

/// The skill master (技能大师, 领办人) of 附件2 and 第七条(一).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "技能大师（领办人）：申报表各栏和第七条（一）所需信息")]
pub struct Master {
    #[schemars(title = "技能大师姓名")]
    pub name: String,
    #[schemars(title = "性别")]
    pub sex: Sex,
    #[schemars(title = "民族", description = "56 个民族之一，如“汉族”“蒙古族”")]
    pub ethnicity: String,
    #[schemars(title = "出生年月", description = "格式 1978-05")]
    pub birth: YearMonth,
    #[schemars(title = "参加工作时间", description = "格式 1996-07")]
    pub work_start: YearMonth,
    #[schemars(title = "政治面貌", description = "按 GB/T 4762，如“中共党员”“群众”")]
    pub political_status: String,
    #[schemars(title = "身份证号")]
    pub id_number: String,
    #[schemars(title = "工作单位及职务")]
    pub employer_and_title: String,
    #[schemars(title = "从事职业（工种）")]
    pub occupation: String,
    #[schemars(
        title = "职业技能等级",
        description = "如“高级技师”“特级技师”“首席技师”"
    )]
    pub skill_level: String,
    #[schemars(title = "联系电话")]
    pub phone: String,
    #[schemars(title = "手机")]
    pub mobile: String,
    #[schemars(title = "领办人条件", description = "第七条（一）")]
    pub qualification: Qualification,
    #[serde(default)]
    #[schemars(title = "获奖及荣誉称号", description = "市级以上获奖须附证书")]
    pub honours: Vec<Honour>,
    #[serde(default)]
    #[schemars(title = "工作业绩与创新成果", description = "每项写清时间、内容、结果")]
    pub achievements: Vec<Achievement>,
}

/// 性别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[schemars(description = "性别")]
pub enum Sex {
    #[serde(rename = "男")]
    Male,
    #[serde(rename = "女")]
    Female,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// Which condition of 第七条(一) the master meets.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "领办人符合第七条（一）的哪一项条件")]
pub struct Qualification {
    #[schemars(
        title = "符合第七条（一）第几项",
        description = "1：高技能领军人才；2：自治区级奖项或称号；3：掌握民间绝技的高技能人才"
    )]
    pub category: u32,
    #[serde(default)]
    #[schemars(
        title = "第3项所具备的条件",
        description = "第3项须具备（1）至（4）中至少一项，填写编号，如 1、4"
    )]
    pub conditions: Vec<u32>,
    #[serde(default)]
    #[schemars(title = "条件说明")]
    pub statement: String,
}

/// Levels of an honour; 第八条 5 asks for certificates of 市级以上 awards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[schemars(description = "奖项级别；第八条第5项要求市级以上获奖证书")]
pub enum HonourLevel {
    #[serde(rename = "国家级")]
    National,
    #[serde(rename = "自治区级")]
    Regional,
    #[serde(rename = "市级")]
    Municipal,
    #[serde(rename = "其他")]
    Other,
}

/// A prize or title the master holds.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "领办人获得的一项奖项或荣誉称号")]
pub struct Honour {
    #[schemars(title = "奖项或称号", description = "按证书填写，如“全国技术能手”")]
    pub title: String,
    #[schemars(title = "获得时间", description = "格式 2019-10")]
    pub awarded_on: YearMonth,
    #[schemars(title = "授予单位")]
    pub issuer: String,
    #[schemars(title = "级别")]
    pub level: HonourLevel,
    #[serde(default)]
    #[schemars(
        title = "佐证材料编号",
        description = "对应 evidence 中的 id，如 \"E05\""
    )]
    pub evidence: Option<String>,
}

/// One dated line of 技能大师工作业绩、获奖情况、主要创新发明等情况 (时间、内容、结果).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "一项工作业绩或创新成果（时间、内容、结果）")]
pub struct Achievement {
    #[schemars(title = "时间", description = "格式 2018-06")]
    pub date: YearMonth,
    #[schemars(title = "内容")]
    pub content: String,
    #[schemars(title = "结果")]
    pub result: String,
}

/// A member of the studio (工作室人员).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "一位工作室成员")]
pub struct Member {
    #[schemars(title = "姓名")]
    pub name: String,
    #[schemars(title = "性别")]
    pub sex: Sex,
    #[schemars(title = "身份证号")]
    pub id_number: String,
    #[schemars(title = "工作室职务", description = "如“副领办人”“技术骨干”")]
    pub role: String,
    #[schemars(title = "职业（工种）")]
    pub occupation: String,
    #[schemars(title = "职业技能等级")]
    pub skill_level: String,
}

/// Yearly outputs promised under 第四章.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "第四章规定的年度产出目标")]
pub struct Plan {
    #[schemars(
        title = "年均培养青年技术技能骨干人数",
        description = "第四章（一）：年均 3-5 名"
    )]
    pub apprentices_per_year: u32,
    #[schemars(
        title = "其中获得高级工以上等级的人数",
        description = "第四章（一）：不少于 2 人"
    )]
    pub advanced_per_year: u32,
    #[schemars(
        title = "年均技术交流活动次数",
        description = "第四章（三）：定期开展技术交流活动"
    )]
    pub exchanges_per_year: u32,
}

/// Sections 2 to 8 of 附件3 (section 1 is made from the studio name and occupation).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "申报书（附件3）第二至第八部分")]
pub struct Proposal {
    #[schemars(title = "技能大师工作室成立的必要性和现有优势")]
    pub necessity: String,
    #[schemars(title = "技能大师和工作室成员简介")]
    pub introduction: String,
    #[schemars(title = "技能大师工作室基本条件和计划目标")]
    pub conditions_and_goals: String,
    #[schemars(title = "技能大师工作室所依托的企业部门或职业培训机构实训基地有关情况")]
    pub host_base: String,
    #[schemars(title = "加快高技能人才队伍建设的政策措施")]
    pub policies: String,
    #[schemars(title = "企业职工教育经费用于高技能人才培养、交流等方面的费用情况")]
    pub education_fund_use: String,
    #[schemars(title = "能够为技能大师工作室提供资金支持以及场所、设备等工作条件的情况")]
    pub support: String,
}

/// The unit's recommendation (第八条 单位推荐报告) and its opinion on the form.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "单位推荐报告（第八条）和申报表中的申报单位意见")]
pub struct Recommendation {
    #[schemars(title = "申报单位意见", description = "申报表“申报单位意见”栏的文字")]
    pub opinion: String,
    #[schemars(title = "单位推荐报告正文")]
    pub report: String,
}

/// What a piece of evidence proves (第八条 4 and 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[schemars(description = "佐证材料证明的内容（第八条第4、5项）")]
pub enum EvidenceKind {
    #[serde(rename = "营业执照")]
    BusinessLicence,
    #[serde(rename = "事业单位法人证书")]
    InstitutionCertificate,
    #[serde(rename = "批准成立文件")]
    ApprovalDocument,
    #[serde(rename = "组织机构代码证")]
    OrganizationCode,
    #[serde(rename = "身份证")]
    IdCard,
    #[serde(rename = "职业资格证书")]
    QualificationCertificate,
    #[serde(rename = "职业技能等级证书")]
    SkillLevelCertificate,
    #[serde(rename = "获奖证书")]
    AwardCertificate,
    #[serde(rename = "技术认定")]
    TechnicalRecognition,
    #[serde(rename = "技术创新")]
    TechnicalInnovation,
    #[serde(rename = "其他")]
    Other,
}

impl EvidenceKind {
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::BusinessLicence => "营业执照",
            EvidenceKind::InstitutionCertificate => "事业单位法人证书",
            EvidenceKind::ApprovalDocument => "批准成立文件",
            EvidenceKind::OrganizationCode => "组织机构代码证",
            EvidenceKind::IdCard => "身份证",
            EvidenceKind::QualificationCertificate => "职业资格证书",
            EvidenceKind::SkillLevelCertificate => "职业技能等级证书",
            EvidenceKind::AwardCertificate => "获奖证书",
            EvidenceKind::TechnicalRecognition => "技术认定",
            EvidenceKind::TechnicalInnovation => "技术创新",
            EvidenceKind::Other => "其他",
        }
    }

    /// Documents that establish the unit under 第八条 4.
    pub fn is_unit_licence(self) -> bool {
        matches!(
            self,
            EvidenceKind::BusinessLicence
                | EvidenceKind::InstitutionCertificate
                | EvidenceKind::ApprovalDocument
        )
    }

    /// Qualification certificates (职业资格证书 or 等级证书) of 第八条 5.
    pub fn is_qualification(self) -> bool {
        matches!(
            self,
            EvidenceKind::QualificationCertificate | EvidenceKind::SkillLevelCertificate
        )
    }

    /// 第八条 5 allows 证书编码 instead of a copy for certificates, awards and technical
    /// recognitions; the unit's documents (第八条 4) and ID cards must be copies.
    pub fn number_allowed(self) -> bool {
        matches!(
            self,
            EvidenceKind::QualificationCertificate
                | EvidenceKind::SkillLevelCertificate
                | EvidenceKind::AwardCertificate
                | EvidenceKind::TechnicalRecognition
                | EvidenceKind::TechnicalInnovation
        )
    }

    /// Position in the catalogue of the evidence volume (第八条 4 then 5).
    pub fn order(self) -> u8 {
        match self {
            EvidenceKind::BusinessLicence => 0,
            EvidenceKind::InstitutionCertificate => 1,
            EvidenceKind::ApprovalDocument => 2,
            EvidenceKind::OrganizationCode => 3,
            EvidenceKind::IdCard => 4,
            EvidenceKind::QualificationCertificate => 5,
            EvidenceKind::SkillLevelCertificate => 6,
            EvidenceKind::AwardCertificate => 7,
            EvidenceKind::TechnicalRecognition => 8,
            EvidenceKind::TechnicalInnovation => 9,
            EvidenceKind::Other => 10,
        }
    }
}

/// Whose a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[schemars(description = "佐证材料所属：单位、领办人或成员")]
pub enum Owner {
    #[serde(rename = "单位")]
    Unit,
    #[serde(rename = "领办人")]
    Master,
    #[serde(rename = "成员")]
    Member,
}

impl Owner {
    pub fn label(self) -> &'static str {
        match self {
            Owner::Unit => "单位",
            Owner::Master => "领办人",
            Owner::Member => "成员",
        }
    }
}

/// One item of evidence: a scan (JPEG, PNG or PDF) or, where 第八条 5 allows, a
/// certificate number.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "一项佐证材料：扫描件，或（第八条第5项允许时）证书编码")]
pub struct Evidence {
    #[schemars(title = "编号", description = "唯一编号，如 \"E01\"，供获奖情况引用")]
    pub id: String,
    #[schemars(title = "材料名称", description = "如“营业执照副本”")]
    pub title: String,
    #[schemars(title = "证明内容")]
    pub kind: EvidenceKind,
    #[schemars(title = "所属")]
    pub owner: Owner,
    #[serde(default)]
    #[schemars(title = "成员姓名", description = "所属为“成员”时填写")]
    pub member: Option<String>,
    #[serde(default)]
    #[schemars(
        title = "扫描件",
        description = "相对本文件的路径，JPEG、PNG、TIFF 或 PDF"
    )]
    pub file: Option<String>,
    #[serde(default)]
    #[schemars(
        title = "证书编码",
        description = "第八条第5项允许以证书编码代替复印件"
    )]
    pub certificate_number: Option<String>,
}

/// How the packet is printed and bound.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "打印份数和字体")]
pub struct Print {
    #[serde(default = "Print::default_form_copies")]
    #[schemars(title = "申报表份数", description = "附件2 要求一式四份")]
    pub form_copies: u32,
    #[serde(default = "Print::default_other_copies")]
    #[schemars(title = "其他材料份数", description = "第八条要求一式三份")]
    pub other_copies: u32,
    #[serde(default)]
    #[schemars(
        title = "仿宋字体",
        description = "本机另有的仿宋字体族名，如“仿宋_GB2312”；不填用内置 FandolFang"
    )]
    pub fangsong_family: Option<String>,
}

impl Print {
    fn default_form_copies() -> u32 {
        4
    }
    fn default_other_copies() -> u32 {
        3
    }
}

impl Default for Print {
    fn default() -> Self {
        Print {
            form_copies: Self::default_form_copies(),
            other_copies: Self::default_other_copies(),
            fangsong_family: None,
        }
    }
}
