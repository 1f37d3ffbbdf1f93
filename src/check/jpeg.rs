//! Damaged JPEG data. Forgiving decoders read past garbled data and print noise; like
//! libjpeg's "Corrupt JPEG data" warnings, this notices (walking the data with
//! `crate::jpeg`) a Huffman code that no table holds, a block with more than 64
//! coefficients, a brightness (DC value) outside what 8-bit samples can give, a restart
//! marker out of turn, data that ends before the last block, and data left over after
//! it. Progressive JPEGs are not walked (the strict decoder judges them).

use crate::jpeg::{Walked, walk};

/// What is wrong with the entropy-coded data of a baseline JPEG, if anything. `None`
/// also for JPEGs the walk does not cover.
pub fn damage(bytes: &[u8]) -> Option<String> {
    let in_range = |_: &crate::jpeg::Frame, b: crate::jpeg::Block| {
        // F(0,0) of level-shifted 8-bit samples lies in [-1024, 1016].
        if (-1024 - b.step..=1016 + b.step).contains(&b.dc) {
            Ok(())
        } else {
            Err("图块亮度超出可能的范围".to_string())
        }
    };
    match walk(bytes, in_range) {
        Walked::Damaged(problem) => Some(problem),
        Walked::Done(_) | Walked::NotWalked => None,
    }
}
