//! Everything needed to typeset documents, loaded once and shared by every packet of a
//! run (batch builds use every core with one set of fonts): the templates, the fonts,
//! and the step from a filled template to a laid-out document and its PDF bytes.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use typst::foundations::{IntoValue, Value};
use typst_layout::PagedDocument;

use super::{BuildError, BuildOptions};
use crate::data::load::Document;
use crate::data::model::Application;
use crate::finding::Finding;
use crate::pdf::coverage::{self, FontPlan};
use crate::pdf::fonts::FontSet;
use crate::pdf::world::{DocWorld, Served};
use crate::pdf::{self, CompileError, Conformance};
use crate::render::{Doc, TemplateError, Templates, context};

/// Templates and fonts, loaded once.
pub struct Renderer {
    pub templates: Templates,
    pub fonts: Arc<FontSet>,
    /// The fixed date of every output, when the command line gave one.
    pub source_date: Option<crate::data::dates::Date>,
}

impl Renderer {
    pub fn new(options: &BuildOptions) -> Result<Renderer, BuildError> {
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
        pdf::document_date(app.filled_on, self.source_date)
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
    ) -> Result<DocWorld, BuildError> {
        let source = self.source(app, extra, doc)?;
        let inputs = inputs(doc, app.unit.name.trim(), plan);
        let today = pdf::typst_date(self.document_date(app));
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
    ) -> Result<DocWorld, BuildError> {
        let context = tera::Context::from_serialize(data).expect("the data serializes");
        let source = self.templates.render(doc, &context)?;
        let plan = FontPlan::standard(&self.fonts);
        Ok(DocWorld::new(
            source,
            self.templates.helpers(),
            served,
            self.fonts.clone(),
            inputs(doc, author, &plan),
            pdf::typst_date(today),
        ))
    }

    /// Lays out one document; bound volumes are padded to an even page count.
    pub fn layout(&self, world: &DocWorld, doc: Doc) -> Result<PagedDocument, BuildError> {
        let document = pdf::layout(world).map_err(|error| compile_error(doc, error))?;
        Ok(if doc.bound() {
            pdf::pad_to_even(document)
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
    ) -> Result<(Vec<u8>, Conformance), BuildError> {
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
    ) -> Result<(Vec<u8>, Conformance), BuildError> {
        let ident = ident.to_string();
        if holds_pages {
            return pdf::export(world, document, &ident, date, Conformance::Plain)
                .map(|bytes| (bytes, Conformance::Plain))
                .map_err(|error| compile_error(doc, error));
        }
        match pdf::export(world, document, &ident, date, Conformance::PdfA2b) {
            Ok(bytes) => Ok((bytes, Conformance::PdfA2b)),
            Err(_) if doc.holds_pages() => {
                pdf::export(world, document, &ident, date, Conformance::Plain)
                    .map(|bytes| (bytes, Conformance::Plain))
                    .map_err(|error| compile_error(doc, error))
            }
            Err(error) => Err(compile_error(doc, error)),
        }
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

fn compile_error(doc: Doc, error: CompileError) -> BuildError {
    BuildError::Compile {
        doc: doc.file_name(),
        error,
    }
}
