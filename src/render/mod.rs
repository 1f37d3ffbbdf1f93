//! Render: tera templates of typst markup (templates/*.typ, embedded, overridable with
//! a folder) filled from the data. Every value passes through the one escape function
//! (`escape::markup`), so user text stays literal; the typst compile happens in `pdf`.

pub mod context;
pub mod escape;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

/// The documents of the packet, in file order: the print guide, then the volumes in
/// 第八条 order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Doc {
    /// 打印说明: what to print, how, and how many copies.
    PrintGuide,
    /// 附件1 申报材料真实性承诺书.
    Pledge,
    /// 附件2 建设项目申报表.
    ApplicationForm,
    /// 附件3 建设项目申报书.
    Proposal,
    /// 第八条 单位推荐报告.
    Recommendation,
    /// 佐证材料: the separately bound evidence volume (附件2 填写要求五).
    EvidenceVolume,
}

impl Doc {
    /// The bound volumes, in 第八条 order.
    pub const VOLUMES: [Doc; 5] = [
        Doc::Pledge,
        Doc::ApplicationForm,
        Doc::Proposal,
        Doc::Recommendation,
        Doc::EvidenceVolume,
    ];

    /// Every document of the packet.
    pub const ALL: [Doc; 6] = [
        Doc::PrintGuide,
        Doc::Pledge,
        Doc::ApplicationForm,
        Doc::Proposal,
        Doc::Recommendation,
        Doc::EvidenceVolume,
    ];

    /// Only the evidence volume may hold PDF scans, which PDF/A cannot embed.
    pub fn may_fall_back(self) -> bool {
        self == Doc::EvidenceVolume
    }

    /// Copies to print: 附件2 asks 一式四份 of the form, 第八条 一式三份 of the rest.
    pub fn copies(self, print: &crate::data::model::Print) -> u32 {
        match self {
            Doc::ApplicationForm => print.form_copies,
            Doc::PrintGuide => 1,
            _ => print.other_copies,
        }
    }

    /// What the volume is, for the print guide.
    pub fn description(self) -> &'static str {
        match self {
            Doc::PrintGuide => "打印说明",
            Doc::Pledge => "附件1 申报材料真实性承诺书",
            Doc::ApplicationForm => "附件2 建设项目申报表",
            Doc::Proposal => "附件3 建设项目申报书",
            Doc::Recommendation => "单位推荐报告",
            Doc::EvidenceVolume => "佐证材料（单独装订）",
        }
    }

    /// The template that renders it.
    pub fn template(self) -> &'static str {
        match self {
            Doc::Pledge => "pledge.typ",
            Doc::ApplicationForm => "application_form.typ",
            Doc::Proposal => "proposal.typ",
            Doc::Recommendation => "recommendation.typ",
            Doc::EvidenceVolume => "evidence_volume.typ",
            Doc::PrintGuide => "print_guide.typ",
        }
    }

    /// The PDF's file name in the packet.
    pub fn file_name(self) -> &'static str {
        match self {
            Doc::Pledge => "01-申报材料真实性承诺书.pdf",
            Doc::ApplicationForm => "02-建设项目申报表.pdf",
            Doc::Proposal => "03-建设项目申报书.pdf",
            Doc::Recommendation => "04-单位推荐报告.pdf",
            Doc::EvidenceVolume => "05-佐证材料.pdf",
            Doc::PrintGuide => "00-打印说明.pdf",
        }
    }

    /// The title in the PDF's metadata.
    pub fn title(self) -> &'static str {
        match self {
            Doc::Pledge => "申报材料真实性承诺书",
            Doc::ApplicationForm => "呼和浩特市技能大师工作室建设项目申报表",
            Doc::Proposal => "呼和浩特市技能大师工作室建设项目申报书",
            Doc::Recommendation => "单位推荐报告",
            Doc::EvidenceVolume => "佐证材料",
            Doc::PrintGuide => "打印说明",
        }
    }
}

/// Typst files the templates import; served as they are, not filled by tera.
pub const HELPERS: [&str; 1] = ["style.typ"];

/// The built-in templates, embedded in the binary.
const EMBEDDED: [(&str, &str); 7] = [
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
];

/// Why templates could not be loaded or filled.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The override folder could not be read.
    #[error("无法读取模板文件夹 {}：{source}", path.display())]
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
