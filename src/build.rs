//! `dashi build`: check the data, make sure every character can be printed, fill the
//! templates, typeset each document with typst and write the PDFs — all or nothing,
//! each file written atomically so a failed build leaves the output folder as it was.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::{IntoValue, Value};

use crate::check::{self, Report};
use crate::data::load::{Document, LoadError};
use crate::data::model::Application;
use crate::finding::{Finding, Severity};
use crate::pdf::coverage::{self, FontPlan};
use crate::pdf::fonts::{FontError, FontSet};
use crate::pdf::world::DocWorld;
use crate::pdf::{self, CompileError};
use crate::render::{Doc, TemplateError, Templates, context};

/// What `dashi build` may be told besides the data file.
#[derive(Debug, Default, Clone)]
pub struct BuildOptions {
    /// A folder whose templates replace the built-in ones of the same name.
    pub templates: Option<PathBuf>,
    /// Folders with extra fonts.
    pub font_paths: Vec<PathBuf>,
}

/// What a successful build wrote.
#[derive(Debug)]
pub struct Built {
    /// The data file as read (for printing warnings).
    pub doc: Document,
    /// Warnings of the check (errors stop the build).
    pub warnings: Vec<Finding>,
    /// The files written, in packet order.
    pub files: Vec<PathBuf>,
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
    /// An output file could not be written.
    #[error("无法写入 {}：{source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Everything needed to typeset an application's documents, loaded once.
pub struct Renderer {
    pub templates: Templates,
    pub fonts: Arc<FontSet>,
}

impl Renderer {
    pub fn new(options: &BuildOptions) -> Result<Renderer, BuildError> {
        let templates = match &options.templates {
            Some(dir) => Templates::with_overrides(dir)?,
            None => Templates::embedded(),
        };
        let fonts = FontSet::with_folders(&options.font_paths)?;
        Ok(Renderer { templates, fonts })
    }

    /// The typst source of one document.
    pub fn source(&self, app: &Application, doc: Doc) -> Result<String, TemplateError> {
        self.templates.render(doc, &context::context(app))
    }

    /// The world that typesets one document.
    pub fn world(
        &self,
        app: &Application,
        plan: &FontPlan,
        doc: Doc,
    ) -> Result<DocWorld, BuildError> {
        let source = self.source(app, doc)?;
        let strings = |v: &[String]| -> Value {
            v.iter()
                .map(|s| s.as_str().into_value())
                .collect::<Vec<_>>()
                .into_value()
        };
        let inputs = [
            ("title", doc.title().into_value()),
            ("author", app.unit.name.trim().into_value()),
            ("fonts-body", strings(&plan.body)),
            ("fonts-hei", strings(&plan.hei)),
            ("fonts-song", strings(&plan.song)),
        ]
        .into_iter()
        .collect();
        let today = pdf::typst_date(pdf::document_date(app.filled_on));
        Ok(DocWorld::new(
            source,
            self.templates.helpers(),
            Default::default(),
            self.fonts.clone(),
            inputs,
            today,
        ))
    }

    /// Typesets one document to PDF bytes.
    pub fn pdf(&self, app: &Application, plan: &FontPlan, doc: Doc) -> Result<Vec<u8>, BuildError> {
        let world = self.world(app, plan, doc)?;
        let compile_err = |error| BuildError::Compile {
            doc: doc.file_name(),
            error,
        };
        let document = pdf::layout(&world).map_err(compile_err)?;
        let ident = format!("dashi/{}/{}", app.studio.name.trim(), doc.file_name());
        pdf::export(&world, &document, &ident, pdf::document_date(app.filled_on))
            .map_err(compile_err)
    }

    /// The font plan, or the findings that stop printing (missing glyphs).
    pub fn plan(&self, app: &Application) -> Result<FontPlan, Vec<Finding>> {
        let plan = FontPlan::for_application(app, &self.fonts).map_err(|f| vec![f])?;
        let missing = coverage::check(app, &self.fonts, &plan);
        if missing.is_empty() {
            Ok(plan)
        } else {
            Err(missing)
        }
    }
}

/// Builds the four documents of a data file into `out`.
pub fn build(data: &Path, out: &Path, options: &BuildOptions) -> Result<Built, BuildError> {
    let Report { doc, app, findings } = check::check_file(data)?;
    let errors = findings.iter().any(|f| f.severity() == Severity::Error);
    let Some(app) = app.filter(|_| !errors) else {
        return Err(BuildError::Findings {
            doc: Box::new(doc),
            findings,
        });
    };
    let renderer = Renderer::new(options)?;
    let plan = renderer
        .plan(&app)
        .map_err(|missing| BuildError::Findings {
            doc: Box::new(doc.clone()),
            findings: findings.iter().cloned().chain(missing).collect(),
        })?;
    let mut pdfs = Vec::new();
    for document in Doc::ALL {
        pdfs.push((document.file_name(), renderer.pdf(&app, &plan, document)?));
    }
    let files = write_all(out, &pdfs)?;
    Ok(Built {
        doc,
        warnings: findings,
        files,
    })
}

/// Writes every file into a staging folder inside `out`, then renames each into
/// place, so readers never see a half-written PDF and a failure changes nothing.
pub fn write_all(out: &Path, files: &[(&str, Vec<u8>)]) -> Result<Vec<PathBuf>, BuildError> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| BuildError::Write { path, source }
    };
    std::fs::create_dir_all(out).map_err(write_err(out))?;
    let staging = out.join(format!(".dashi-{}", std::process::id()));
    std::fs::create_dir_all(&staging).map_err(write_err(&staging))?;
    let staged: Result<Vec<PathBuf>, BuildError> = files
        .iter()
        .map(|(name, bytes)| {
            let path = staging.join(name);
            crate::fsio::write_atomic(&path, bytes).map_err(write_err(&path))?;
            Ok(path)
        })
        .collect();
    let result = staged.and_then(|staged| {
        staged
            .iter()
            .zip(files)
            .map(|(from, (name, _))| {
                let to = out.join(name);
                std::fs::rename(from, &to).map_err(write_err(&to))?;
                Ok(to)
            })
            .collect()
    });
    let _ = std::fs::remove_dir_all(&staging);
    result
}
