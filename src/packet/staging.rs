//! Files written into a staging folder inside the output folder, then renamed into
//! place together: readers never see a half-written file, and a build that fails
//! changes nothing — the staging folder is removed on every path, and so is the output
//! folder itself when the build made it and nothing else is in it.

use std::path::{Path, PathBuf};

use super::BuildError;

/// A staging folder for one packet.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    names: Vec<String>,
    /// Folders this staging made, outermost first (removed again if nothing lands).
    made: Vec<PathBuf>,
    committed: bool,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging, BuildError> {
        let dir = out.join(format!(".dashi-{}", std::process::id()));
        let mut made: Vec<PathBuf> = out
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        made.reverse();
        crate::fsio::create_dirs(&dir).map_err(write_err(out))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            names: Vec::new(),
            made,
            committed: false,
        })
    }

    /// Stages bytes under `name`.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), BuildError> {
        let path = self.dir.join(name);
        crate::fsio::write_atomic(&path, bytes).map_err(write_err(&path))?;
        self.names.push(name.to_string());
        Ok(())
    }

    /// Stages a file written by `fill` (which streams into it) under `name`.
    pub fn write_with(
        &mut self,
        name: &str,
        fill: impl FnOnce(std::fs::File) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        let path = self.dir.join(name);
        crate::fsio::write_via(&path, fill, |source| BuildError::Write {
            path: path.clone(),
            source,
        })?;
        self.names.push(name.to_string());
        Ok(())
    }

    /// Where a file already staged with `write` is.
    pub fn staged(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The path a file named `name` is staged at, for writers that make their own file.
    pub fn path(&mut self, name: &str) -> PathBuf {
        self.names.push(name.to_string());
        self.dir.join(name)
    }

    /// Moves every staged file into the output folder; returns them in name order (the
    /// numbered documents, then the archive).
    pub fn commit(mut self) -> Result<Vec<PathBuf>, BuildError> {
        self.committed = true;
        self.names.sort();
        // A file held open elsewhere stops the whole set before any file is replaced.
        for name in &self.names {
            let to = self.out.join(name);
            crate::fsio::replaceable(&to).map_err(write_err(&to))?;
        }
        self.names
            .iter()
            .map(|name| {
                let to = self.out.join(name);
                crate::fsio::replace(&self.dir.join(name), &to).map_err(write_err(&to))?;
                Ok(to)
            })
            .collect()
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if !self.committed {
            for dir in self.made.iter().rev() {
                // Only empty folders go: anything else in them is not ours.
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + use<> {
    let path = path.to_path_buf();
    move |source| BuildError::Write { path, source }
}
