//! The bag serialized as one zip: a single top-level folder named after the bag,
//! entries in path order with a fixed timestamp (same input, same bytes), compressed
//! data (JPEG, PNG, PDF, MP4, archives) stored and everything else deflated, the UTF-8
//! flag on every non-ASCII name, zip64 where sizes need it. Written to a temporary file
//! and renamed, so a crash or kill never leaves a partial zip under the final name.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::bag::{BagFile, Content, SealError};
use crate::data::dates::Date;
use crate::progress::Progress;

/// Extensions whose data is already compressed.
const STORED: [&str; 12] = [
    "jpg", "jpeg", "png", "pdf", "mp4", "m4v", "mov", "zip", "gz", "7z", "webp", "heic",
];

/// Largest size a zip entry may have without zip64.
const ZIP32_LIMIT: u64 = 0xFFFF_FFFF;

/// Stored for known compressed formats and for data that does not shrink (a sample
/// of its first 64 KiB is deflated to find out); deflated otherwise.
fn method_for(path: &str, content: &Content) -> CompressionMethod {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if STORED.contains(&ext.as_str()) || !shrinks(content) {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    }
}

/// Whether deflate saves at least a twentieth of a sample of the content.
fn shrinks(content: &Content) -> bool {
    const SAMPLE: usize = 64 * 1024;
    let sample: Vec<u8> = match content {
        Content::Memory(bytes) => bytes[..bytes.len().min(SAMPLE)].to_vec(),
        Content::Disk(path) => {
            let mut buffer = Vec::with_capacity(SAMPLE);
            match File::open(path) {
                Ok(file) => {
                    use std::io::Read;
                    if file.take(SAMPLE as u64).read_to_end(&mut buffer).is_err() {
                        return true;
                    }
                }
                Err(_) => return true,
            }
            buffer
        }
    };
    if sample.len() < 512 {
        return true;
    }
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    if encoder.write_all(&sample).is_err() {
        return true;
    }
    encoder
        .finish()
        .map_or(true, |out| out.len() * 20 < sample.len() * 19)
}

/// Writes the bag `name` of `files` (in their order) as a zip at `dest`, atomically;
/// every entry is dated `date`.
pub fn write(
    name: &str,
    files: &[BagFile],
    dest: &Path,
    date: Date,
    progress: &dyn Progress,
) -> Result<(), SealError> {
    let write_err = |source| SealError::Write {
        path: dest.to_path_buf(),
        source,
    };
    crate::fsio::write_via(
        dest,
        |file| {
            write_to(name, files, file, date, progress).map_err(|e| match e {
                WriteFailure::Read(err) => err,
                WriteFailure::Io(io) => write_err(io),
            })
        },
        write_err,
    )
}

enum WriteFailure {
    Read(SealError),
    Io(io::Error),
}

impl From<io::Error> for WriteFailure {
    fn from(e: io::Error) -> Self {
        WriteFailure::Io(e)
    }
}

impl From<zip::result::ZipError> for WriteFailure {
    fn from(e: zip::result::ZipError) -> Self {
        WriteFailure::Io(io::Error::other(e))
    }
}

fn write_to(
    name: &str,
    files: &[BagFile],
    file: File,
    date: Date,
    progress: &dyn Progress,
) -> Result<(), WriteFailure> {
    let stamp =
        DateTime::from_date_and_time(date.year as u16, date.month as u8, date.day as u8, 0, 0, 0)
            .unwrap_or_default();
    let mut zip = ZipWriter::new(BufWriter::with_capacity(256 * 1024, file));
    for entry in files {
        let method = method_for(&entry.path, &entry.content);
        let level = (method == CompressionMethod::Deflated).then_some(6);
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .compression_level(level)
            .last_modified_time(stamp)
            // Made "by Unix" on every system, so that a zip made on Windows is the same
            // bytes (and readers take its names as UTF-8 there too).
            .system(zip::System::Unix)
            .unix_permissions(0o644)
            .large_file(entry.size > ZIP32_LIMIT);
        zip.start_file(format!("{name}/{}", entry.path), options)?;
        match &entry.content {
            Content::Memory(bytes) => zip.write_all(bytes)?,
            Content::Disk(path) => {
                let mut source = File::open(path).map_err(|source| {
                    WriteFailure::Read(SealError::Read {
                        path: path.clone(),
                        source,
                    })
                })?;
                io::copy(&mut source, &mut zip)?;
            }
        }
        progress.advance(entry.size);
    }
    let mut out = zip.finish()?;
    out.flush()?;
    Ok(())
}
