//! `dashi disc INPUT`: the disc of a bag folder, a bag zip (unpacked through the same
//! guarded reader `dashi verify` uses, into a private temporary folder) or a data file
//! (built first). A bag that does not verify is not put on a disc: a reviewer would
//! find it broken.

use std::path::{Path, PathBuf};

use super::{BuildError, Renderer, build_with};
use crate::disc::{self, Disc, DiscError, Media};
use crate::fsio::TempDir;
use crate::seal::folder::bag_date;
use crate::verify::source::Source;

/// Why a disc could not be made from the input.
#[derive(Debug, thiserror::Error)]
pub enum DiscInputError {
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error(transparent)]
    Disc(#[from] DiscError),
    /// The zip could not be unpacked.
    #[error("无法读取压缩包 {}：{detail}", path.display())]
    Zip { path: PathBuf, detail: String },
    /// The bag failed verification.
    #[error("{} 没有通过校验，不能制作光盘", .0.bag)]
    Broken(Box<crate::verify::Report>),
    /// The bag could not be read or is unsafe.
    #[error(transparent)]
    Unreadable(#[from] crate::verify::source::SourceError),
    /// No temporary folder could be made.
    #[error("无法建立临时文件夹：{0}")]
    Temp(std::io::Error),
}

impl crate::failure::Failure for DiscInputError {
    fn hint(&self) -> Option<String> {
        match self {
            DiscInputError::Build(e) => e.hint(),
            DiscInputError::Broken(_) => {
                Some("用完好的压缩包或包文件夹制作光盘，或用数据文件重新生成".into())
            }
            DiscInputError::Unreadable(e) => e.hint(),
            _ => None,
        }
    }

    fn exit(&self) -> crate::failure::Exit {
        match self {
            DiscInputError::Build(e) => e.exit(),
            DiscInputError::Broken(_) => crate::failure::Exit::Findings,
            DiscInputError::Unreadable(e) => e.exit(),
            _ => crate::failure::Exit::Unusable,
        }
    }

    fn details(&self) -> Option<crate::failure::Details<'_>> {
        match self {
            DiscInputError::Build(e) => e.details(),
            DiscInputError::Broken(report) => Some(crate::failure::Details::Text(
                crate::verify::text::bag(report),
            )),
            _ => None,
        }
    }

    fn details_suffice(&self) -> bool {
        matches!(self, DiscInputError::Build(e) if e.details_suffice())
    }
}

/// Makes the disc image `dest` from a bag folder, bag zip or data file.
pub fn disc_from(
    renderer: impl FnOnce() -> Result<Renderer, crate::typeset::TypesetError>,
    input: &Path,
    dest: &Path,
    media: Media,
    today: crate::data::dates::Date,
) -> Result<Disc, DiscInputError> {
    let temp = TempDir::new("dashi-disc").map_err(DiscInputError::Temp)?;
    let is = |ext: &str| {
        input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    };
    let zip = if input.is_dir() {
        intact(input)?;
        return Ok(disc::write(
            input,
            dest,
            media,
            bag_date(input).unwrap_or(today),
        )?);
    } else if is("toml") || is("json") {
        let built = build_with(
            &renderer().map_err(BuildError::from)?,
            input,
            &temp.path().join("build"),
        )?;
        built
            .files
            .iter()
            .find(|f| f.extension().is_some_and(|e| e == "zip"))
            .cloned()
            .expect("a build writes its zip")
    } else {
        intact(input)?;
        input.to_path_buf()
    };
    let bag = unpack(&zip, &temp.path().join("bag"))?;
    Ok(disc::write(
        &bag,
        dest,
        media,
        bag_date(&bag).unwrap_or(today),
    )?)
}

/// Verifies the bag at `input` (folder or zip) before it goes on a disc.
fn intact(input: &Path) -> Result<(), DiscInputError> {
    let report = crate::verify::verify(input, None, &crate::progress::Silent)?;
    if report.intact {
        Ok(())
    } else {
        Err(DiscInputError::Broken(Box::new(report)))
    }
}

/// The disc of a packet just built: `<studio>.iso` beside its sealed zip.
pub fn disc_for(built: &super::Built, media: Media) -> Result<(PathBuf, Disc), DiscInputError> {
    let zip = built
        .files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "zip"))
        .expect("a build writes its zip");
    let iso = zip.with_extension("iso");
    let temp = TempDir::new("dashi-disc").map_err(DiscInputError::Temp)?;
    let bag = unpack(zip, &temp.path().join("bag"))?;
    let date = bag_date(&bag).expect("a bag dashi built records its date");
    let disc = disc::write(&bag, &iso, media, date)?;
    Ok((iso, disc))
}

/// Unpacks a bag zip into `dest` and returns the bag's folder.
pub fn unpack(zip: &Path, dest: &Path) -> Result<PathBuf, DiscInputError> {
    let err = |detail: String| DiscInputError::Zip {
        path: zip.to_path_buf(),
        detail,
    };
    let source = Source::open(zip).map_err(|e| err(e.to_string()))?;
    let unread = source
        .unpack(dest, &mut |_, _| {})
        .map_err(|e| err(e.to_string()))?;
    if let Some((path, why)) = unread.first() {
        return Err(err(format!("{path}：{why}")));
    }
    Ok(dest.to_path_buf())
}
