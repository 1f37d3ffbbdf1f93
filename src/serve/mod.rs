//! `dashi serve`: the local web form.

pub mod edit;
