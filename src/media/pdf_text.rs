//! The text of a PDF as a reader sees it: every glyph's Unicode (from its font's
//! ToUnicode map, through hayro) placed where the page draws it, glyphs on one baseline
//! joined left to right, lines top to bottom. What the bureau compares a received
//! report's printed figures with (`crate::ledger::compare`).

use std::sync::Arc;

use hayro::hayro_interpret::font::Glyph;
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache,
    InterpreterSettings, Paint, PathDrawMode, SoftMask, TransformExt, interpret_page,
};
use kurbo::{Affine, BezPath, Point, Rect};

/// One glyph: where it sits (PDF points, y down) and what it says.
struct Placed {
    x: f64,
    y: f64,
    text: String,
}

/// Collects the glyphs a page draws.
#[derive(Default)]
struct Collector {
    glyphs: Vec<Placed>,
}

impl<'a> Device<'a> for Collector {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        _: &GlyphDrawMode,
    ) {
        let Some(text) = glyph.as_unicode() else {
            return;
        };
        let text = match text {
            hayro::hayro_interpret::hayro_cmap::BfString::Char(c) => c.to_string(),
            hayro::hayro_interpret::hayro_cmap::BfString::String(s) => s,
        };
        let at = (transform * glyph_transform) * Point::ORIGIN;
        self.glyphs.push(Placed {
            x: at.x,
            y: at.y,
            text,
        });
    }
    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {}
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

/// How far apart (points) two glyphs' baselines may be and still be one line.
const SAME_LINE: f64 = 2.0;

/// The lines of every page, in reading order; `Err` when the PDF cannot be parsed.
/// Table cells on one baseline are joined with a tab where a gap of more than a glyph
/// separates them.
pub fn lines(bytes: Vec<u8>) -> Result<Vec<String>, String> {
    // A hostile PDF that trips the parser is a PDF that cannot be read.
    crate::failure::caught(std::path::Path::new("PDF"), || read(bytes))
        .unwrap_or_else(|_| Err("PDF 无法解析".into()))
}

fn read(bytes: Vec<u8>) -> Result<Vec<String>, String> {
    let pdf = hayro::hayro_syntax::Pdf::new(Arc::new(bytes)).map_err(|_| "PDF 无法解析")?;
    let mut out = Vec::new();
    for page in pdf.pages().iter() {
        let (width, height) = page.render_dimensions();
        let cache = InterpreterCache::new();
        let mut context = Context::new(
            page.initial_transform(true).to_kurbo(),
            Rect::new(0.0, 0.0, f64::from(width), f64::from(height)),
            &cache,
            page.xref(),
            InterpreterSettings::default(),
        );
        let mut collector = Collector::default();
        interpret_page(page, &mut context, &mut collector);
        out.extend(join(collector.glyphs));
    }
    Ok(out)
}

/// Glyphs into lines: by baseline, then left to right.
fn join(mut glyphs: Vec<Placed>) -> Vec<String> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<Placed>> = Vec::new();
    for g in glyphs {
        match rows.last_mut() {
            Some(row) if (row[0].y - g.y).abs() <= SAME_LINE => row.push(g),
            _ => rows.push(vec![g]),
        }
    }
    rows.into_iter()
        .map(|mut row| {
            row.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut line = String::new();
            let mut last_x: Option<f64> = None;
            for g in row {
                // A gap of more than two em-ish widths (12 pt text) starts a new cell.
                if last_x.is_some_and(|x| g.x - x > 24.0) {
                    line.push('\t');
                }
                last_x = Some(g.x);
                line.push_str(&g.text);
            }
            line
        })
        .filter(|l| !l.trim().is_empty())
        .collect()
}
