//! `dashi archive init`: a new archive whose first version is a sealed application —
//! the bag exactly as sealed, tag files included, under `申报/`. The object is built in
//! a hidden folder beside the target and renamed into place when whole.

use std::path::Path;

use super::inventory::{self, Inventory, User, Versions};
use super::version::{self, Commit, Committed, NewFile};
use super::{Archive, ArchiveError};
use crate::data::model::Application;
use crate::verify::ocfl::APPLICATION_DIR;

/// What a new archive holds.
#[derive(Debug, Clone)]
pub struct Initialised {
    pub id: String,
    pub version: String,
    pub digest: String,
    pub files: usize,
    pub bytes: u64,
}

/// Makes the archive `root` from a verified bag folder `bag` whose seal is `seal`.
/// `created` is the version's time (RFC 3339).
pub fn init(
    root: &Path,
    bag: &Path,
    seal: &str,
    created: String,
) -> Result<Initialised, ArchiveError> {
    refuse_occupied(root)?;
    let (id, commit) = first_version(bag, seal, created)?;
    let bytes = commit.files.iter().map(|f| f.size).sum();
    let files = commit.files.len();
    let committed = create(root, &id, commit)?;
    Ok(Initialised {
        id,
        version: committed.version,
        digest: committed.digest,
        files,
        bytes,
    })
}

/// `Occupied` when `root` exists and is not an empty folder.
fn refuse_occupied(root: &Path) -> Result<(), ArchiveError> {
    if root.exists()
        && std::fs::read_dir(root)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(ArchiveError::Occupied(root.to_path_buf()));
    }
    Ok(())
}

/// Makes a new OCFL object `id` at `root` whose first version is `first`: built in a
/// hidden folder beside `root` and renamed into place when whole, so that an
/// interrupted run leaves no object at all (the studio's archive, the bureau's ledger).
pub fn create(root: &Path, id: &str, first: Commit) -> Result<Committed, ArchiveError> {
    refuse_occupied(root)?;
    let parent = root
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::fsio::create_dirs(parent).map_err(ArchiveError::io(parent))?;
    let name = root
        .file_name()
        .map_or_else(|| "archive".into(), |n| n.to_string_lossy().into_owned());
    // A run killed part way left its hidden folder: it never became the object.
    let stale = format!(".{name}.dashi-init-");
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with(&stale) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let temp = parent.join(format!("{stale}{}", std::process::id()));
    crate::fsio::create_dirs(&temp).map_err(ArchiveError::io(&temp))?;
    let result = build(&temp, id, first);
    let done = result.and_then(|made| {
        if root.exists() {
            std::fs::remove_dir(root).map_err(ArchiveError::io(root))?;
        }
        std::fs::rename(&temp, root).map_err(ArchiveError::io(root))?;
        Ok(made)
    });
    if done.is_err() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    done
}

/// The object in `temp`: its declaration and first version.
fn build(temp: &Path, id: &str, first: Commit) -> Result<Committed, ArchiveError> {
    let declaration = temp.join("0=ocfl_object_1.1");
    crate::fsio::write_atomic(&declaration, b"ocfl_object_1.1\n")
        .map_err(ArchiveError::io(&declaration))?;
    let mut archive = Archive {
        root: temp.to_path_buf(),
        inventory: Inventory {
            id: id.to_string(),
            kind: inventory::TYPE.into(),
            digest_algorithm: inventory::ALGORITHM.into(),
            head: String::new(),
            content_directory: None,
            manifest: Default::default(),
            versions: Versions::default(),
            fixity: Default::default(),
        },
        digest: String::new(),
        head: None,
    };
    version::commit(&mut archive, first)
}

/// The id and first version of the archive of the bag folder `bag`.
fn first_version(
    bag: &Path,
    seal: &str,
    created: String,
) -> Result<(String, Commit), ArchiveError> {
    let mut files = Vec::new();
    // A disc's guide files sit beside the bag, not in it.
    let tagged = crate::seal::folder::tag_listed(bag);
    let listed = crate::seal::folder::files_under(bag, bag)?
        .into_iter()
        .filter(|(rel, _)| {
            tagged.contains(rel.as_str())
                || (rel != crate::disc::INDEX_NAME && rel != crate::disc::README_NAME)
        });
    for (rel, path) in listed {
        let file = NewFile::from_file(format!("{APPLICATION_DIR}/{rel}"), &path)
            .map_err(ArchiveError::io(&path))?;
        files.push(file);
    }
    let app = application_in(bag);
    let studio = app
        .as_ref()
        .map(|a| a.studio.name.trim().to_string())
        .or_else(|| bag_info(bag, "External-Identifier"))
        .unwrap_or_else(|| "工作室".into());
    let id = match &app {
        Some(app) => format!(
            "urn:dashi:studio:{}:{}",
            app.unit.credit_code.trim().to_uppercase(),
            &seal[..16.min(seal.len())]
        ),
        None => format!("urn:dashi:bag:{seal}"),
    };
    let commit = Commit {
        message: format!("封存的申报材料（专门档案第一版，第十一条）：{studio}，封存值 {seal}"),
        user: account_or(user_of(app.as_ref())),
        created,
        files,
        removed: Vec::new(),
    };
    Ok((id, commit))
}

/// The person logged in at this computer, by their account's name (USERNAME on Windows,
/// USER or LOGNAME elsewhere), marked as an account's name so that a reader knows the
/// archive room has not named them; `fallback` when the system names no account. The
/// account takes the fallback's address.
pub fn account_or(fallback: User) -> User {
    let name = ["USERNAME", "USER", "LOGNAME"]
        .into_iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|name| name.trim().chars().take(64).collect::<String>())
        .find(|name| !name.is_empty() && !name.chars().any(crate::portable::is_invisible));
    match name {
        Some(name) => User {
            name: format!("{name}（系统账户）"),
            address: fallback.address,
        },
        None => fallback,
    }
}

/// Who the archive's versions are by when nobody else is named: the unit's contact, as
/// the application names.
pub fn user_of(app: Option<&Application>) -> User {
    match app {
        Some(app) => User {
            name: format!(
                "{}（{}）",
                app.unit.contact.name.trim(),
                app.unit.name.trim()
            ),
            address: format!("mailto:{}", app.unit.email.trim()),
        },
        None => User {
            name: "申报单位".into(),
            address: "urn:dashi:user:unknown".into(),
        },
    }
}

/// The application sealed in a bag (its `data/源数据/` data file), if it reads.
fn application_in(bag: &Path) -> Option<Application> {
    let dir = bag.join("data/源数据");
    let entry = std::fs::read_dir(&dir).ok()?.flatten().find(|e| {
        e.path()
            .extension()
            .is_some_and(|x| x == "toml" || x == "json")
    })?;
    let path = entry.path();
    let text = std::fs::read_to_string(&path).ok()?;
    crate::data::load::read_partial(&path, text)
        .ok()
        .map(|p| p.value)
}

/// A field of the bag's bag-info.txt.
fn bag_info(bag: &Path, key: &str) -> Option<String> {
    std::fs::read_to_string(bag.join("bag-info.txt"))
        .ok()?
        .lines()
        .find_map(|l| {
            l.strip_prefix(&format!("{key}: "))
                .map(|v| v.trim().to_string())
        })
}

/// Why an archive could not be made from an input.
#[derive(Debug, thiserror::Error)]
pub enum FromError {
    /// The input could not be built, read or verified (a broken bag comes with its
    /// report).
    #[error(transparent)]
    Input(#[from] crate::packet::disc_input::DiscInputError),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
}

impl crate::failure::Failure for FromError {
    fn hint(&self) -> Option<String> {
        match self {
            FromError::Input(e) => e.hint(),
            FromError::Archive(e) => e.hint(),
        }
    }

    fn exit(&self) -> crate::failure::Exit {
        match self {
            FromError::Input(e) => e.exit(),
            FromError::Archive(e) => e.exit(),
        }
    }

    fn details(&self) -> Option<crate::failure::Details<'_>> {
        match self {
            FromError::Input(e) => e.details(),
            FromError::Archive(e) => e.details(),
        }
    }

    fn details_suffice(&self) -> bool {
        matches!(self, FromError::Input(e) if e.details_suffice())
    }
}

/// Makes the archive `root` from a sealed zip, a bag folder or a data file (built and
/// sealed first). The bag is verified first; a broken one is refused with its report.
pub fn from_input(
    renderer: impl FnOnce() -> Result<crate::typeset::Renderer, crate::typeset::TypesetError>,
    input: &Path,
    root: &Path,
    created: String,
) -> Result<(Initialised, crate::verify::Report), FromError> {
    use crate::packet::disc_input::{DiscInputError, unpack};
    if root.exists()
        && std::fs::read_dir(root)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(ArchiveError::Occupied(root.to_path_buf()).into());
    }
    let temp = crate::fsio::TempDir::new("dashi-archive").map_err(DiscInputError::Temp)?;
    let is = |ext: &str| {
        input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    };
    let zip = if input.is_dir() {
        None
    } else if is("toml") || is("json") {
        let built = crate::packet::build_with(
            &renderer().map_err(|e| DiscInputError::Build(e.into()))?,
            input,
            &temp.path().join("build"),
        )
        .map_err(DiscInputError::Build)?;
        built
            .files
            .iter()
            .find(|f| f.extension().is_some_and(|e| e == "zip"))
            .cloned()
    } else {
        Some(input.to_path_buf())
    };
    let checked = zip.as_deref().unwrap_or(input);
    let report = crate::verify::verify(checked, None, &crate::progress::Silent)
        .map_err(DiscInputError::Unreadable)?;
    if !report.intact {
        return Err(DiscInputError::Broken(Box::new(report)).into());
    }
    let bag = match &zip {
        Some(zip) => unpack(zip, &temp.path().join("bag"))?,
        None => input.to_path_buf(),
    };
    let seal = report.seal.clone().unwrap_or_default();
    let made = init(root, &bag, &seal, created)?;
    Ok((made, report))
}
