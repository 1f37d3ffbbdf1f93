//! `dashi build`: one data file becomes the whole print packet. The build reads as a
//! list of steps: check the data, make sure every character can be printed, order the
//! evidence and compute its digest, typeset the five volumes, then the print guide that
//! counts their pages, seal the packet with its evidence and data as a BagIt zip, and
//! write everything — all or nothing, each file atomically, so a failed build leaves
//! the output folder as it was.

pub mod batch;
pub mod change;
pub mod disc_input;
pub mod evidence;
pub mod outdated;
pub mod print;
pub mod rezip;
pub mod scan_page;
mod scan_preview;
pub mod staging;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use typst::foundations::Bytes;

use crate::check::{self, Report};
use crate::data::load::{Document, LoadError};
use crate::data::model::Application;
use crate::finding::{Code, Finding, Severity};
use crate::media::scan::ScanKind;
use crate::render::Doc;
use crate::seal::bag::{self, BagSpec, Content, SealError};
use crate::seal::digest::{Sha256Hex, evidence_digest};
use crate::seal::folder;
pub use crate::typeset::Renderer;
use crate::typeset::coverage::FontPlan;
use crate::typeset::world::Served;
use crate::typeset::{Conformance, TypesetError};
use evidence::Item;
use print::Volume;
pub use staging::Staging;

/// What `dashi build` may be told besides the data file: the renderer's templates,
/// fonts and fixed date.
pub use crate::typeset::Options as BuildOptions;

/// What a successful build wrote.
#[derive(Debug)]
pub struct Built {
    /// The data file as read (for printing warnings).
    pub doc: Document,
    pub studio: String,
    /// Warnings of the check (errors stop the build).
    pub warnings: Vec<Finding>,
    /// The files written, in packet order.
    pub files: Vec<PathBuf>,
    /// The evidence digest printed on the 承诺书.
    pub digest: Sha256Hex,
    /// The seal of the archive: SHA-256 of its tag manifest.
    pub seal: Sha256Hex,
    pub volumes: Vec<Volume>,
}

/// Why a build stopped; the output folder is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The data file could not be read or parsed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The check (or the glyph check) found errors.
    #[error("数据有错误，未生成申报材料")]
    Findings {
        doc: Box<Document>,
        findings: Vec<Finding>,
    },
    /// The templates or fonts could not be loaded, or typst could not typeset a
    /// document.
    #[error(transparent)]
    Typeset(#[from] TypesetError),
    /// An evidence file could not be read while hashing or converting it.
    #[error("无法读取佐证材料 {}：{}", path.display(), crate::fsio::why(source))]
    Evidence {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A scan could not be placed in the evidence volume.
    #[error(transparent)]
    ScanPage(#[from] scan_page::ScanPageError),
    /// The packet could not be sealed.
    #[error(transparent)]
    Seal(#[from] SealError),
    /// An output file could not be written.
    #[error("无法写入 {}：{}", path.display(), crate::fsio::why(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// dashi met a defect of its own with this data file (a panic, caught): this packet
    /// is not made, the others of a batch are.
    #[error("{0}")]
    Defect(String),
}

/// What to do about a defect of dashi's met by one item.
pub const DEFECT_HINT: &str = "这是 dashi 自身的缺陷，不是数据的问题；其他各份不受影响。请把这个文件和以上信息发给 dashi 的维护者";

impl BuildError {
    /// The failure in one sentence with what to do, in words fitting its cause.
    pub fn said(&self) -> String {
        use crate::failure::Failure;
        match self {
            BuildError::Findings { .. } => "数据有错误，请先改正检查结果中的错误".into(),
            _ => match self.hint() {
                Some(hint) => format!("{self}（{hint}）"),
                None => self.to_string(),
            },
        }
    }
}

impl crate::failure::Failure for BuildError {
    fn hint(&self) -> Option<String> {
        match self {
            BuildError::Load(e) => e.hint(),
            BuildError::Typeset(e) => e.hint(),
            BuildError::Defect(_) => Some(DEFECT_HINT.into()),
            BuildError::Write { source, .. } => crate::fsio::write_hint(source)
                .or_else(|| Some("确认输出文件夹可以写入、磁盘没有写满".into())),
            _ => None,
        }
    }

    fn exit(&self) -> crate::failure::Exit {
        match self {
            BuildError::Load(e) => e.exit(),
            BuildError::Findings { .. } => crate::failure::Exit::Findings,
            _ => crate::failure::Exit::Unusable,
        }
    }

    fn details(&self) -> Option<crate::failure::Details<'_>> {
        match self {
            BuildError::Load(e) => e.details(),
            BuildError::Findings { doc, findings } => {
                Some(crate::failure::Details::Findings(&**doc, findings))
            }
            _ => None,
        }
    }

    fn details_suffice(&self) -> bool {
        match self {
            BuildError::Load(e) => e.details_suffice(),
            BuildError::Findings { .. } => true,
            _ => false,
        }
    }
}

/// The bag folder of the packet's PDFs.
pub const PACKET_DIR: &str = "data/申报材料";

/// A file of the packet: its name and bytes.
pub type OutputFile = (&'static str, Vec<u8>);

/// What the templates see besides the data: the packet's own facts.
#[derive(Debug, Clone, Serialize)]
pub struct Extra {
    /// The evidence catalogue, in binding order.
    pub items: Vec<Item>,
    /// The evidence digest in hex, whole and in groups of eight.
    pub digest: String,
    pub digest_groups: Vec<String>,
    /// The volumes with their page counts (for the print guide; empty before).
    pub volumes: Vec<Volume>,
    pub total_sheets: usize,
    /// What a document other than the application's adds (a change of 领办人).
    #[serde(flatten)]
    pub more: serde_json::Map<String, serde_json::Value>,
    /// Digests of the evidence and data computed for the evidence digest, reused by the
    /// seal so every file is hashed once.
    #[serde(skip)]
    pub known: std::collections::BTreeMap<String, (Sha256Hex, u64)>,
}

/// An application ready to typeset: checked, fonts planned, evidence ordered.
#[derive(Clone)]
pub struct Prepared {
    pub app: Application,
    pub plan: FontPlan,
    pub extra: Extra,
    /// Files the typst world may serve: evidence scans and the digest's QR code.
    pub served: BTreeMap<String, Served>,
}

/// Builds one data file into `out` with its own renderer.
pub fn build(data: &Path, out: &Path, options: &BuildOptions) -> Result<Built, BuildError> {
    let renderer = Renderer::new(options)?;
    build_with(&renderer, data, out)
}

/// Builds one data file into `out` with a renderer shared by many builds. Each PDF is
/// staged on disk as soon as it is typeset, so memory holds one document at a time.
/// A build that fails marks the earlier packet in `out` as out of date (`outdated`).
pub fn build_with(renderer: &Renderer, data: &Path, out: &Path) -> Result<Built, BuildError> {
    let result = crate::failure::caught(data, || build_caught(renderer, data, out))
        .unwrap_or_else(|said| Err(BuildError::Defect(said)));
    match &result {
        Ok(_) => outdated::clear(out),
        Err(e) => {
            outdated::mark(out, renderer.today(), &e.said());
        }
    }
    result
}

/// `build_with`, whose panics (a defect of dashi's) `build_with` catches: nothing of the
/// packet is left (its staging folder is removed as it unwinds).
fn build_caught(renderer: &Renderer, data: &Path, out: &Path) -> Result<Built, BuildError> {
    let (doc, warnings, mut prepared) = prepare(renderer, data)?;
    let mut staging = Staging::new(out)?;
    let volumes = typeset_volumes(renderer, &mut prepared, &mut staging)?;
    let (guide, _, _) = typeset(renderer, &prepared, Doc::PRINT_GUIDE)?;
    staging.write(Doc::PRINT_GUIDE.file_name(), &guide)?;
    drop(guide);
    let silent = crate::progress::Silent;
    let documents: Vec<(&str, PathBuf)> = Doc::ALL
        .iter()
        .map(|d| (d.file_name(), staging.staged(d.file_name())))
        .collect();
    let bag = bag::seal(
        bag_spec(renderer, &prepared, &documents, &doc.path),
        &folder::agent(),
        &silent,
    )?;
    let zip_name = format!("{}.zip", bag.name);
    let date = renderer.document_date(&prepared.app);
    crate::seal::zip::write(
        &bag.name,
        &bag.files,
        &staging.path(&zip_name),
        date,
        &silent,
    )?;
    let written = staging.commit()?;
    Ok(Built {
        doc,
        studio: prepared.app.studio.name.trim().to_string(),
        warnings,
        files: written,
        digest: Sha256Hex::parse(&prepared.extra.digest).expect("a digest we made"),
        seal: bag.seal,
        volumes,
    })
}

/// Step 1–3: check, plan fonts, order and hash the evidence.
pub fn prepare(
    renderer: &Renderer,
    data: &Path,
) -> Result<(Document, Vec<Finding>, Prepared), BuildError> {
    let Report {
        doc, app, findings, ..
    } = check::check_file(data, renderer, renderer.today())?;
    let errors = findings.iter().any(|f| f.severity() == Severity::Error);
    let plan = app.as_ref().and_then(|app| renderer.plan(app, &doc).0);
    let (Some(app), Some(plan), false) = (app, plan, errors) else {
        return Err(BuildError::Findings {
            doc: Box::new(doc),
            findings,
        });
    };
    let stop = |more: Vec<Finding>, doc: &Document| BuildError::Findings {
        doc: Box::new(doc.clone()),
        findings: findings.iter().cloned().chain(more).collect(),
    };
    let items = evidence::catalogue(&app, doc.base_dir(), &pdf_pages);
    let unreadable: Vec<Finding> = items
        .iter()
        .filter(|i| {
            i.scan == Some(ScanKind::Pdf) && i.source.as_deref().is_some_and(|p| pdf_pages(p) == 0)
        })
        .map(|i| {
            let index = app
                .evidence
                .iter()
                .position(|e| e.id.trim() == i.id)
                .unwrap_or(0);
            Finding::new(
                Code::EvidenceContent,
                format!("evidence[{index}].file"),
                format!(
                    "佐证材料“{}”的 PDF 文件无法解析，无法排入佐证材料册",
                    i.title
                ),
            )
            .hint("用扫描软件重新导出该 PDF，或改为 JPEG 扫描件")
        })
        .collect();
    if !unreadable.is_empty() {
        return Err(stop(unreadable, &doc));
    }
    let served = served_files(&items, false)?;
    let lines =
        evidence::manifest_lines(&items, &doc.path).map_err(|source| BuildError::Evidence {
            path: doc.path.clone(),
            source,
        })?;
    let digest = evidence_digest(&lines.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>());
    let known = lines
        .into_iter()
        .map(|(line, size)| (line.path, (line.digest, size)))
        .collect();
    let mut served = served;
    served.insert(
        crate::typeset::qr::PATH.to_string(),
        crate::typeset::qr::served(&digest.to_string()),
    );
    let extra = Extra {
        known,
        items,
        digest: digest.to_string(),
        digest_groups: digest.groups(),
        volumes: Vec::new(),
        total_sheets: 0,
        more: Default::default(),
    };
    Ok((
        doc,
        findings,
        Prepared {
            app,
            plan,
            extra,
            served,
        },
    ))
}

/// Step 4: the five volumes, each staged as soon as it is made; records their page
/// counts for the print guide.
fn typeset_volumes(
    renderer: &Renderer,
    prepared: &mut Prepared,
    staging: &mut Staging,
) -> Result<Vec<Volume>, BuildError> {
    let mut volumes = Vec::new();
    for doc in Doc::VOLUMES {
        let (bytes, pages, conformance) = typeset(renderer, prepared, doc)?;
        if doc == Doc::EVIDENCE_VOLUME {
            stage_evidence(prepared, staging, &bytes)?;
        } else {
            staging.write(doc.file_name(), &bytes)?;
        }
        volumes.push(Volume::new(
            doc,
            pages,
            conformance == Conformance::PdfA2b,
            &prepared.app.print,
        ));
    }
    prepared.extra.total_sheets = print::total_sheets(&volumes);
    prepared.extra.volumes = volumes.clone();
    Ok(volumes)
}

/// Stages the typeset evidence volume with its raster scans placed on their pages.
pub fn stage_evidence(
    prepared: &Prepared,
    staging: &mut Staging,
    bytes: &[u8],
) -> Result<(), BuildError> {
    let scans = raster_scans(&prepared.extra.items);
    staging.write_with(Doc::EVIDENCE_VOLUME.file_name(), |file| {
        let mut out = std::io::BufWriter::new(file);
        scan_page::complete(bytes, &scans, &mut out)?;
        out.flush().map_err(scan_page::ScanPageError::Write)?;
        Ok(())
    })?;
    Ok(())
}

/// Typesets one document: PDF bytes, page count, and the standard it meets.
pub fn typeset(
    renderer: &Renderer,
    prepared: &Prepared,
    doc: Doc,
) -> Result<(Vec<u8>, usize, Conformance), BuildError> {
    let world = renderer.world(
        &prepared.app,
        &prepared.plan,
        &prepared.extra,
        &prepared.served,
        doc,
    )?;
    let document = renderer.layout(&world, doc)?;
    // A scan is a PDF page, which PDF/A cannot embed: such a volume is plain PDF.
    let holds_pages = doc.holds_pages()
        && prepared
            .extra
            .items
            .iter()
            .any(|item| item.world_path.is_some());
    let (bytes, conformance) =
        renderer.export(&prepared.app, &world, &document, doc, holds_pages)?;
    Ok((bytes, document.pages().len(), conformance))
}

/// Pages of a PDF scan, as typst will read them; 0 when it cannot be parsed.
fn pdf_pages(path: &Path) -> usize {
    std::fs::read(path)
        .ok()
        .and_then(|data| hayro_syntax::Pdf::new(std::sync::Arc::new(data)).ok())
        .map_or(0, |pdf| pdf.pages().len())
}

/// The scans the evidence volume shows: PDF scans as they are, every raster scan as
/// its stand-in (`scan_page`), whose image the finished volume gets from the file; for
/// the live preview, a stand-in carrying the scan's thumbnail (`scan_preview`).
fn served_files(items: &[Item], preview: bool) -> Result<BTreeMap<String, Served>, BuildError> {
    let mut served = BTreeMap::new();
    for item in items {
        let (Some(source), Some(path), Some(kind)) = (&item.source, &item.world_path, item.scan)
        else {
            continue;
        };
        let shown = preview
            .then(|| scan_preview::stand_in(source, kind))
            .flatten();
        let file = if kind == ScanKind::Pdf {
            Served::Disk(source.clone())
        } else if let Some(page) = shown {
            Served::Memory(Bytes::new(page))
        } else {
            Served::Memory(Bytes::new(scan_page::stand_in(source, kind, item.number)?))
        };
        served.insert(path.clone(), file);
    }
    Ok(served)
}

/// The raster scans whose stand-ins the finished evidence volume replaces.
fn raster_scans(items: &[Item]) -> BTreeMap<usize, (PathBuf, ScanKind)> {
    items
        .iter()
        .filter_map(|item| match (&item.source, item.scan) {
            (Some(source), Some(kind)) if kind != ScanKind::Pdf => {
                Some((item.number, (source.clone(), kind)))
            }
            _ => None,
        })
        .collect()
}

/// Step 6: the sealed archive of the packet (第十一条): the PDFs under 申报材料/, the
/// evidence under 佐证材料/ by the names of the catalogue, the data file under 源数据/.
pub fn bag_spec(
    renderer: &Renderer,
    prepared: &Prepared,
    documents: &[(&str, PathBuf)],
    data: &Path,
) -> BagSpec {
    let app = &prepared.app;
    let mut payload: Vec<(String, Content)> = documents
        .iter()
        .map(|(name, staged)| {
            (
                format!("{PACKET_DIR}/{name}"),
                Content::Disk(staged.clone()),
            )
        })
        .collect();
    for item in &prepared.extra.items {
        if let (Some(source), Some(name)) = (&item.source, &item.bag_name) {
            payload.push((
                format!("{}/{name}", evidence::EVIDENCE_DIR),
                Content::Disk(source.clone()),
            ));
        }
    }
    payload.push((
        format!("{}/{}", evidence::SOURCE_DIR, evidence::source_name(data)),
        Content::Disk(data.to_path_buf()),
    ));
    BagSpec {
        // The bag and its zip are named after the studio, as Windows can hold the name.
        name: crate::portable::portable(app.studio.name.trim(), "申报材料"),
        payload,
        info: vec![
            ("Source-Organization".into(), app.unit.name.trim().into()),
            ("External-Identifier".into(), app.studio.name.trim().into()),
            (
                "Bagging-Date".into(),
                renderer.document_date(app).to_string(),
            ),
            ("Evidence-Digest".into(), prepared.extra.digest.clone()),
            ("Dashi-Data-Format".into(), app.format_version.to_string()),
        ],
        known: prepared.extra.known.clone(),
        tags: Vec::new(),
    }
}

/// The pages of one document of unsaved data (the web form's preview), laid out by the
/// same templates and fonts as `build`, whatever the rules find: a preview shows the
/// data as it stands. Raster scans show as their stand-ins (the finished volume places
/// the images after layout); the evidence digest is computed only for the pledge, which
/// prints it. Errors say in words why nothing can be laid out.
pub fn layout_unsaved(
    renderer: &Renderer,
    data: &Path,
    text: String,
    doc: Doc,
) -> Result<typst_layout::PagedDocument, String> {
    // Only the data is read here: the rules and the font coverage run on their own
    // request, so a keystroke costs one layout.
    let unreadable = || "数据文件有无法读取的内容，先改正检查结果中的错误".to_string();
    let partial = crate::data::load::read_partial(data, text).map_err(|_| unreadable())?;
    let app = partial.value;
    let plan = FontPlan::for_application(&app, &renderer.fonts)
        .map_err(|_| "所选字体不存在，无法排版".to_string())?;
    let items = evidence::catalogue(&app, partial.doc.base_dir(), &pdf_pages);
    let mut served = if doc == Doc::EVIDENCE_VOLUME {
        served_files(&items, true).map_err(|e| e.to_string())?
    } else {
        BTreeMap::new()
    };
    let digest = if doc == Doc::PLEDGE {
        let lines = evidence::manifest_lines(&items, data).map_err(|e| e.to_string())?;
        evidence_digest(&lines.into_iter().map(|(l, _)| l).collect::<Vec<_>>())
    } else {
        Sha256Hex::parse(&"0".repeat(64)).expect("64 zeros")
    };
    served.insert(
        crate::typeset::qr::PATH.to_string(),
        crate::typeset::qr::served(&digest.to_string()),
    );
    let extra = Extra {
        known: Default::default(),
        items,
        digest: digest.to_string(),
        digest_groups: digest.groups(),
        volumes: Vec::new(),
        total_sheets: 0,
        more: Default::default(),
    };
    let world = renderer
        .world(&app, &plan, &extra, &served, doc)
        .map_err(|e| e.to_string())?;
    renderer.layout(&world, doc).map_err(|e| e.to_string())
}
