//! `dashi seal` of a folder that is already a bag (a sealed zip unpacked, or the files
//! of a disc): the bag is verified, then zipped as it is, with the same files and so the
//! same seal, instead of being wrapped as the payload of a new bag whose seal would no
//! longer match the paper. A disc's guide files, which are not part of the bag, stay
//! out; zipped with the bag's own date, a dashi bag gives back its original zip's bytes.

use std::path::Path;

use crate::disc::{INDEX_NAME, README_NAME};
use crate::progress::Progress;
use crate::seal::bag::{BagFile, Content, SealError};
use crate::seal::folder::{bag_date, bag_name, files_under, tag_listed};
use crate::verify::{self, Report, source::SourceError};

/// Why a bag folder was not zipped.
#[derive(Debug, thiserror::Error)]
pub enum RezipError {
    /// The bag failed verification: zipping it would seal what is broken.
    #[error("{} 是 BagIt 包，但没有通过校验，不能原样封装", .0.bag)]
    Broken(Box<Report>),
    /// The bag could not be read or is unsafe.
    #[error(transparent)]
    Unreadable(#[from] SourceError),
    /// A file could not be read or the zip written.
    #[error(transparent)]
    Seal(#[from] SealError),
}

impl crate::failure::Failure for RezipError {
    fn hint(&self) -> Option<String> {
        match self {
            RezipError::Broken(_) => Some(
                "找回完好的原件；若要把这个文件夹整体作为新包的内容，把它放进另一个文件夹后封存那个文件夹".into(),
            ),
            RezipError::Unreadable(e) => e.hint(),
            RezipError::Seal(_) => None,
        }
    }

    fn exit(&self) -> crate::failure::Exit {
        match self {
            RezipError::Broken(_) => crate::failure::Exit::Findings,
            RezipError::Unreadable(e) => e.exit(),
            RezipError::Seal(_) => crate::failure::Exit::Unusable,
        }
    }

    fn details(&self) -> Option<crate::failure::Details<'_>> {
        match self {
            RezipError::Broken(report) => Some(crate::failure::Details::Text(
                crate::verify::text::bag(report),
            )),
            _ => None,
        }
    }
}

/// The zipped bag: how many files it holds and its seal (unchanged).
#[derive(Debug)]
pub struct Rezipped {
    pub files: usize,
    pub seal: String,
}

/// Whether `dir` is a bag folder (it has a bagit.txt), to be zipped as it is.
pub fn is_bag(dir: &Path) -> bool {
    dir.join("bagit.txt").is_file()
}

/// Verifies the bag folder `dir` and writes it, as it is, to the zip `dest`; `checking`
/// and `writing` hear of the bytes of each step. A bag that records no Bagging-Date is
/// zipped with `today`.
pub fn rezip(
    dir: &Path,
    dest: &Path,
    today: crate::data::dates::Date,
    checking: &dyn Progress,
    writing: &dyn Progress,
) -> Result<Rezipped, RezipError> {
    let report = verify::verify(dir, None, checking)?;
    if !report.intact {
        return Err(RezipError::Broken(Box::new(report)));
    }
    let tagged = tag_listed(dir);
    let mut files: Vec<BagFile> = files_under(dir, dest)?
        .into_iter()
        .filter(|(rel, _)| {
            tagged.contains(rel.as_str()) || (rel != INDEX_NAME && rel != README_NAME)
        })
        .map(|(rel, path)| {
            let size = std::fs::metadata(&path).map_or(0, |m| m.len());
            BagFile {
                path: rel,
                content: Content::Disk(path),
                size,
            }
        })
        .collect();
    // The order a bag is sealed in: by path as text.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    writing.start(files.iter().map(|f| f.size).sum());
    crate::seal::zip::write(
        &bag_name(dest),
        &files,
        dest,
        bag_date(dir).unwrap_or(today),
        writing,
    )?;
    writing.finish();
    Ok(Rezipped {
        files: files.len(),
        seal: report.seal.unwrap_or_default(),
    })
}
