//! The typeset documents measured in typst's own layout tree: every 仿宋 glyph run is
//! 12 pt and the baselines on each page sit on a 16 pt grid; page size is A4. Also the
//! rendered typst text of every template, snapshotted.

use std::path::Path;

use dashi::packet::{self, BuildOptions, Prepared, Renderer};
use dashi::render::Doc;
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};

fn sample(renderer: &Renderer) -> Prepared {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/studio.toml");
    packet::prepare(renderer, &path)
        .expect("the sample prepares")
        .2
}

fn layout(renderer: &Renderer, p: &Prepared, doc: Doc) -> typst_layout::PagedDocument {
    let world = renderer
        .world(&p.app, &p.plan, &p.extra, &p.served, doc)
        .unwrap();
    renderer.layout(&world, doc).unwrap()
}

/// (baseline y, size, family) of every text run on a page, in page coordinates.
fn runs(frame: &Frame, ts: Transform, out: &mut Vec<(f64, f64, String)>) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(group) => runs(&group.frame, here.pre_concat(group.transform), out),
            FrameItem::Text(text) => {
                let origin = Point::zero().transform(here);
                out.push((
                    origin.y.to_pt(),
                    text.size.to_pt(),
                    text.font.info().family.clone(),
                ));
            }
            _ => {}
        }
    }
}

#[test]
fn fang_body_text_sits_on_the_16pt_grid() {
    let renderer = Renderer::new(&BuildOptions::default()).unwrap();
    let prepared = sample(&renderer);
    for doc in Doc::ALL {
        let document = layout(&renderer, &prepared, doc);
        let mut fang_runs = 0;
        for page in document.pages() {
            let size = page.frame.size();
            assert!(
                (size.x - Abs::mm(210.0)).to_pt().abs() < 0.01,
                "{doc:?} width"
            );
            assert!(
                (size.y - Abs::mm(297.0)).to_pt().abs() < 0.01,
                "{doc:?} height"
            );
            let mut all = Vec::new();
            runs(&page.frame, Transform::identity(), &mut all);
            let fang: Vec<_> = all.iter().filter(|r| r.2.contains("Fang")).collect();
            fang_runs += fang.len();
            for run in &fang {
                assert!((run.1 - 12.0).abs() < 1e-6, "{doc:?}: 仿宋 at {} pt", run.1);
            }
            let mut baselines: Vec<f64> = fang.iter().map(|r| r.0).collect();
            baselines.sort_by(f64::total_cmp);
            baselines.dedup_by(|a, b| (*a - *b).abs() < 0.01);
            for pair in baselines.windows(2) {
                let gap = pair[1] - pair[0];
                let lines = (gap / 16.0).round();
                assert!(
                    lines >= 1.0 && (gap - lines * 16.0).abs() <= 0.05,
                    "{doc:?}: baselines {pair:?} are {gap} pt apart"
                );
            }
        }
        assert!(fang_runs > 0, "{doc:?} has no 仿宋 text");
    }
}

#[test]
fn rendered_typst_sources_match_the_snapshots() {
    let renderer = Renderer::new(&BuildOptions::default()).unwrap();
    let p = sample(&renderer);
    for doc in Doc::ALL {
        let source = renderer.source(&p.app, &p.extra, doc).unwrap();
        insta::assert_snapshot!(doc.template(), source);
    }
}

/// (page, y, text) of every text run of a document.
fn texts(document: &typst_layout::PagedDocument) -> Vec<(usize, f64, String)> {
    let mut out = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        collect_texts(&page.frame, Transform::identity(), i, &mut out);
    }
    out
}

fn collect_texts(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<(usize, f64, String)>) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(group) => {
                collect_texts(&group.frame, here.pre_concat(group.transform), page, out)
            }
            FrameItem::Text(text) => out.push((
                page,
                Point::zero().transform(here).y.to_pt(),
                text.text.to_string(),
            )),
            _ => {}
        }
    }
}

#[test]
fn a_signature_never_starts_a_page_alone() {
    let renderer = Renderer::new(&BuildOptions::default()).unwrap();
    let mut prepared = sample(&renderer);
    // Reports and proposals of many lengths: wherever the page breaks, the signature
    // shares its page with at least one line of the text it signs.
    for paragraphs in (8..60).step_by(3) {
        let text: Vec<String> = (0..paragraphs)
            .map(|i| format!("第{i}段：工作室将围绕焊接工艺开展技术攻关，每年组织技能培训和交流活动，推广先进操作法。"))
            .collect();
        prepared.app.recommendation.report = text.join("\n");
        prepared.app.proposal.support = text.join("\n");
        for doc in [Doc::RECOMMENDATION, Doc::PROPOSAL] {
            let document = layout(&renderer, &prepared, doc);
            let runs = texts(&document);
            let (page, y, _) = runs
                .iter()
                .find(|(_, _, t)| t.contains("申报单位（公章）"))
                .expect("a signature line")
                .clone();
            let above = runs
                .iter()
                .filter(|(p, ry, t)| *p == page && *ry < y && t.contains("第"))
                .count();
            assert!(
                above > 0,
                "{doc:?} with {paragraphs} paragraphs: signature alone on page {}",
                page + 1
            );
        }
    }
}
