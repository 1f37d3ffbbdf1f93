//! The submission disc (第八条: 一式三份 with 电子版光盘一份): an ISO 9660 level 3 image
//! with Joliet (Windows shows the Chinese names) and Rock Ridge, holding the bag
//! unpacked at its root so every PDF opens straight from the disc, plus `index.html`
//! (every file with size, digest and link) and `校验说明.txt` (how to check the disc
//! without dashi). Written by hadris-iso, streaming file contents, with fixed dates and
//! no host metadata, so the same bag always gives the same image; written to a temporary
//! file and renamed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hadris_fs::host;
use hadris_fs::{Content, DateTime, Node, Tree};
use hadris_iso::{IsoId, IsoLevel, IsoOptions, Preserve};
use serde::Serialize;

mod label;

use crate::data::dates::Date;
use crate::seal::digest;

/// Longest name on the disc, extension included (hadris-iso's Joliet limit).
pub const MAX_NAME: usize = 64;
/// Deepest folder nesting ISO 9660 allows.
pub const MAX_DEPTH: usize = 8;

/// The medium the image is burnt on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Media {
    /// CD-R，700 MB
    Cd,
    /// DVD±R，4.7 GB
    Dvd,
    /// 双层 DVD，8.5 GB
    DvdDl,
    /// 蓝光 BD-R，25 GB
    Bd,
}

impl Media {
    /// Capacity in bytes.
    pub fn capacity(self) -> u64 {
        match self {
            Media::Cd => 737_280_000,
            Media::Dvd => 4_700_372_992,
            Media::DvdDl => 8_543_666_176,
            Media::Bd => 25_025_314_816,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Media::Cd => "CD（700 MB）",
            Media::Dvd => "DVD（4.7 GB）",
            Media::DvdDl => "双层 DVD（8.5 GB）",
            Media::Bd => "蓝光 BD（25 GB）",
        }
    }
}

/// What was written.
#[derive(Debug)]
pub struct Disc {
    pub size: u64,
    pub files: usize,
    /// Said to the user, not fatal (the image fills more than 95% of the medium).
    pub warnings: Vec<String>,
}

/// Why a disc could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DiscError {
    /// The input is not a bag.
    #[error("{} 不是 BagIt 包（缺少 bagit.txt）", .0.display())]
    NotABag(PathBuf),
    /// A file or folder could not be read.
    #[error("无法读取 {}：{}", path.display(), crate::fsio::why(source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A name or nesting the disc cannot carry intact.
    #[error("“{path}” 无法完整写入光盘：{reason}")]
    Name { path: String, reason: String },
    /// The image is larger than the medium.
    #[error("光盘映像有 {size} 字节，超出{}容量 {over} 字节", media.label())]
    TooLarge { size: u64, media: Media, over: u64 },
    /// The ISO writer failed.
    #[error("无法生成光盘映像：{0}")]
    Iso(String),
    /// The image could not be written.
    #[error("无法写入 {}：{}", path.display(), crate::fsio::why(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::failure::Failure for DiscError {
    fn hint(&self) -> Option<String> {
        match self {
            DiscError::NotABag(_) => {
                Some("给出 dashi build 生成的压缩包、解压后的包文件夹或数据文件".into())
            }
            DiscError::TooLarge { .. } => {
                Some("换用容量更大的光盘：--media dvd、dvd-dl 或 bd".into())
            }
            DiscError::Name { .. } => {
                Some("把文件名改短（含扩展名不超过 64 个字符）、文件夹不超过 8 层".into())
            }
            DiscError::Write { source, .. } => crate::fsio::write_hint(source),
            _ => None,
        }
    }
}

/// One file as index.html lists it.
#[derive(Debug, Serialize)]
struct Listed {
    path: String,
    size: u64,
    digest: String,
}

/// What the two guide files show.
#[derive(Debug, Serialize)]
struct Guide {
    studio: String,
    unit: String,
    date: String,
    seal: String,
    evidence_digest: String,
    files: Vec<Listed>,
}

const INDEX: &str = include_str!("../../templates/disc_index.html");
const README: &str = include_str!("../../templates/disc_readme.txt");
/// The guide files' names at the disc's root.
pub const INDEX_NAME: &str = "index.html";
pub const README_NAME: &str = "校验说明.txt";

/// Writes the disc image of the bag folder `bag` to `dest`.
pub fn write(bag: &Path, dest: &Path, media: Media, date: Date) -> Result<Disc, DiscError> {
    if !bag.join("bagit.txt").is_file() {
        return Err(DiscError::NotABag(bag.to_path_buf()));
    }
    let mut files = crate::seal::folder::files_under(bag, dest).map_err(|e| DiscError::Read {
        path: bag.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    // A copied disc holds the guide files of the disc it came from: they are made anew
    // from the bag (so the copy is the same image). A bag whose own tag files have those
    // names cannot carry them beside the guides.
    let tagged = crate::seal::folder::tag_listed(bag);
    for guide in [INDEX_NAME, README_NAME] {
        if tagged.contains(guide) {
            return Err(DiscError::Name {
                path: guide.to_string(),
                reason: "是包中的标签文件，与光盘的说明文件重名".to_string(),
            });
        }
    }
    files.retain(|(rel, _)| rel != INDEX_NAME && rel != README_NAME);
    for (rel, _) in &files {
        check_name(rel)?;
    }
    let guide = guide(bag, &files, date)?;
    let (index, readme) = render(&guide);
    let mut contents = Vec::new();
    for (rel, path) in &files {
        contents.push((rel.clone(), host_file(path)?));
    }
    contents.push((INDEX_NAME.to_string(), Content::bytes(index)));
    contents.push((README_NAME.to_string(), Content::bytes(readme)));
    burn(
        contents,
        dest,
        media,
        date,
        label::studio_label(&guide.studio),
    )
}

fn host_file(path: &Path) -> Result<Content, DiscError> {
    host::file(path).map_err(|e| DiscError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// Writes the disc image of any folder (a 移交 package): every file under it, named
/// as the disc can carry them, with `volume_name` as the Joliet label.
pub fn write_folder(
    folder: &Path,
    dest: &Path,
    media: Media,
    date: Date,
    volume_name: &str,
) -> Result<Disc, DiscError> {
    let files = crate::seal::folder::files_under(folder, dest).map_err(|e| DiscError::Read {
        path: folder.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let mut contents = Vec::new();
    for (rel, path) in &files {
        check_name(rel)?;
        contents.push((rel.clone(), host_file(path)?));
    }
    burn(
        contents,
        dest,
        media,
        date,
        label::studio_label(volume_name),
    )
}

/// Lays out the files as an ISO 9660 image with Joliet and Rock Ridge, dated `date`,
/// and writes it atomically to `dest`.
fn burn(
    files: Vec<(String, Content)>,
    dest: &Path,
    media: Media,
    date: Date,
    joliet_label: Option<[u8; 32]>,
) -> Result<Disc, DiscError> {
    let count = files.len();
    let mut tree = Tree::new();
    for (rel, content) in files {
        insert(&mut tree, &rel, Node::file(content))?;
    }
    let time = DateTime::from_unix_seconds(date.days_since_epoch() * 86_400)
        .map_err(|e| DiscError::Iso(e.to_string()))?;
    let label = format!("DASHI_{:04}{:02}{:02}", date.year, date.month, date.day);
    let options = IsoOptions::default()
        .with_level(IsoLevel::L3)
        .with_joliet()
        .with_rock_ridge()
        .with_preserve(Preserve::empty())
        .with_id(IsoId::Volume, &label)
        .with_id(
            IsoId::Application,
            &format!("DASHI {}", env!("CARGO_PKG_VERSION")),
        )
        .with_time(time);
    let size = hadris_iso::plan(&tree, &options)
        .map_err(|e| DiscError::Iso(e.to_string()))?
        .size();
    if size > media.capacity() {
        return Err(DiscError::TooLarge {
            size,
            media,
            over: size - media.capacity(),
        });
    }
    let mut warnings = Vec::new();
    if size * 100 > media.capacity() * 95 {
        warnings.push(format!(
            "光盘映像 {size} 字节，已占{}容量的 {:.1}%，刻录前请确认光盘余量",
            media.label(),
            size as f64 * 100.0 / media.capacity() as f64
        ));
    }

    let write_err = |source| DiscError::Write {
        path: dest.to_path_buf(),
        source,
    };
    crate::fsio::write_via(
        dest,
        |file| {
            let mut image = file.try_clone().map_err(write_err)?;
            let device = hadris_storage::host::FileDevice::new(file).map_err(write_err)?;
            hadris_iso::sync::write(device, &tree, &options)
                .map(drop)
                .map_err(|e| write_err(std::io::Error::other(e.to_string())))?;
            if let Some(name) = &joliet_label {
                label::set_joliet_label(&mut image, name).map_err(write_err)?;
            }
            Ok(())
        },
        write_err,
    )?;
    Ok(Disc {
        size,
        files: count,
        warnings,
    })
}

fn insert(tree: &mut Tree, rel: &str, node: Node) -> Result<(), DiscError> {
    tree.insert(rel, node).map_err(|e| DiscError::Name {
        path: rel.to_string(),
        reason: e.to_string(),
    })
}

/// Every name within 64 characters, every file within 8 folder levels: the writer
/// would otherwise cut a Joliet name (and its extension) or relocate a folder.
fn check_name(rel: &str) -> Result<(), DiscError> {
    let parts: Vec<&str> = rel.split('/').collect();
    if parts.len() - 1 > MAX_DEPTH {
        return Err(DiscError::Name {
            path: rel.to_string(),
            reason: format!("文件夹超过 {MAX_DEPTH} 层"),
        });
    }
    if let Some(long) = parts.iter().find(|p| p.chars().count() > MAX_NAME) {
        return Err(DiscError::Name {
            path: rel.to_string(),
            reason: format!("“{long}” 超过 {MAX_NAME} 个字符（光盘的 Joliet 文件名上限），请改短"),
        });
    }
    Ok(())
}

/// The facts the guide files print: from bag-info.txt, the manifest and the seal.
fn guide(bag: &Path, files: &[(String, PathBuf)], date: Date) -> Result<Guide, DiscError> {
    let read = |name: &str| {
        std::fs::read_to_string(bag.join(name)).map_err(|source| DiscError::Read {
            path: bag.join(name),
            source,
        })
    };
    let info = read("bag-info.txt").unwrap_or_default();
    let field = |key: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let manifest: BTreeMap<String, String> = read("manifest-sha256.txt")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            l.split_once("  ")
                .map(|(d, p)| (p.to_string(), d.to_string()))
        })
        .collect();
    let seal = std::fs::read(bag.join("tagmanifest-sha256.txt"))
        .map(|b| digest::sha256_bytes(&b).to_string())
        .unwrap_or_default();
    let listed = files
        .iter()
        .map(|(rel, path)| {
            let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            let digest = match manifest.get(rel) {
                Some(d) => d.clone(),
                None => digest::sha256_file(path)
                    .map(|(d, _)| d.to_string())
                    .unwrap_or_default(),
            };
            Listed {
                path: rel.clone(),
                size,
                digest,
            }
        })
        .collect();
    Ok(Guide {
        studio: field("External-Identifier"),
        unit: field("Source-Organization"),
        date: date.chinese(),
        seal,
        evidence_digest: field("Evidence-Digest"),
        files: listed,
    })
}

/// HTML text and attribute escaping (paths keep their `/`, unlike tera's default).
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// index.html (HTML-escaped) and 校验说明.txt (plain text).
fn render(guide: &Guide) -> (Vec<u8>, Vec<u8>) {
    let mut tera = tera::Tera::default();
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(vec![("index.html", INDEX), ("readme.txt", README)])
        .expect("the disc templates are valid");
    let context = tera::Context::from_serialize(guide).expect("the guide serializes");
    let index = tera.render("index.html", &context).expect("index renders");
    let readme = tera.render("readme.txt", &context).expect("readme renders");
    // Windows Notepad reads UTF-8 reliably with CRLF line ends.
    (
        index.into_bytes(),
        readme.replace('\n', "\r\n").into_bytes(),
    )
}
