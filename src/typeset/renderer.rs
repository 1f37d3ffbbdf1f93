//! Everything needed to typeset documents, loaded once and shared by every packet of a
//! run (batch builds use every core with one set of fonts): the templates, the fonts,
//! and the step from a filled template to a laid-out document and its PDF bytes.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use typst::foundations::{IntoValue, Value};
use typst_layout::PagedDocument;

use super::coverage::{self, FontPlan};
use super::fonts::{FontError, FontSet};
use super::world::{DocWorld, Served};
use super::{CompileError, Conformance};
use crate::data::load::Document;
use crate::data::model::Application;
use crate::finding::Finding;
use crate::render::{Doc, TemplateError, Templates, context};

/// What a renderer is made from: templates, fonts and the fixed date of outputs.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// A folder whose templates replace the built-in ones of the same name.
    pub templates: Option<std::path::PathBuf>,
    /// Folders with extra fonts.
    pub font_paths: Vec<std::path::PathBuf>,
    /// The fixed date of every output (from `SOURCE_DATE_EPOCH`); each document's own
    /// date when absent.
    pub source_date: Option<crate::data::dates::Date>,
}

/// Why the renderer could not be made or a document could not be typeset.
#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    /// A template could not be loaded or filled.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// Extra fonts could not be loaded.
    #[error(transparent)]
    Font(#[from] FontError),
    /// Typst could not typeset a document.
    #[error("{doc}：{error}")]
    Compile {
        doc: &'static str,
        error: CompileError,
    },
}

impl crate::failure::Failure for TypesetError {
    fn hint(&self) -> Option<String> {
        match self {
            TypesetError::Template(_) => {
                Some("检查 --templates 文件夹中的模板；删去有问题的模板即恢复使用内置模板".into())
            }
            TypesetError::Font(_) => Some("确认 --font-path 给出的文件夹存在且可以读取".into()),
            TypesetError::Compile { .. } => None,
        }
    }
}

/// Templates and fonts, loaded once.
pub struct Renderer {
    pub templates: Templates,
    pub fonts: Arc<FontSet>,
    /// The fixed date of every output, when the command line gave one.
    pub source_date: Option<crate::data::dates::Date>,
}

impl Renderer {
    /// Today in China time, or the fixed date of the outputs when one is given: the
    /// day the checks count as today.
    pub fn today(&self) -> crate::data::dates::Date {
        self.source_date
            .unwrap_or_else(crate::data::dates::Date::today)
    }

    pub fn new(options: &Options) -> Result<Renderer, TypesetError> {
        let templates = match &options.templates {
            Some(dir) => Templates::with_overrides(dir)?,
            None => Templates::embedded(),
        };
        let fonts = FontSet::with_folders(&options.font_paths)?;
        Ok(Renderer {
            templates,
            fonts,
            source_date: options.source_date,
        })
    }

    /// The date an application's documents and archive carry.
    pub fn document_date(&self, app: &Application) -> crate::data::dates::Date {
        super::document_date(app.filled_on, self.source_date)
    }

    /// The font plan and what it finds: characters drawn from a fallback font
    /// (warnings) and characters no font has (errors), each at its first place in the
    /// data file `doc`. An unknown preferred family leaves no plan.
    pub fn plan(&self, app: &Application, doc: &Document) -> (Option<FontPlan>, Vec<Finding>) {
        match FontPlan::for_application(app, &self.fonts) {
            Ok(plan) => {
                let position = |path: &str| doc.span_of(path).map_or(usize::MAX, |s| s.start);
                let findings = coverage::check(app, &self.fonts, &plan, &position);
                (Some(plan), findings)
            }
            Err(finding) => (None, vec![*finding]),
        }
    }

    /// The typst source of one document: its template filled with the data and
    /// `extra` (the evidence catalogue, the digest, page counts).
    pub fn source(
        &self,
        app: &Application,
        extra: &impl Serialize,
        doc: Doc,
    ) -> Result<String, TemplateError> {
        self.templates.render(doc, &context::context(app, extra))
    }

    /// The world that typesets one document.
    pub fn world(
        &self,
        app: &Application,
        plan: &FontPlan,
        extra: &impl Serialize,
        served: &BTreeMap<String, Served>,
        doc: Doc,
    ) -> Result<DocWorld, TypesetError> {
        let source = self.source(app, extra, doc)?;
        let inputs = inputs(doc, app.unit.name.trim(), plan);
        let today = super::typst_date(self.document_date(app));
        Ok(DocWorld::new(
            source,
            self.templates.helpers(),
            served.clone(),
            self.fonts.clone(),
            inputs,
            today,
        ))
    }

    /// The world of a document that is not an application's: its template filled
    /// from `data` alone, set in the built-in faces; `author` goes into its metadata.
    pub fn world_of(
        &self,
        data: &impl Serialize,
        doc: Doc,
        author: &str,
        served: BTreeMap<String, Served>,
        today: crate::data::dates::Date,
    ) -> Result<DocWorld, TypesetError> {
        let context = tera::Context::from_serialize(data).expect("the data serializes");
        let source = self.templates.render(doc, &context)?;
        let plan = FontPlan::standard(&self.fonts);
        Ok(DocWorld::new(
            source,
            self.templates.helpers(),
            served,
            self.fonts.clone(),
            inputs(doc, author, &plan),
            super::typst_date(today),
        ))
    }

    /// A document that is not an application's, whole: `world_of`, laid out, exported
    /// with its identifier and date (the bureau's sheets, lists and decisions, the
    /// archive room's forms).
    pub fn pdf_of(
        &self,
        data: &impl Serialize,
        doc: Doc,
        author: &str,
        served: BTreeMap<String, Served>,
        ident: &str,
        today: crate::data::dates::Date,
    ) -> Result<Vec<u8>, TypesetError> {
        let world = self.world_of(data, doc, author, served, today)?;
        let document = self.layout(&world, doc)?;
        let (bytes, _) = self.export_as(&world, &document, doc, ident, today, false)?;
        Ok(bytes)
    }

    /// Lays out one document; bound volumes are padded to an even page count.
    pub fn layout(&self, world: &DocWorld, doc: Doc) -> Result<PagedDocument, TypesetError> {
        let document = super::layout(world).map_err(|error| compile_error(doc, error))?;
        Ok(if doc.bound() {
            super::pad_to_even(document)
        } else {
            document
        })
    }

    /// Exports a laid-out document as PDF/A-2b, or as plain PDF when the document holds
    /// something PDF/A cannot: embedded PDF pages (`holds_pages`, the scans of the
    /// evidence volume). The second value says which.
    pub fn export(
        &self,
        app: &Application,
        world: &DocWorld,
        document: &PagedDocument,
        doc: Doc,
        holds_pages: bool,
    ) -> Result<(Vec<u8>, Conformance), TypesetError> {
        let ident = format!("dashi/{}/{}", app.studio.name.trim(), doc.file_name());
        self.export_as(
            world,
            document,
            doc,
            &ident,
            self.document_date(app),
            holds_pages,
        )
    }

    /// `export` with the PDF's identifier and date given.
    pub fn export_as(
        &self,
        world: &DocWorld,
        document: &PagedDocument,
        doc: Doc,
        ident: &str,
        date: crate::data::dates::Date,
        holds_pages: bool,
    ) -> Result<(Vec<u8>, Conformance), TypesetError> {
        let ident = ident.to_string();
        if holds_pages {
            return super::export(world, document, &ident, date, Conformance::Plain)
                .map(|bytes| (bytes, Conformance::Plain))
                .map_err(|error| compile_error(doc, error));
        }
        match super::export(world, document, &ident, date, Conformance::PdfA2b) {
            Ok(bytes) => Ok((bytes, Conformance::PdfA2b)),
            Err(_) if doc.holds_pages() => {
                super::export(world, document, &ident, date, Conformance::Plain)
                    .map(|bytes| (bytes, Conformance::Plain))
                    .map_err(|error| compile_error(doc, error))
            }
            Err(error) => Err(compile_error(doc, error)),
        }
    }
}

impl crate::check::Glyphs for Renderer {
    fn of_application(&self, app: &Application, doc: &Document) -> Vec<Finding> {
        self.plan(app, doc).1
    }

    fn of_record(
        &self,
        app: &Application,
        record: &serde_json::Value,
        doc: &Document,
    ) -> Vec<Finding> {
        let Ok(plan) = FontPlan::for_application(app, &self.fonts) else {
            return Vec::new();
        };
        let position = |path: &str| doc.span_of(path).map_or(usize::MAX, |s| s.start);
        coverage::check_value(record, &self.fonts, &plan, &position)
    }
}

/// What every template reads from `sys.inputs`: its title, author and font families.
fn inputs(doc: Doc, author: &str, plan: &FontPlan) -> BTreeMap<&'static str, Value> {
    let strings = |v: &[String]| -> Value {
        v.iter()
            .map(|s| s.as_str().into_value())
            .collect::<Vec<_>>()
            .into_value()
    };
    [
        ("title", doc.title().into_value()),
        ("author", author.into_value()),
        ("fonts-body", strings(&plan.body)),
        ("fonts-hei", strings(&plan.hei)),
        ("fonts-song", strings(&plan.song)),
    ]
    .into_iter()
    .collect()
}

fn compile_error(doc: Doc, error: CompileError) -> TypesetError {
    TypesetError::Compile {
        doc: doc.file_name(),
        error,
    }
}
