//! The studio data file: its types (`model`), calendar values (`dates`), the schema
//! that names every field in Chinese (`schema`), and reading it with every value's
//! position (`tree`, `load`), reading past mistakes so all are reported at once
//! (`recover`).

pub mod catalogue;
pub mod change;
pub mod dates;
pub mod load;
pub mod messages;
pub mod model;
pub mod record;
pub mod recover;
pub mod schema;
pub mod tree;

/// The sample data file `dashi init` writes (the studio of 王建军).
pub const SAMPLE: &str = include_str!("../../samples/studio.toml");
