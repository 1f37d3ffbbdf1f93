//! What dashi reads of photos, scans and videos, shared by the check of evidence, the
//! packet, the reports and the archive room: whether a file is a whole, readable scan
//! (`scan`), a thumbnail (`thumbnail`), EXIF fields (`exif`) and a video's duration
//! (`video`). Every reader here is given files from outside: none may panic, and each
//! reads a file once, through a buffer.

pub mod exif;
pub mod pdf_text;
pub mod scan;
pub mod thumbnail;
pub mod video;

pub use thumbnail::{Thumbnail, is_photo, taken_on, thumbnail};
pub use video::{is_video, video_seconds};
