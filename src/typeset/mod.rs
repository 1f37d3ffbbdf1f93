//! The typesetting layer: typst in-process. One `World` per document (`world`), the
//! shared fonts (`fonts`), the check that every character has a glyph (`coverage`), the
//! digest's QR code (`qr`), the `Renderer` that every document of dashi goes through
//! (application packet, records, reports, intake sheets, the web form's preview), and
//! compiling a rendered source to PDF/A-2b with fixed metadata, so the same input gives
//! the same bytes.

pub mod coverage;
pub mod fonts;
pub mod qr;
pub mod renderer;
pub mod world;

pub use renderer::{Options, Renderer, TypesetError};

use std::fmt::Write as _;

use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic, Warned};
use typst::ecow::EcoVec;
use typst::foundations::{Datetime, Smart};
use typst::layout::Frame;
use typst::model::Document as _;
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::data::dates::Date;
use world::DocWorld;

/// Why typst could not turn a source into a PDF.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// Typst reported errors or warnings (warnings count as errors: an unknown font
    /// must never silently fall back).
    #[error("排版失败：\n{0}")]
    Typst(String),
}

/// The date a document carries: the fixed source date when one is given (the command
/// line reads `SOURCE_DATE_EPOCH`), else the filing date.
pub fn document_date(filled_on: Date, source_date: Option<Date>) -> Date {
    source_date.unwrap_or(filled_on)
}

/// A typst date for a calendar date.
pub fn typst_date(date: Date) -> Datetime {
    Datetime::from_ymd(date.year as i32, date.month as u8, date.day as u8)
        .expect("a checked date is a valid typst date")
}

/// Compiles the world's main source into a laid-out document.
pub fn layout(world: &DocWorld) -> Result<PagedDocument, CompileError> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let mut problems: Vec<SourceDiagnostic> = warnings.into_iter().collect();
    let document = match output {
        Ok(document) => Some(document),
        Err(errors) => {
            problems.extend(errors);
            None
        }
    };
    match document {
        Some(document) if problems.is_empty() => Ok(document),
        _ => Err(CompileError::Typst(describe(world, &problems))),
    }
}

/// Which PDF standard an export meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conformance {
    /// PDF/A-2b, for archiving.
    PdfA2b,
    /// Plain PDF 1.7, when the content rules PDF/A out (an embedded PDF scan).
    Plain,
}

/// Double-sided printing: a volume with an odd number of pages gets one blank,
/// unnumbered page at the end, so it ends on a full sheet and the next volume starts on
/// a right-hand page.
pub fn pad_to_even(document: PagedDocument) -> PagedDocument {
    let pages = document.pages();
    let Some(last) = pages.last().filter(|_| pages.len() % 2 == 1) else {
        return document;
    };
    let blank = Page {
        frame: Frame::hard(last.frame.size()),
        bleed: last.bleed,
        fill: last.fill.clone(),
        numbering: None,
        supplement: last.supplement.clone(),
        number: last.number + 1,
    };
    let mut all: EcoVec<Page> = pages.iter().cloned().collect();
    all.push(blank);
    PagedDocument::new(all, document.info().clone())
}

/// Exports a laid-out document with stable identifier, creator and date.
pub fn export(
    world: &DocWorld,
    document: &PagedDocument,
    ident: &str,
    date: Date,
    conformance: Conformance,
) -> Result<Vec<u8>, CompileError> {
    let timestamp = Timestamp::new_utc(typst_date(date));
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("dashi {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(timestamp),
        page_ranges: None,
        standards: match conformance {
            Conformance::PdfA2b => {
                PdfStandards::new(&[PdfStandard::A_2b]).expect("PDF/A-2b is a valid standard set")
            }
            Conformance::Plain => PdfStandards::default(),
        },
        tagged: true,
        pretty: false,
    };
    typst_pdf::pdf(document, &options).map_err(|errors| {
        CompileError::Typst(describe(world, &errors.into_iter().collect::<Vec<_>>()))
    })
}

/// Typst diagnostics as `file:line:column: message` lines with hints.
fn describe(world: &DocWorld, problems: &[SourceDiagnostic]) -> String {
    let mut out = String::new();
    for problem in problems {
        let kind = match problem.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告（按错误处理）",
        };
        let place = problem
            .span
            .id()
            .and_then(|id| {
                let source = world.source_of(id)?;
                let range = world.range(problem.span)?;
                let line = source.lines().byte_to_line(range.start)?;
                let column = source.lines().byte_to_column(range.start)?;
                let text = source.text().lines().nth(line).unwrap_or("").trim();
                Some(format!(
                    "{}:{}:{}（{}）",
                    DocWorld::path_of(id),
                    line + 1,
                    column + 1,
                    text
                ))
            })
            .unwrap_or_else(|| "（无位置）".into());
        let _ = writeln!(out, "  {kind}：{place}：{}", problem.message);
        for hint in &problem.hints {
            let _ = writeln!(out, "    提示：{}", hint.v);
        }
    }
    out
}
