//! The intake folder's secret: 32 random bytes in `intake.key` beside the ledger,
//! made on the first run and readable by its owner only. intake.json keeps a resident
//! ID number only as its HMAC-SHA256 under this secret, so a later run can tell that
//! two submissions name one person, while someone holding intake.json alone cannot
//! find the number by trying the few thousand birth dates its mask leaves open.

use std::io::Write;
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::IntakeError;

/// The secret's file name in the output folder.
pub const KEY_FILE: &str = "intake.key";
/// How a keyed ID digest begins in intake.json.
pub const PREFIX: &str = "hmac-sha256:";

/// The secret of one output folder.
pub struct Secret([u8; 32]);

impl Secret {
    /// The folder's secret, made (owner-only) when the folder has none.
    pub fn of_folder(out: &Path) -> Result<Secret, IntakeError> {
        Secret::of_file(&out.join(KEY_FILE))
    }

    /// The secret kept in `path`, made (owner-only) when there is none (the intake
    /// folder's `intake.key`, the ledger's `logs/dashi-ledger.key`).
    pub fn of_file(path: &Path) -> Result<Secret, IntakeError> {
        let path = path.to_path_buf();
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match std::fs::read_to_string(&path) {
            Ok(text) => Secret::parse(text.trim()).ok_or_else(|| {
                IntakeError::input(
                    format!("{} 已损坏，不是 64 位十六进制数", path.display()),
                    format!("{name} 由 dashi 写入，不要修改；从备份恢复它（没有它，此前记下的身份证号无法再交叉核对）"),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes).map_err(|e| IntakeError::Write {
                    path: path.clone(),
                    source: std::io::Error::other(e.to_string()),
                })?;
                let secret = Secret(bytes);
                write_private(&path, &secret.hex()).map_err(IntakeError::write(&path))?;
                Ok(secret)
            }
            Err(e) => Err(IntakeError::input(
                format!("无法读取 {}：{}", path.display(), crate::fsio::why(&e)),
                format!("{name} 只有建立它的用户能读；用该用户运行"),
            )),
        }
    }

    fn parse(hex: &str) -> Option<Secret> {
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Secret(bytes))
    }

    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The keyed digest intake.json keeps of an ID number (upper case, trimmed).
    pub fn id(&self, id: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key");
        mac.update(id.as_bytes());
        let digest: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{PREFIX}{digest}")
    }

    /// A secret for tests.
    #[cfg(test)]
    pub fn fixed() -> Secret {
        Secret([7; 32])
    }
}

/// Writes a new file its owner alone may read (on Unix; on Windows a file in the
/// user's own folder already is), never replacing one that exists.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = Secret::of_folder(dir.path()).unwrap();
        let b = Secret::of_folder(dir.path()).unwrap();
        assert_eq!(a.id("X"), b.id("X"));
        assert_ne!(a.id("X"), Secret::fixed().id("X"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
        std::fs::write(dir.path().join(KEY_FILE), "nope").unwrap();
        assert!(Secret::of_folder(dir.path()).is_err());
    }
}
