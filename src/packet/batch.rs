//! Many packets at once (a bureau or a college builds dozens): every data file gets its
//! own folder named after its studio, every core works through the list with one set of
//! fonts, and a file that fails is reported without stopping or touching the others.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use super::{BuildError, Built, Renderer, build_with};

/// The result of one data file in a batch.
#[derive(Debug)]
pub struct Outcome {
    pub input: PathBuf,
    /// The folder the packet went (or would have gone) into.
    pub folder: PathBuf,
    pub result: Result<Built, BuildError>,
}

/// The data files named on the command line: files as they are, folders searched for
/// `.toml` and `.json` data files (schema files excluded), in name order. A folder that
/// cannot be read stops the search, naming it.
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, crate::walk::Unreadable> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        for entry in crate::walk::below(path, |_| true) {
            let entry = entry?;
            let name = entry.file_name().to_str().unwrap_or("");
            if !entry.file_type().is_dir()
                && (name.ends_with(".toml") || name.ends_with(".json"))
                && !name.ends_with(".schema.json")
            {
                out.push(entry.into_path());
            }
        }
    }
    Ok(out)
}

/// A folder name for a studio: its name without characters folders cannot hold.
fn folder_name(input: &Path) -> String {
    let studio = crate::data::load::load(input)
        .ok()
        .map(|l| l.app.studio.name.trim().to_string())
        .filter(|n| !n.is_empty());
    let raw = studio.unwrap_or_else(|| {
        input
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("申报材料")
            .to_string()
    });
    let short: String = raw.chars().take(64).collect();
    crate::portable::portable(&short, "申报材料")
}

/// Builds every input into its own folder under `out`, on every thread of the pool;
/// `progress` is told as each finishes. Results come back in input order.
pub fn build_many(
    renderer: &Renderer,
    inputs: &[PathBuf],
    out: &Path,
    progress: &dyn crate::progress::Progress,
) -> Vec<Outcome> {
    progress.start(inputs.len() as u64);
    // Folder names first, so two studios of the same name get distinct folders.
    let mut taken = std::collections::BTreeSet::new();
    let folders: Vec<PathBuf> = inputs
        .iter()
        .map(|input| {
            let base = folder_name(input);
            let name = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    }
                })
                .find(|n| !taken.contains(n))
                .expect("a free name");
            taken.insert(name.clone());
            out.join(name)
        })
        .collect();
    let jobs: Vec<(&PathBuf, &PathBuf)> = inputs.iter().zip(&folders).collect();
    let outcomes = jobs
        .par_iter()
        .map(|(input, folder)| {
            let outcome = Outcome {
                input: (*input).clone(),
                folder: (*folder).clone(),
                result: build_with(renderer, input, folder),
            };
            // Typst memoizes across compilations; keep memory flat over a batch.
            typst::comemo::evict(30);
            progress.item_done(&outcome.input.display().to_string());
            outcome
        })
        .collect::<Vec<_>>();
    progress.finish();
    outcomes
}
