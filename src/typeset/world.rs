//! The typst `World` of one document: the rendered main source, the templates' typst
//! helpers, the fonts, and the evidence files the data declares — nothing else. Any
//! other path a template names (`/etc/passwd`, a package) is refused, so no input and
//! no template can read the disk.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Dict, Duration, Value};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::FontSet;

/// Where the bytes of a served file come from.
#[derive(Clone)]
pub enum Served {
    /// A declared evidence file, read when typst asks for it.
    Disk(PathBuf),
    /// Bytes dashi made (the digest's QR code).
    Memory(Bytes),
    /// Bytes dashi makes when typst first asks for them (a scan as a PDF page), kept
    /// for the rest of this world's life only.
    Made(Arc<dyn Fn() -> Result<Bytes, String> + Send + Sync>),
}

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Served::Disk(path) => f.debug_tuple("Disk").field(path).finish(),
            Served::Memory(bytes) => write!(f, "Memory({} bytes)", bytes.len()),
            Served::Made(_) => f.write_str("Made"),
        }
    }
}

/// The virtual path of the main source.
const MAIN: &str = "/main.typ";

/// Everything a compilation may read.
pub struct DocWorld {
    /// The standard library, with this document's `sys.inputs` (metadata and font
    /// family names, never markup).
    library: LazyHash<Library>,
    /// The fonts, shared by all documents of a run.
    fonts: Arc<FontSet>,
    /// The rendered main source.
    main: Source,
    /// Typst helpers by virtual path (`/style.typ`).
    helpers: BTreeMap<String, Source>,
    /// Declared evidence files and generated images: virtual path → bytes.
    served: BTreeMap<String, Served>,
    /// The fixed date `datetime.today()` returns, so output never depends on the clock.
    today: Datetime,
    /// What `Served::Made` files turned out to be, made once per world.
    made: std::sync::Mutex<BTreeMap<String, Bytes>>,
}

impl DocWorld {
    /// A world for one document.
    pub fn new(
        main_text: String,
        helpers: &BTreeMap<String, String>,
        served: BTreeMap<String, Served>,
        fonts: Arc<FontSet>,
        inputs: BTreeMap<&str, Value>,
        today: Datetime,
    ) -> DocWorld {
        let mut dict = Dict::new();
        for (key, value) in inputs {
            dict.insert(key.into(), value);
        }
        let library = Library::builder().with_inputs(dict).build();
        let helpers = helpers
            .iter()
            .map(|(name, text)| {
                let path = format!("/{name}");
                (path.clone(), Source::new(file_id(&path), text.clone()))
            })
            .collect();
        DocWorld {
            library: LazyHash::new(library),
            fonts,
            main: Source::new(file_id(MAIN), main_text),
            helpers,
            served,
            today,
            made: Default::default(),
        }
    }

    /// The source of a file id, if this world has it (for diagnostics).
    pub fn source_of(&self, id: FileId) -> Option<&Source> {
        if id == self.main.id() {
            return Some(&self.main);
        }
        self.helpers.values().find(|s| s.id() == id)
    }

    /// The virtual path of a file id, for messages.
    pub fn path_of(id: FileId) -> String {
        id.vpath().get_without_slash().to_string()
    }
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("a valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Package(PackageError::NotFound(spec.clone())));
        }
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let path = id.vpath().get_with_slash();
        match self.helpers.get(path) {
            Some(source) => Ok(source.clone()),
            None if self.served.contains_key(path) => Err(FileError::NotSource),
            None => Err(FileError::AccessDenied),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Package(PackageError::NotFound(spec.clone())));
        }
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        let path = id.vpath().get_with_slash();
        if let Some(source) = self.helpers.get(path) {
            return Ok(Bytes::from_string(source.clone()));
        }
        match self.served.get(path) {
            Some(Served::Disk(real)) => std::fs::read(real)
                .map(Bytes::new)
                .map_err(|e| FileError::from_io(e, real)),
            Some(Served::Memory(bytes)) => Ok(bytes.clone()),
            Some(Served::Made(make)) => {
                let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(bytes) = made.get(path) {
                    return Ok(bytes.clone());
                }
                let bytes = make().map_err(|e| FileError::Other(Some(e.into())))?;
                made.insert(path.to_string(), bytes.clone());
                Ok(bytes)
            }
            None => Err(FileError::AccessDenied),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
