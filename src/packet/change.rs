//! `dashi change`: the 变更领办人申请 of 第十二条（二）, sealed like an application. The
//! data file names the new master and is checked by every rule of an application
//! (第七条 included); the change request beside it says who left, when and why
//! (`check::change`). The packet is the 变更领办人申请表, the evidence volume (the new
//! master's certificates among it) and the sealed zip holding both with the data file,
//! the change request and the scans — what the bureau's ledger receives.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{BuildError, Staging, bag_spec, prepare, stage_evidence, typeset};
use crate::data::change::{self, ChangeRequest};
use crate::data::load::LoadError;
use crate::finding::Severity;
use crate::render::Doc;

/// Findings by the file they are in.
type Located = Vec<(crate::data::load::Document, Vec<crate::finding::Finding>)>;
use crate::seal::bag;
use crate::typeset::Renderer;

/// What `dashi change` wrote.
pub struct Changed {
    pub studio: String,
    pub new_master: String,
    pub former_master: String,
    /// Warnings of the checks, by file.
    pub warnings: Located,
    pub files: Vec<PathBuf>,
    pub seal: String,
}

/// Why no change packet was written; the output folder is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// The data file could not be built (its own findings come with it).
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The change request could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The change request has errors (shown with their locations).
    #[error("变更申请有错误，未生成材料")]
    Findings(Located),
}

impl crate::failure::Failure for ChangeError {
    fn hint(&self) -> Option<String> {
        match self {
            ChangeError::Build(e) => e.hint(),
            ChangeError::Load(e) => e.hint(),
            ChangeError::Findings(_) => Some("改正错误后重新运行".into()),
        }
    }

    fn exit(&self) -> crate::failure::Exit {
        match self {
            ChangeError::Build(e) => e.exit(),
            ChangeError::Load(e) => e.exit(),
            ChangeError::Findings(_) => crate::failure::Exit::Findings,
        }
    }

    fn details(&self) -> Option<crate::failure::Details<'_>> {
        match self {
            ChangeError::Build(e) => e.details(),
            ChangeError::Load(e) => e.details(),
            ChangeError::Findings(all) => Some(crate::failure::Details::Files(
                crate::finding::by_file(all),
                crate::finding::Blocked::Packet,
            )),
        }
    }
}

/// Builds the change packet of `data` (the new master in it) and `request` into `out`.
pub fn build(
    renderer: &Renderer,
    data: &Path,
    request: &Path,
    out: &Path,
) -> Result<Changed, ChangeError> {
    let read = crate::data::load::load_as::<ChangeRequest>(change::format(), request);
    let (doc, change, mut findings) = match read {
        Ok(p) => (p.doc, Some(p.value), p.findings),
        Err(LoadError::Invalid { doc, findings }) => (*doc, None, findings),
        Err(e) => return Err(e.into()),
    };
    let (data_doc, data_warnings, mut prepared) = prepare(renderer, data)?;
    let Some(change) = change.filter(|_| findings.is_empty()) else {
        return Err(ChangeError::Findings(vec![(doc, findings)]));
    };
    crate::check::change::check(&prepared.app, &change, &mut findings);
    if findings.iter().any(|f| f.severity() == Severity::Error) {
        return Err(ChangeError::Findings(vec![(doc, findings)]));
    }
    let explanation = crate::render::context::paragraphs(&change.explanation);
    for (key, value) in [
        ("change", json!(change)),
        ("change_reason", json!(change.reason.label())),
        ("change_left_on_cn", json!(change.left_on.chinese())),
        ("change_explanation", json!(explanation)),
    ] {
        prepared.extra.more.insert(key.into(), value);
    }
    let mut staging = Staging::new(out)?;
    let (form, _, _) = typeset(renderer, &prepared, Doc::CHANGE_FORM)?;
    staging.write(Doc::CHANGE_FORM.file_name(), &form)?;
    drop(form);
    let (volume, _, _) = typeset(renderer, &prepared, Doc::EVIDENCE_VOLUME)?;
    stage_evidence(&prepared, &mut staging, &volume)?;
    drop(volume);
    let documents: Vec<(&str, PathBuf)> = [Doc::CHANGE_FORM, Doc::EVIDENCE_VOLUME]
        .iter()
        .map(|d| (d.file_name(), staging.staged(d.file_name())))
        .collect();
    let mut spec = bag_spec(renderer, &prepared, &documents, &data_doc.path);
    spec.payload.push((
        change::BAG_PATH.to_string(),
        bag::Content::Disk(request.to_path_buf()),
    ));
    let studio = prepared.app.studio.name.trim().to_string();
    spec.name = crate::portable::portable(&format!("{studio}-变更领办人"), "变更领办人");
    spec.info
        .push(("Dashi-Change".into(), "领办人变更（第十二条（二））".into()));
    let silent = crate::progress::Silent;
    let sealed =
        bag::seal(spec, &crate::seal::folder::agent(), &silent).map_err(BuildError::from)?;
    let zip_name = format!("{}.zip", sealed.name);
    crate::seal::zip::write(
        &sealed.name,
        &sealed.files,
        &staging.path(&zip_name),
        renderer.document_date(&prepared.app),
        &silent,
    )
    .map_err(BuildError::from)?;
    let files = staging.commit()?;
    let mut warnings: Located = Vec::new();
    if !data_warnings.is_empty() {
        warnings.push((data_doc, data_warnings));
    }
    if !findings.is_empty() {
        warnings.push((doc, findings));
    }
    Ok(Changed {
        studio,
        new_master: prepared.app.master.name.trim().to_string(),
        former_master: change.former_master.trim().to_string(),
        warnings,
        files,
        seal: sealed.seal.to_string(),
    })
}
