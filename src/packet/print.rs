//! The print plan: every bound volume with its pages, sheets (double-sided) and copies,
//! as 00-打印说明.pdf states it. 第八条 asks 一式三份 and 附件2 一式四份 of the form; the
//! counts come from the data's [print] table.

use serde::Serialize;

use crate::data::model::Print;
use crate::render::Doc;

/// One bound volume of the packet.
#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    pub file: &'static str,
    pub description: &'static str,
    /// Pages, including the blank ones that make every volume end on a full sheet.
    pub pages: usize,
    /// Sheets of paper per copy, printed on both sides.
    pub sheets: usize,
    pub copies: u32,
    /// Whether the PDF is PDF/A-2b (or plain PDF, when a PDF scan rules PDF/A out).
    pub pdfa: bool,
}

impl Volume {
    pub fn new(doc: Doc, pages: usize, pdfa: bool, print: &Print) -> Volume {
        Volume {
            file: doc.file_name(),
            description: doc.description(),
            pages,
            sheets: pages.div_ceil(2),
            copies: doc.copies(print),
            pdfa,
        }
    }
}

/// Sheets of paper for all copies of all volumes.
pub fn total_sheets(volumes: &[Volume]) -> usize {
    volumes.iter().map(|v| v.sheets * v.copies as usize).sum()
}
