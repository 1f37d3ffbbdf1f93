//! Sealing: digests computed while streaming (`digest`). The bag layout, the zip
//! writer and the seal itself build on these.

pub mod digest;
