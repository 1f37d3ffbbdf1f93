//! The fonts every document is set in: the Fandol family embedded in the binary (so
//! output is the same on every machine), plus any folders the user adds (a real
//! 仿宋_GB2312 or 方正小标宋). Loaded once and shared by every compilation.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// The embedded Fandol faces (GPL with font exception; see fonts/COPYING).
const EMBEDDED: [&[u8]; 6] = [
    include_bytes!("../../fonts/FandolFang-Regular.otf"),
    include_bytes!("../../fonts/FandolSong-Regular.otf"),
    include_bytes!("../../fonts/FandolSong-Bold.otf"),
    include_bytes!("../../fonts/FandolHei-Regular.otf"),
    include_bytes!("../../fonts/FandolHei-Bold.otf"),
    include_bytes!("../../fonts/FandolKai-Regular.otf"),
];

/// The built-in 仿宋 family (typst's name for FandolFang).
pub const FANG: &str = "FandolFang R";
/// The built-in 黑体 family.
pub const HEI: &str = "FandolHei";
/// The built-in 宋体 family (titles).
pub const SONG: &str = "FandolSong";

/// Why extra fonts could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// A `--font-path` folder could not be read.
    #[error("无法读取字体文件夹 {}：{}", path.display(), crate::fsio::why(source))]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A font file could not be read.
    #[error("无法读取字体文件 {}：{}", path.display(), crate::fsio::why(source))]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A set of fonts and the book that describes them.
#[derive(Debug)]
pub struct FontSet {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
    /// How many of `fonts` are the embedded ones (they come first).
    embedded: usize,
}

impl FontSet {
    /// The embedded fonts only; parsed once per process.
    pub fn embedded() -> Arc<FontSet> {
        static EMBEDDED_SET: OnceLock<Arc<FontSet>> = OnceLock::new();
        EMBEDDED_SET
            .get_or_init(|| {
                let fonts = embedded_fonts();
                let embedded = fonts.len();
                Arc::new(Self::from_fonts(fonts, embedded))
            })
            .clone()
    }

    /// The embedded fonts plus every font file (.otf, .ttf, .otc, .ttc) in `dirs`.
    pub fn with_folders(dirs: &[PathBuf]) -> Result<Arc<FontSet>, FontError> {
        if dirs.is_empty() {
            return Ok(Self::embedded());
        }
        let mut fonts = embedded_fonts();
        let embedded = fonts.len();
        for dir in dirs {
            let mut files = Vec::new();
            collect_font_files(dir, &mut files)?;
            files.sort();
            for path in files {
                let data = std::fs::read(&path).map_err(|source| FontError::File {
                    path: path.clone(),
                    source,
                })?;
                fonts.extend(Font::iter(Bytes::new(data)));
            }
        }
        Ok(Arc::new(Self::from_fonts(fonts, embedded)))
    }

    fn from_fonts(fonts: Vec<Font>, embedded: usize) -> FontSet {
        let book = FontBook::from_fonts(&fonts);
        FontSet {
            book: LazyHash::new(book),
            fonts,
            embedded,
        }
    }

    /// The families of the user's font folders, to draw what the chosen families lack:
    /// for serif text (仿宋, 宋体) the serif-looking families first, for 黑体 the sans
    /// ones; among those the Simplified Chinese faces (`… SC`, `GB…`) first; otherwise in
    /// name order, so the choice never depends on the disk.
    pub fn fallback_families(&self, serif: bool) -> Vec<String> {
        let mut families: Vec<String> = self.fonts[self.embedded..]
            .iter()
            .map(|font| font.info().family.clone())
            .collect();
        families.sort();
        families.dedup();
        let looks_serif = |name: &str| {
            let lower = name.to_lowercase();
            [
                "serif", "song", "fang", "kai", "ming", "宋", "仿", "楷", "明",
            ]
            .iter()
            .any(|k| lower.contains(k))
                && !lower.contains("sans")
        };
        let simplified = |name: &str| {
            name.ends_with(" SC")
                || name.contains(" SC ")
                || name.contains("GB")
                || name.contains("简")
                || name.contains("Simplified")
        };
        families.sort_by_key(|name| (looks_serif(name) != serif, !simplified(name)));
        families
    }

    /// Whether a family of that name is present (case-insensitive, as typst matches).
    pub fn has_family(&self, family: &str) -> bool {
        self.book
            .select_family(&family.to_lowercase())
            .next()
            .is_some()
    }

    /// Whether any face of `family` has a glyph for `c`.
    pub fn covers(&self, family: &str, c: char) -> bool {
        self.book
            .select_family(&family.to_lowercase())
            .filter_map(|i| self.book.info(i))
            .any(|info| info.coverage.contains(c as u32))
    }

    /// Every family name, for messages.
    pub fn families(&self) -> Vec<String> {
        self.book
            .families()
            .map(|(name, _)| name.to_string())
            .collect()
    }
}

/// The embedded faces, each file's content hash computed here, one file at a time.
/// typst hashes a font's whole file the first time it is used (the hash is kept with
/// the bytes); reading 35 MB of fonts that way would leave every page resident for the
/// rest of the process. Hashed here, each file's pages are handed back to the system at
/// once, and later only the parts a layout reads (cmap, outlines of the glyphs set) come
/// back: a one-page 记录单 peaks ~20 MB lower.
fn embedded_fonts() -> Vec<Font> {
    EMBEDDED
        .iter()
        .flat_map(|data| {
            let bytes = Bytes::new(*data);
            typst::utils::hash128(&bytes);
            release_pages(data);
            Font::iter(bytes)
        })
        .collect()
}

/// Drops the resident pages of read-only data embedded in the binary (they are read
/// again from the file when touched). Only whole pages inside `data` are dropped.
#[cfg(target_os = "linux")]
fn release_pages(data: &'static [u8]) {
    let page = 4096;
    let start = (data.as_ptr() as usize).div_ceil(page) * page;
    let end = (data.as_ptr() as usize + data.len()) / page * page;
    if end > start {
        // SAFETY: [start, end) lies inside `data`, an immutable static in the binary's
        // read-only segment, mapped private from the executable and never written: after
        // MADV_DONTNEED its pages are read back from the file unchanged, so every
        // reference into `data` stays valid and sees the same bytes.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn release_pages(_data: &'static [u8]) {}

/// The font files under `dir`, in name order. A link to a font file is taken (font
/// folders are often made of links); links to folders are not followed.
fn collect_font_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), FontError> {
    for entry in crate::walk::below(dir, |_| true) {
        let entry = entry.map_err(|u| FontError::Folder {
            path: u.path,
            source: u.source,
        })?;
        let path = entry.path();
        let kind = entry.file_type();
        let is_file = kind.is_file() || (kind.is_symlink() && path.is_file());
        if is_file
            && path.extension().is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().to_str(),
                    Some("otf" | "ttf" | "otc" | "ttc")
                )
            })
        {
            out.push(path.to_path_buf());
        }
    }
    Ok(())
}
