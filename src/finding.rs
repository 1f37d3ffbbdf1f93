//! Findings: what `dashi check` reports. Each is a value with a code, a severity, the
//! article of the rules it comes from, the field it is about and a message that says
//! what to do; they are collected and printed together, never the first one only.

use std::ops::Range;

/// 错误 blocks the build; 警告 does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $id:literal, $severity:ident, $article:literal, $what:literal;)*) => {
        /// Every finding dashi can report. The README's table of rules is this list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// All codes, in the order of the README table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, e.g. `R141`.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// Where in the rules (or which national standard) the check comes from.
            pub fn article(self) -> &'static str {
                match self { $(Code::$variant => $article,)* }
            }

            /// What the check is about, in a few words.
            pub fn what(self) -> &'static str {
                match self { $(Code::$variant => $what,)* }
            }
        }
    };
}

codes! {
    Syntax = "D001", Error, "数据文件", "TOML 或 JSON 写法有误，无法读取";
    UnknownKey = "D002", Error, "数据文件", "不认识的字段名";
    MissingKey = "D003", Error, "数据文件", "缺少必填字段";
    WrongValue = "D004", Error, "数据文件", "值的类型或格式不对";
    FormatVersion = "D005", Error, "数据文件", "数据格式版本不受支持";
    StudioName = "R101", Error, "附件3 第1项", "工作室名称须为“呼和浩特市+领办人姓名+技能大师工作室”";
    StudioInHohhot = "R102", Warning, "第三条", "工作室地点应在呼和浩特市行政区域内";
    EmptyText = "R103", Error, "附件2、附件3", "表格或申报书中必须填写的内容为空";
    NoMembers = "R104", Warning, "第十条、第四章（三）", "工作室应配备成员、形成稳定团队";
    Leftover = "R105", Error, "附件2 填写要求一", "仍有样例中或已改掉的人名、单位名（没有如实填写）";
    QualificationCategory = "R111", Error, "第七条（一）", "领办人条件须为第1、2、3项之一，第3项须具备（1）至（4）之一";
    QualificationHonour = "R112", Error, "第七条（一）", "所选条件缺少相应的奖项或称号";
    HonourEvidence = "R113", Error, "第七条（一）、第八条第5项", "每个市级以上奖项须有证书复印件或证书编码";
    MasterLevel = "R114", Error, "第二条、第七条（一）", "领办人须为高技能人才（高级工以上）";
    EducationFund = "R121", Error, "第七条（二）", "职工教育经费用于高技能人才的部分不低于50%";
    FundFigures = "R122", Error, "第七条（二）", "职工教育经费数字缺失或自相矛盾";
    WorkingConditions = "R123", Error, "第七条（二）", "依托单位须提供资金支持和场所、设备";
    VocationalTraining = "R124", Error, "第七条（二）", "职业培训机构须积极开展职业技能培训";
    StudioPremises = "R125", Error, "第三条", "工作室须有固定场所和设备";
    UnitLicence = "R131", Error, "第八条第4项", "缺少营业执照（事业单位登记证）或批准成立文件的复印件";
    IdCardCopy = "R132", Error, "第八条第5项", "领办人和每位成员须有身份证复印件";
    QualificationCopy = "R133", Error, "第八条第5项", "领办人和每位成员须有职业资格（等级）证书";
    EvidenceFile = "R134", Error, "第八条", "佐证材料文件不存在或无法读取";
    EvidenceContent = "R135", Error, "第八条", "佐证材料不是完好的 JPEG、PNG、TIFF 或 PDF";
    EvidenceEntry = "R136", Error, "第八条第5项", "佐证材料须有扫描件，或在允许时填写证书编码";
    EvidenceReference = "R137", Error, "第八条", "佐证材料编号重复或引用不存在的编号、成员";
    EvidenceDamaged = "R138", Warning, "第八条、附件2 填写要求五", "佐证材料图像数据有损坏，须重新扫描";
    IdNumber = "R141", Error, "GB 11643、附件2 填写要求五", "身份证号格式或校验位不对";
    IdBirth = "R142", Error, "GB 11643、附件2 填写要求五", "身份证号中的出生日期与出生年月不符";
    IdSex = "R143", Error, "GB 11643、附件2 填写要求五", "身份证号中的性别与所填性别不符";
    IdDuplicate = "R144", Error, "附件2 填写要求五", "同一身份证号出现在多人名下";
    CreditCode = "R151", Error, "GB 32100、第八条第4项", "统一社会信用代码格式不对";
    CreditCheckDigit = "R152", Warning, "GB 32100", "统一社会信用代码校验位不符（早期代码可能如此，请核对）";
    Mobile = "R161", Error, "附件2 填写要求五", "手机号码格式不对";
    Phone = "R162", Error, "附件2 填写要求五", "电话或传真号码格式不对";
    Email = "R163", Error, "附件2 填写要求五", "E-mail 格式不对";
    PostalCode = "R164", Error, "附件2 填写要求五", "邮政编码须为 6 位数字";
    BankAccount = "R165", Error, "附件2 填写要求五", "银行账号格式不对";
    Ethnicity = "R171", Error, "附件2 填写要求五", "民族须为 56 个民族之一的全称";
    PoliticalStatus = "R172", Error, "GB/T 4762、附件2 填写要求五", "政治面貌须按 GB/T 4762 填写";
    SkillLevel = "R173", Error, "国家职业技能等级、附件2 填写要求五", "职业技能等级须为国家等级名称";
    Dates = "R181", Error, "附件2 填写要求一", "日期前后矛盾或不合常理";
    PlanApprentices = "R191", Warning, "第四章（一）", "年均培养青年技术技能骨干应为 3-5 名";
    PlanAdvanced = "R192", Warning, "第四章（一）", "其中获得高级工以上等级的不少于 2 人";
    PlanConsistency = "R193", Error, "第四章（一）", "高级工以上人数不能多于培养总人数";
    PlanExchanges = "R194", Warning, "第四章（三）", "应定期开展技术交流活动";
    MissingGlyph = "R201", Error, "附件2 填写要求四", "字体中没有这个字，打印会缺字";
    UnknownFont = "R202", Error, "附件2 填写要求四", "指定的仿宋字体不存在";
    FallbackGlyph = "R203", Warning, "附件2 填写要求四", "所选字体中没有这个字，改用另加的字体打印";
    RecordId = "R301", Error, "第十一条", "记录编号为空、含有不允许的字符或是 Windows 设备名";
    RecordKindTable = "R302", Error, "第十一条", "记录类别与填写的部分不符";
    RecordFile = "R303", Error, "第十一条", "附件文件不存在、无法读取或不是完好的图像";
    RecordFileName = "R304", Error, "第十一条", "附件不能存入档案（链接、记录文件夹以外的路径、不合规的文件名）";
    RecordIdNumber = "R305", Error, "GB 11643", "身份证号格式或校验位不对";
    RecordSkillLevel = "R306", Error, "国家职业技能等级", "职业技能等级须为国家等级名称";
    LeaderApproval = "R307", Error, "第十二条（二）", "更换领办人须附上级部门的核准文件";
    RecordDate = "R308", Error, "第十一条", "记录日期晚于今天或早于工作室申报";
    RecordNumber = "R309", Error, "第十一条", "金额、效益或人数不合理";
    RecordMajor = "R310", Warning, "第十一条", "只有活动、成果、荣誉可以标为重大";
    RecordDuplicate = "R311", Error, "第十一条", "记录编号在档案中已有，或同一次添加中重复";
    RecordReference = "R312", Error, "第十一条", "更正或引用的记录不在档案中";
    RecordFileFails = "R313", Error, "第十一条、DA/T 70-2018", "附件通不过归档时的四性检测（格式、完整解码、程序和脚本、活动内容、加密）";
    ProgressPerson = "R314", Error, "第四章（一）", "带徒进展的学徒姓名与所引带徒记录不符";
    NotAMember = "R315", Error, "第十一条", "退出或职务变动的人不是工作室现有成员";
    CorrectionDate = "R316", Warning, "第十一条", "更正记录的日期早于被更正的记录或在另一年，报告按更正记录的日期计入";
    GradeDown = "R317", Warning, "第四章（一）", "带徒进展的等级低于此前已达到的等级，没有写明原因";
    YearApprentices = "R401", Warning, "第四章（一）", "某年培养青年技术技能骨干少于 3 名或高级工以上少于 2 人";
    YearExchanges = "R402", Warning, "第四章（三）", "某年没有开展技术交流活动";
    NoAgreement = "R403", Warning, "第十二条", "带徒记录没有带徒协议";
    NoCertificate = "R404", Warning, "第十二条", "带徒进展记录既没有证书编号也没有证书扫描件";
    PhotoReused = "R405", Warning, "第十一条", "同一张照片用于两个不同的活动";
    PhotoDate = "R406", Warning, "第十一条", "影像资料拍摄时间与活动日期不符";
    OutsidePeriod = "R407", Warning, "第十二条", "有记录的日期不在考核期内，未计入";
    FutureRecord = "R408", Error, "第十一条", "记录日期晚于报告日期";
    IndicatorWeights = "R409", Error, "第十二条", "考核指标的权重合计须为 100";
    SelfScore = "R410", Error, "第十二条", "自评分须在 0 与该项权重之间";
    Integrity = "R501", Error, "第八条、第九条（一）", "电子材料未通过完整性校验或无法读取";
    DigestMismatch = "R502", Error, "附件1、第九条（一）", "电子材料摘要与纸质承诺书上的不符";
    DigestMissing = "R503", Error, "附件1、第九条（一）", "没有录入纸质承诺书上的电子材料摘要";
    NoDataFile = "R504", Error, "第八条、第九条（一）", "包中没有可读的数据文件（data/源数据/）";
    TwoDataFiles = "R505", Warning, "第八条、第九条（一）", "包中有两个以上都能读作申报数据的文件";
    SharedId = "R511", Error, "第十五条", "同一身份证号出现在两个工作室的成员中";
    SharedScan = "R512", Error, "第十五条", "同一扫描件用于两份申报";
    SharedCertificate = "R513", Error, "第十五条", "同一证书编号由两人申报";
    DoubleSubmission = "R514", Error, "第九条（一）", "同一工作室或同一领办人有两份申报";
    MasterAsMember = "R515", Error, "第十五条", "成员是另一工作室的领办人";
    ArchiveSettings = "R601", Error, "DA/T 22-2015 5.4", "档案设置中的全宗号、门类代码、机构代码或保管期限不合规";
    SameMaster = "R701", Error, "第十二条（二）", "变更后的领办人与原领办人是同一人";
    FormerId = "R702", Error, "GB 11643、第十二条（二）", "原领办人身份证号格式或校验位不对";
    FormerMaster = "R703", Error, "第十二条（二）", "原领办人不是台账中该工作室的领办人";
    MasterElsewhere = "R711", Error, "第十二条（二）、第十五条", "新领办人是另一工作室的领办人或成员（身份证号相同）";
    NameElsewhere = "R712", Warning, "第十二条（二）", "新领办人与另一工作室的领办人或成员同名";
}

/// One problem found in the data file or its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: Code,
    /// The field path (`master.id_number`); empty for the file as a whole.
    pub path: String,
    /// What is wrong, in Chinese.
    pub message: String,
    /// What to do about it, in Chinese.
    pub hint: Option<String>,
    /// Where in the data file, when known better than the field's own value.
    pub span: Option<Range<usize>>,
    /// Other fields the finding rests on (a rule comparing two fields names both), so
    /// it can be set aside when one of them could not be read.
    pub uses: Vec<String>,
}

impl Finding {
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            code,
            path: path.into(),
            message: message.into(),
            hint: None,
            span: None,
            uses: Vec::new(),
        }
    }

    /// Records another field the finding rests on.
    pub fn uses(mut self, path: impl Into<String>) -> Finding {
        self.uses.push(path.into());
        self
    }

    /// Whether the finding rests on any of `paths` (itself or through `uses`).
    pub fn rests_on(&self, paths: &[String]) -> bool {
        paths
            .iter()
            .any(|p| overlaps(&self.path, p) || self.uses.iter().any(|u| overlaps(u, p)))
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    pub fn at(mut self, span: Range<usize>) -> Finding {
        self.span = Some(span);
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

/// Whether two field paths overlap: one is the other, or lies inside it.
pub fn overlaps(a: &str, b: &str) -> bool {
    let inside = |inner: &str, outer: &str| {
        inner == outer
            || outer.is_empty()
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with(['.', '[']))
    };
    inside(a, b) || inside(b, a)
}

/// A file that findings point into (a data or record file), as they are shown: its
/// path and text, where a field's value is written, and what a field is called.
pub trait Located {
    fn path(&self) -> &std::path::Path;
    fn text(&self) -> &str;
    /// The span a finding about `field` points at, if it is written in the file.
    fn span_of(&self, field: &str) -> Option<Range<usize>>;
    /// The field's label (its name in the form).
    fn label(&self, field: &str) -> String;
}

/// Several files' findings, as `Located` files.
pub fn by_file<D: Located>(all: &[(D, Vec<Finding>)]) -> Vec<(&dyn Located, &[Finding])> {
    all.iter()
        .map(|(doc, found)| (doc as &dyn Located, found.as_slice()))
        .collect()
}

/// Counts of errors and warnings.
pub fn tally(findings: &[Finding]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|f| f.severity() == Severity::Error)
        .count();
    (errors, findings.len() - errors)
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Codes are written as printed (`R514`), so a saved intake reads the same in JSON.
impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let id = String::deserialize(deserializer)?;
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.id() == id)
            .ok_or_else(|| serde::de::Error::custom(format!("没有“{id}”这个检查代码")))
    }
}

/// A severity is written as its label (错误, 警告).
impl serde::Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

impl<'de> serde::Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Severity, D::Error> {
        let label = String::deserialize(deserializer)?;
        [Severity::Error, Severity::Warning]
            .into_iter()
            .find(|s| s.label() == label)
            .ok_or_else(|| serde::de::Error::custom(format!("“{label}”不是“错误”或“警告”")))
    }
}

/// What a run with errors cannot go on to do (said in the closing line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// `check`, `build`: the application packet.
    Packet,
    /// `record add`: the archive.
    Archive,
    /// `report`: the evaluation report.
    Report,
}

/// A 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = floor_char_boundary(text, at.min(text.len()));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].chars().count() + 1)
}

/// The largest char boundary of `text` at or before `at`.
pub fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_paths() {
        assert!(overlaps("master.birth", "master.birth"));
        assert!(overlaps("master", "master.birth"));
        assert!(overlaps("members[1].sex", "members[1]"));
        assert!(!overlaps("members[1]", "members[10]"));
        assert!(!overlaps("master.birth", "master.birthday"));
    }
}
