//! Sealing: digests computed while streaming (`digest`), the BagIt bag (`bag`) and its
//! zip serialization (`zip`), and sealing a folder or a built packet (`folder`).

pub mod bag;
pub mod digest;
pub mod folder;
pub mod zip;
