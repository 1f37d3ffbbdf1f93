//! Typesets a report: the photos' thumbnails are made once, small, on every core (the
//! full photos never held together), served to the typst world beside the archive
//! digest's QR code, and the document is laid out in the house style.

use rayon::prelude::*;
use std::collections::BTreeMap;

use typst::foundations::Bytes;

use super::command::ReportError;
use super::{Evaluation, Kind};
use crate::data::dates::Date;
use crate::data::model::Application;
use crate::render::Doc;
use crate::typeset::Renderer;
use crate::typeset::coverage::FontPlan;
use crate::typeset::world::Served;

/// The document of a report kind.
pub fn doc(kind: Kind) -> Doc {
    match kind {
        Kind::Evaluation => Doc::EVALUATION,
        Kind::Acceptance => Doc::ACCEPTANCE,
        Kind::Rectification => Doc::RECTIFICATION,
    }
}

/// The report's PDF.
pub fn typeset(
    renderer: &Renderer,
    app: &Application,
    evaluation: &Evaluation,
    date: Date,
) -> Result<Vec<u8>, ReportError> {
    typeset_with(renderer, app, evaluation, date, Thumbnails::Made)
}

/// What the photos' boxes show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thumbnails {
    /// Each photo's own thumbnail.
    Made,
    /// One blank picture in every box: the same pages and the same text, without
    /// decoding a photo (what the bureau compares a received report's text with).
    Blank,
}

/// The report's PDF, its photos shown as `thumbnails` says.
pub fn typeset_with(
    renderer: &Renderer,
    app: &Application,
    evaluation: &Evaluation,
    date: Date,
    thumbnails: Thumbnails,
) -> Result<Vec<u8>, ReportError> {
    let plan = FontPlan::for_application(app, &renderer.fonts).map_err(|f| {
        let doc = crate::data::load::Document {
            path: "studio.toml".into(),
            text: String::new(),
            index: Default::default(),
            format: crate::data::schema::Format::application(),
        };
        ReportError::Findings(vec![(doc, vec![*f])])
    })?;
    let thumbnails = match thumbnails {
        Thumbnails::Made => evaluation
            .photos
            .par_iter()
            .map(|p| crate::media::thumbnail(&p.stored).map(|t| t.jpeg))
            .collect::<Vec<_>>(),
        Thumbnails::Blank => {
            let blank = blank_jpeg();
            vec![Some(blank); evaluation.photos.len()]
        }
    };
    let mut served = BTreeMap::new();
    for (photo, thumbnail) in evaluation.photos.iter().zip(thumbnails) {
        if let Some(jpeg) = thumbnail {
            served.insert(photo.thumbnail.clone(), Served::Memory(Bytes::new(jpeg)));
        }
    }
    served.insert(
        crate::typeset::qr::PATH.to_string(),
        crate::typeset::qr::served(&evaluation.digest),
    );
    let mut shown = evaluation.clone();
    for photo in &mut shown.photos {
        photo.present = served.contains_key(&photo.thumbnail);
    }
    let extra = serde_json::json!({ "report": shown });
    let doc = doc(evaluation.kind);
    let world = renderer.world(app, &plan, &extra, &served, doc)?;
    let document = renderer.layout(&world, doc)?;
    let ident = format!(
        "dashi/{}/{}/{}",
        evaluation.studio,
        doc.file_name(),
        evaluation.period_text
    );
    let (bytes, _) = renderer.export_as(&world, &document, doc, &ident, date, false)?;
    Ok(bytes)
}

/// A small grey JPEG.
fn blank_jpeg() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(8, 6, image::Luma([200])))
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encoding a small picture in memory works");
    out.into_inner()
}
