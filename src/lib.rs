//! dashi turns one data file about a skill master studio (技能大师工作室) into the
//! application packet the Hohhot rules require. The pipeline runs data → check →
//! render → packet → seal → disc → verify; this crate holds every stage, and the
//! `dashi` binary only parses arguments and reports.
//!
//! The modules: the data file (`data`), its rules (`check`), the findings they produce
//! (`finding`) and how they are printed (`diag`), the sample project (`init`), the
//! templates (`render`), typst in-process (`pdf`), the print packet with its evidence
//! volume and batch builds (`packet`), the sealed BagIt archive and streaming digests
//! (`seal`), the submission disc (`disc`), verification of any bag, zip, disc or OCFL
//! object (`verify`), and how a failed command ends (`failure`). After approval: the
//! studio's OCFL archive (`archive`), its dated records (`record`) and the evaluation
//! and acceptance reports computed from them (`report`); photos are read by `exif` and
//! `jpeg` (EXIF fields; JPEG blocks walked for damage and for thumbnails).

pub mod archive;
pub mod check;
pub mod console;
pub mod data;
pub mod diag;
pub mod disc;
pub mod exif;
pub mod failure;
pub mod finding;
pub mod fsio;
pub mod init;
pub mod intake;
pub mod jpeg;
pub mod packet;
pub mod parallel;
pub mod pdf;
pub mod portable;
pub mod progress;
pub mod record;
pub mod render;
pub mod report;
pub mod seal;
pub mod serve;
pub mod verify;
