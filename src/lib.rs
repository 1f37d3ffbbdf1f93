//! dashi turns one data file about a skill master studio (技能大师工作室) into the
//! application packet the Hohhot rules require. The pipeline runs data → check →
//! render → typeset → packet → seal → disc → verify; this crate holds every stage, and
//! the `dashi` binary only parses arguments, hands them to one command module each
//! (`src/cmd/`) and prints through `output`.
//!
//! The modules: the data file (`data`), its rules (`check`) and the findings they
//! produce (`finding`), the sample project (`init`), the templates (`render`), typst
//! in-process with fonts, QR codes and the renderer every document goes through
//! (`typeset`), the print packet with its evidence volume and batch builds (`packet`),
//! the sealed BagIt archive and streaming digests (`seal`), the submission disc
//! (`disc`), verification of any bag, zip, disc or OCFL object (`verify`), how a failed
//! command ends (`failure`) and everything printed (`output`). After approval: the
//! studio's OCFL archive (`archive`) and the archive room that files it, catalogues it,
//! checks its 四性 and hands it over (`room`), its dated records (`record`), the
//! evaluation and acceptance reports computed from them (`report`), the bureau's intake
//! (`intake`) and the local web form (`serve`); photos, scans and videos are read by
//! `media`. Dependencies run one way (ARCHITECTURE.md, held by tests/architecture.rs).

pub mod archive;
pub mod check;
pub mod console;
pub mod data;
pub mod disc;
pub mod failure;
pub mod finding;
pub mod fsio;
pub mod init;
pub mod intake;
pub mod ledger;
pub mod media;
pub mod output;
pub mod packet;
pub mod portable;
pub mod progress;
pub mod record;
pub mod render;
pub mod report;
pub mod room;
pub mod roster;
pub mod seal;
pub mod serve;
pub mod typeset;
pub mod verify;
pub mod walk;
