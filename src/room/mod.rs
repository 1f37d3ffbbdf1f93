//! The archive as an archive room (档案室) keeps it, after DA/T 22-2015 归档文件整理规则:
//! each record, each report and the application is one 件 with a 档号 given at 归档
//! (`filing`), described in `归档信息/` (`item`), numbered by the archive's settings
//! (`settings`); the 归档文件目录 is made from those descriptions (`catalogue`). The
//! DA/T 70 四性检测 (`four`) reads what `verify` finds and opens each file as its format
//! asks (a PDF through a parser, `pdf`); the 移交 package carries the archive, its catalogue and that report
//! (`transfer`). The room sits above the archive, the records and `verify`.

pub mod catalogue;
pub mod filing;
pub mod formats;
pub mod four;
pub mod item;
pub mod listing;
pub mod pdf;
pub mod print;
pub mod set;
pub mod settings;
pub mod sums;
pub mod transfer;
