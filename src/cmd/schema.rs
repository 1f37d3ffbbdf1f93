//! `dashi schema`: the JSON Schema of the data file, a record, or a report input.

use dashi::failure::Exit;
use dashi::say;

use super::Outcome;
use crate::cli::{SchemaArgs, SchemaWhich};

pub fn run(args: &SchemaArgs) -> Outcome {
    match args.which {
        None => say!("{}", dashi::data::schema::schema_text()),
        Some(SchemaWhich::Record) => say!("{}", dashi::record::format().text()),
        Some(SchemaWhich::Indicators) => {
            say!("{}", dashi::report::inputs::indicators_format().text())
        }
        Some(SchemaWhich::Evaluation) => {
            say!("{}", dashi::report::inputs::evaluation_format().text())
        }
    }
    Ok(Exit::Success)
}
