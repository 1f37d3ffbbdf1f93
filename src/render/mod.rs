//! Render: tera templates of typst markup (templates/*.typ, embedded, overridable with
//! a folder) filled from the data. Every value passes through the one escape function
//! (`escape::markup`), so user text stays literal; the typst compile happens in `pdf`.

pub mod context;
pub mod escape;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

/// One document dashi writes, declared whole in one entry: a new document is a template
/// in `templates/` and one entry here.
#[derive(Debug, PartialEq, Eq)]
pub struct Document {
    /// The tera template that renders it.
    pub template: &'static str,
    /// The PDF's file name.
    pub file_name: &'static str,
    /// The title in the PDF's metadata.
    pub title: &'static str,
    /// What it is, for the print guide.
    pub description: &'static str,
    /// How many copies are printed.
    pub copies: Copies,
    /// Whether it is bound as a volume: padded to an even page count for duplex.
    pub bound: bool,
    /// Whether it may hold embedded PDF pages (scans), which PDF/A cannot carry.
    pub holds_pages: bool,
    /// The data its template takes besides the studio's application.
    pub data: Data,
}

/// How many copies of a document are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copies {
    One,
    /// 附件2 asks 一式四份 of the form (`[print] form_copies`).
    Form,
    /// 第八条 asks 一式三份 of the rest (`[print] other_copies`).
    Other,
}

/// What a template takes besides the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    /// The packet's facts: evidence catalogue, digest, page counts.
    Packet,
    /// One archived record and the archive version that holds it.
    Record,
    /// A report computed from the archive over a period.
    Evaluation,
    /// The bureau's intake of many submissions (第九条), not one application.
    Intake,
    /// The archive as an archive room keeps it (DA/T 22, DA/T 70).
    Archive,
    /// The bureau's ledger of the studios it 认定ed (第十二条).
    Ledger,
}

/// A document: a reference to its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Doc(pub &'static Document);

impl Doc {
    /// 打印说明: what to print, how, and how many copies.
    pub const PRINT_GUIDE: Doc = Doc(&Document {
        template: "print_guide.typ",
        file_name: "00-打印说明.pdf",
        title: "打印说明",
        description: "打印说明",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Packet,
    });
    /// 附件1 申报材料真实性承诺书.
    pub const PLEDGE: Doc = Doc(&Document {
        template: "pledge.typ",
        file_name: "01-申报材料真实性承诺书.pdf",
        title: "申报材料真实性承诺书",
        description: "附件1 申报材料真实性承诺书",
        copies: Copies::Other,
        bound: true,
        holds_pages: false,
        data: Data::Packet,
    });
    /// 附件2 建设项目申报表.
    pub const APPLICATION_FORM: Doc = Doc(&Document {
        template: "application_form.typ",
        file_name: "02-建设项目申报表.pdf",
        title: "呼和浩特市技能大师工作室建设项目申报表",
        description: "附件2 建设项目申报表",
        copies: Copies::Form,
        bound: true,
        holds_pages: false,
        data: Data::Packet,
    });
    /// 附件3 建设项目申报书.
    pub const PROPOSAL: Doc = Doc(&Document {
        template: "proposal.typ",
        file_name: "03-建设项目申报书.pdf",
        title: "呼和浩特市技能大师工作室建设项目申报书",
        description: "附件3 建设项目申报书",
        copies: Copies::Other,
        bound: true,
        holds_pages: false,
        data: Data::Packet,
    });
    /// 第八条 单位推荐报告.
    pub const RECOMMENDATION: Doc = Doc(&Document {
        template: "recommendation.typ",
        file_name: "04-单位推荐报告.pdf",
        title: "单位推荐报告",
        description: "单位推荐报告",
        copies: Copies::Other,
        bound: true,
        holds_pages: false,
        data: Data::Packet,
    });
    /// 佐证材料: the separately bound evidence volume (附件2 填写要求五).
    pub const EVIDENCE_VOLUME: Doc = Doc(&Document {
        template: "evidence_volume.typ",
        file_name: "05-佐证材料.pdf",
        title: "佐证材料",
        description: "佐证材料（单独装订）",
        copies: Copies::Other,
        bound: true,
        holds_pages: true,
        data: Data::Packet,
    });
    /// 第十一条: the report of a major activity or result to the bureau.
    pub const MAJOR_EVENT: Doc = Doc(&Document {
        template: "major_event.typ",
        file_name: "重大事项报告.pdf",
        title: "重大事项报告",
        description: "重大活动、重大成果报告（第十一条）",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Record,
    });

    /// 第十二条: the self-evaluation report of the biennial evaluation.
    pub const EVALUATION: Doc = Doc(&Document {
        template: "evaluation.typ",
        file_name: "考核自评报告.pdf",
        title: "技能大师工作室考核自评报告",
        description: "考核自评报告（第十二条）",
        copies: Copies::One,
        bound: true,
        holds_pages: false,
        data: Data::Evaluation,
    });
    /// 第十条: the acceptance summary, plan against what was done.
    pub const ACCEPTANCE: Doc = Doc(&Document {
        template: "evaluation.typ",
        file_name: "验收总结.pdf",
        title: "技能大师工作室建设项目验收总结",
        description: "建设项目验收总结（第十条）",
        copies: Copies::One,
        bound: true,
        holds_pages: false,
        data: Data::Evaluation,
    });
    /// 第九条（一）: the bureau's 受理初审 opinion on one submission.
    pub const INTAKE_REVIEW: Doc = Doc(&Document {
        template: "intake_review.typ",
        file_name: "初审意见表.pdf",
        title: "技能大师工作室建设项目受理初审意见表",
        description: "受理初审意见表（第九条（一））",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Intake,
    });
    /// 第九条（二）: the expert panel's blank scoring sheet for one admissible studio.
    pub const EXPERT_SHEET: Doc = Doc(&Document {
        template: "expert_sheet.typ",
        file_name: "专家评审表.pdf",
        title: "技能大师工作室建设项目专家评审表",
        description: "专家评审表（第九条（二））",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Intake,
    });
    /// 第九条（四）: the list published for at least five working days.
    pub const PUBLICITY: Doc = Doc(&Document {
        template: "publicity.typ",
        file_name: "拟认定名单公示.pdf",
        title: "呼和浩特市技能大师工作室建设项目拟认定名单公示",
        description: "拟认定名单公示（第九条（四））",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Intake,
    });
    /// DA/T 22-2015: one record of the archive on paper, with its 归档章.
    pub const RECORD_SHEET: Doc = Doc(&Document {
        template: "record_sheet.typ",
        file_name: "记录单.pdf",
        title: "技能大师工作室档案记录单",
        description: "档案记录单（第十一条，DA/T 22-2015）",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Record,
    });
    /// DA/T 22-2015 5.5: the 归档文件目录 of one 年度 and 保管期限, with its cover.
    pub const CATALOGUE: Doc = Doc(&Document {
        template: "catalogue.typ",
        file_name: "归档文件目录.pdf",
        title: "归档文件目录",
        description: "归档文件目录（DA/T 22-2015）",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Archive,
    });
    /// DA/T 70-2018: the 四性检测 report of the archive at one point of its life.
    pub const FOUR_CHECKS: Doc = Doc(&Document {
        template: "four_checks.typ",
        file_name: "检测报告.pdf",
        title: "电子档案四性检测报告",
        description: "电子档案四性检测报告（DA/T 70-2018）",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Archive,
    });

    /// GB/T 18894: the 电子档案移交与接收登记表 of a 移交 package.
    pub const TRANSFER_REGISTER: Doc = Doc(&Document {
        template: "transfer_register.typ",
        file_name: "移交与接收登记表.pdf",
        title: "电子档案移交与接收登记表",
        description: "电子档案移交与接收登记表（GB/T 18894-2016）",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Archive,
    });

    /// 第十二条、第十条: a round's table, each studio's figures recomputed from its records.
    pub const ROUND_SUMMARY: Doc = Doc(&Document {
        template: "round_summary.typ",
        file_name: "考核汇总表.pdf",
        title: "技能大师工作室考核汇总表",
        description: "考核（验收）汇总表（第十二条、第十条）",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Ledger,
    });
    /// What falls due on a day: 考核, 验收, 整改, 撤销.
    pub const LEDGER_STATUS: Doc = Doc(&Document {
        template: "ledger_status.typ",
        file_name: "到期事项.pdf",
        title: "技能大师工作室到期事项",
        description: "到期事项（第十二条、第十条）",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Ledger,
    });
    /// 第十二条（三）: the notice a 不合格 result brings.
    pub const RECTIFY_NOTICE: Doc = Doc(&Document {
        template: "rectify_notice.typ",
        file_name: "限期整改通知书.pdf",
        title: "技能大师工作室限期整改通知书",
        description: "限期整改通知书（第十二条（三））",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Ledger,
    });
    /// 第十二条（三）: the studio's 整改报告 after a 限期整改通知书, computed from the
    /// archive like the 考核自评报告.
    pub const RECTIFICATION: Doc = Doc(&Document {
        template: "evaluation.typ",
        file_name: "整改报告.pdf",
        title: "技能大师工作室整改报告",
        description: "整改报告（第十二条（三））",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Evaluation,
    });
    /// 第十二条（二）: the 变更领办人申请表 of `dashi change`.
    pub const CHANGE_FORM: Doc = Doc(&Document {
        template: "change_form.typ",
        file_name: "变更领办人申请表.pdf",
        title: "呼和浩特市技能大师工作室变更领办人申请表",
        description: "变更领办人申请表（第十二条（二））",
        copies: Copies::Other,
        bound: false,
        holds_pages: false,
        data: Data::Packet,
    });
    /// 第十二条（二）: the bureau's 核准 (or 不予核准) of a 领办人变更.
    pub const CHANGE_DECISION: Doc = Doc(&Document {
        template: "change_decision.typ",
        file_name: "领办人变更核准意见.pdf",
        title: "技能大师工作室领办人变更核准意见",
        description: "领办人变更核准意见（第十二条（二））",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Ledger,
    });
    /// 第十二条: a 撤销决定, or for 国家级 and 自治区级 the 情况反馈.
    pub const REVOCATION: Doc = Doc(&Document {
        template: "revocation.typ",
        file_name: "撤销决定.pdf",
        title: "技能大师工作室撤销决定",
        description: "撤销决定或情况反馈（第十二条）",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Ledger,
    });
    /// 第六条, 第十四条: the lists kept from the ledger.
    pub const LEDGER_LIST: Doc = Doc(&Document {
        template: "ledger_list.typ",
        file_name: "名单.pdf",
        title: "技能大师工作室名单",
        description: "第六条、第十四条的名单",
        copies: Copies::One,
        bound: false,
        holds_pages: false,
        data: Data::Ledger,
    });

    /// The bound volumes of the packet, in 第八条 order.
    pub const VOLUMES: [Doc; 5] = [
        Doc::PLEDGE,
        Doc::APPLICATION_FORM,
        Doc::PROPOSAL,
        Doc::RECOMMENDATION,
        Doc::EVIDENCE_VOLUME,
    ];

    /// Every document of the packet, in file order.
    pub const ALL: [Doc; 6] = [
        Doc::PRINT_GUIDE,
        Doc::PLEDGE,
        Doc::APPLICATION_FORM,
        Doc::PROPOSAL,
        Doc::RECOMMENDATION,
        Doc::EVIDENCE_VOLUME,
    ];

    pub fn template(self) -> &'static str {
        self.0.template
    }

    pub fn file_name(self) -> &'static str {
        self.0.file_name
    }

    pub fn title(self) -> &'static str {
        self.0.title
    }

    pub fn description(self) -> &'static str {
        self.0.description
    }

    pub fn bound(self) -> bool {
        self.0.bound
    }

    pub fn holds_pages(self) -> bool {
        self.0.holds_pages
    }

    /// Copies to print, as the data's `[print]` table says.
    pub fn copies(self, print: &crate::data::model::Print) -> u32 {
        match self.0.copies {
            Copies::One => 1,
            Copies::Form => print.form_copies,
            Copies::Other => print.other_copies,
        }
    }
}

/// Typst files the templates import; served as they are, not filled by tera.
pub const HELPERS: [&str; 1] = ["style.typ"];

/// The built-in templates, embedded in the binary.
const EMBEDDED: [(&str, &str); 23] = [
    ("style.typ", include_str!("../../templates/style.typ")),
    ("pledge.typ", include_str!("../../templates/pledge.typ")),
    (
        "application_form.typ",
        include_str!("../../templates/application_form.typ"),
    ),
    ("proposal.typ", include_str!("../../templates/proposal.typ")),
    (
        "recommendation.typ",
        include_str!("../../templates/recommendation.typ"),
    ),
    (
        "evidence_volume.typ",
        include_str!("../../templates/evidence_volume.typ"),
    ),
    (
        "print_guide.typ",
        include_str!("../../templates/print_guide.typ"),
    ),
    (
        "major_event.typ",
        include_str!("../../templates/major_event.typ"),
    ),
    (
        "evaluation.typ",
        include_str!("../../templates/evaluation.typ"),
    ),
    (
        "intake_review.typ",
        include_str!("../../templates/intake_review.typ"),
    ),
    (
        "expert_sheet.typ",
        include_str!("../../templates/expert_sheet.typ"),
    ),
    (
        "publicity.typ",
        include_str!("../../templates/publicity.typ"),
    ),
    (
        "record_sheet.typ",
        include_str!("../../templates/record_sheet.typ"),
    ),
    (
        "catalogue.typ",
        include_str!("../../templates/catalogue.typ"),
    ),
    (
        "four_checks.typ",
        include_str!("../../templates/four_checks.typ"),
    ),
    (
        "transfer_register.typ",
        include_str!("../../templates/transfer_register.typ"),
    ),
    (
        "round_summary.typ",
        include_str!("../../templates/round_summary.typ"),
    ),
    (
        "ledger_status.typ",
        include_str!("../../templates/ledger_status.typ"),
    ),
    (
        "rectify_notice.typ",
        include_str!("../../templates/rectify_notice.typ"),
    ),
    (
        "revocation.typ",
        include_str!("../../templates/revocation.typ"),
    ),
    (
        "ledger_list.typ",
        include_str!("../../templates/ledger_list.typ"),
    ),
    (
        "change_form.typ",
        include_str!("../../templates/change_form.typ"),
    ),
    (
        "change_decision.typ",
        include_str!("../../templates/change_decision.typ"),
    ),
];

/// Why templates could not be loaded or filled.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The override folder could not be read.
    #[error("无法读取模板文件夹 {}：{}", path.display(), crate::fsio::why(source))]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A template has a tera syntax error or failed while filling.
    #[error("模板 {name} 有误：{detail}")]
    Tera { name: String, detail: String },
}

/// The loaded templates: tera documents and the typst helpers they import.
pub struct Templates {
    tera: Tera,
    helpers: BTreeMap<String, String>,
}

impl Templates {
    /// The built-in templates.
    pub fn embedded() -> Templates {
        Self::from_sources(EMBEDDED.iter().map(|(n, t)| (n.to_string(), t.to_string())))
            .expect("the embedded templates are valid")
    }

    /// The built-in templates, with any of the same name in `dir` taking their place.
    pub fn with_overrides(dir: &Path) -> Result<Templates, TemplateError> {
        let folder_err = |source| TemplateError::Folder {
            path: dir.to_path_buf(),
            source,
        };
        let mut sources: BTreeMap<String, String> = EMBEDDED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        for (name, text) in sources.iter_mut() {
            let path = dir.join(name);
            if path.is_file() {
                *text = std::fs::read_to_string(&path).map_err(folder_err)?;
            }
        }
        std::fs::read_dir(dir).map_err(folder_err)?;
        Self::from_sources(sources)
    }

    fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Templates, TemplateError> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".typ"]);
        tera.set_escape_fn(escape::markup);
        let mut helpers = BTreeMap::new();
        let mut documents = Vec::new();
        for (name, text) in sources {
            if HELPERS.contains(&name.as_str()) {
                helpers.insert(name, text);
            } else {
                documents.push((name, text));
            }
        }
        tera.add_raw_templates(documents)
            .map_err(|e| TemplateError::Tera {
                name: "模板".into(),
                detail: tera_detail(&e),
            })?;
        Ok(Templates { tera, helpers })
    }

    /// Fills a document's template, giving its typst source.
    pub fn render(&self, doc: Doc, context: &tera::Context) -> Result<String, TemplateError> {
        self.tera
            .render(doc.template(), context)
            .map_err(|e| TemplateError::Tera {
                name: doc.template().into(),
                detail: tera_detail(&e),
            })
    }

    /// The typst helper files, by name.
    pub fn helpers(&self) -> &BTreeMap<String, String> {
        &self.helpers
    }
}

/// A tera error with its causes, on one line.
fn tera_detail(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join("：")
}
