//! The live preview: one document of the unsaved data laid out by the build's own
//! templates and fonts, each A4 page as SVG with its text beside it (for reading aloud,
//! finding and testing). The page sends the digests of the pages it shows; only pages
//! that changed are sent again.

use serde::Serialize;
use typst::layout::{Frame, FrameItem};

use crate::render::Doc;

/// The documents the preview offers, by the names clerks use.
pub const DOCS: [(&str, Doc); 5] = [
    ("承诺书", Doc::PLEDGE),
    ("申报表", Doc::APPLICATION_FORM),
    ("申报书", Doc::PROPOSAL),
    ("推荐报告", Doc::RECOMMENDATION),
    ("佐证材料", Doc::EVIDENCE_VOLUME),
];

/// The most pages the preview lays out and sends.
pub const MAX_PAGES: usize = 200;

/// Characters of data beyond which a document would run past `MAX_PAGES` (a page of
/// 仿宋 小四 holds about 1,000 characters; the data file's keys and comments count too):
/// such data is not laid out for the preview at all.
pub const MAX_CHARS: usize = MAX_PAGES * 1_000;

/// Why data is not previewed, when it is too long to.
pub fn too_long(text: &str) -> Option<String> {
    let chars = text.chars().count();
    (chars > MAX_CHARS).then(|| {
        format!(
            "文字太多（约 {} 万字，超过实时预览的 {MAX_PAGES} 页），不再实时预览；检查照常进行，保存后按“生成申报材料”得到完整的 PDF",
            chars / 10_000
        )
    })
}

/// One page: its digest always, its picture and text only when it changed.
#[derive(Serialize)]
pub struct Page {
    pub digest: String,
    pub svg: Option<String>,
    pub text: Option<String>,
}

/// The pages of `document`, sending again only those whose digest is not `known[i]`.
pub fn pages(document: &typst_layout::PagedDocument, known: &[String]) -> Vec<Page> {
    let options = typst_svg::SvgOptions::default();
    document
        .pages()
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let svg = typst_svg::svg(page, &options);
            let digest = crate::seal::digest::sha256_bytes(svg.as_bytes()).to_string();
            let fresh = known.get(i) != Some(&digest);
            let mut text = String::new();
            if fresh {
                text_of(&page.frame, &mut text);
            }
            Page {
                digest,
                svg: fresh.then_some(svg),
                text: fresh.then_some(text),
            }
        })
        .collect()
}

/// The text a frame shows, in drawing order.
fn text_of(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Text(run) => out.push_str(&run.text),
            FrameItem::Group(group) => text_of(&group.frame, out),
            _ => {}
        }
    }
}

/// The 可另附页 cells of the 申报表 whose text continues on an attached page, by the
/// field that fills them: the attached page carries the cell's title.
pub const CONTINUED: [(&str, &str); 2] = [
    ("附页：技能大师工作业绩", "master.achievements"),
    ("附页：工作室基本设施", "studio.facilities"),
];

/// The fields whose 申报表 cell continues on an attached page.
pub fn continued(document: &typst_layout::PagedDocument) -> Vec<&'static str> {
    let mut text = String::new();
    for page in document.pages() {
        text_of(&page.frame, &mut text);
    }
    CONTINUED
        .iter()
        .filter(|(title, _)| text.contains(title))
        .map(|(_, path)| *path)
        .collect()
}
