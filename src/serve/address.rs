//! The address a `dashi serve` of a data file had (its port and token), kept in this
//! user's own folder (`~/.cache/dashi/serve`, on Windows the user's temporary folder)
//! under a name derived from the file's path, in a folder only this user can open. Run again for the same file, dashi serve takes the same address if
//! it is free: a page left open reconnects to it, and the unsaved edits the browser
//! keeps for that address are still there.

use std::path::{Path, PathBuf};

use super::guard::Guard;

/// An address as remembered.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Address {
    pub port: u16,
    pub token: String,
}

/// Where the address of the data file `path` is kept.
fn place(path: &Path) -> PathBuf {
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let digest = crate::seal::digest::sha256_bytes(full.to_string_lossy().as_bytes()).to_string();
    let home = std::env::var_os("HOME")
        .filter(|_| cfg!(unix))
        .map(PathBuf::from);
    home.map_or_else(std::env::temp_dir, |h| h.join(".cache"))
        .join("dashi")
        .join("serve")
        .join(format!("{}.json", &digest[..16]))
}

/// The address the last dashi serve of `path` had, if it left one.
pub fn recalled(path: &Path) -> Option<Address> {
    let text = std::fs::read(place(path)).ok()?;
    let address: Address = serde_json::from_slice(&text).ok()?;
    let ok = address.port != 0
        && address.token.len() == 48
        && address.token.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then_some(address)
}

/// Whether a dashi serve of this file answers at `address` now (asked for its ping with
/// the token it was given: only that run knows it).
pub fn answering(address: &Address) -> bool {
    use std::io::{Read, Write};
    let at = std::net::SocketAddr::from(([127, 0, 0, 1], address.port));
    let wait = std::time::Duration::from_millis(800);
    let Ok(mut stream) = std::net::TcpStream::connect_timeout(&at, wait) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(wait));
    let _ = stream.set_write_timeout(Some(wait));
    let request = format!(
        "GET /api/ping?token={} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        address.token, address.port
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// Keeps the address of this run (best effort: without it, the next run gets a new one).
pub fn remember(path: &Path, guard: &Guard) {
    let file = place(path);
    let Some(dir) = file.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() || !private(dir) {
        return;
    }
    let address = Address {
        port: guard.port,
        token: guard.token.clone(),
    };
    let bytes = serde_json::to_vec(&address).expect("an address serializes");
    let _ = crate::fsio::write_atomic(&file, &bytes);
}

/// Makes a folder this user's only (on Windows the user's temporary folder already is).
fn private(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).is_ok()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        true
    }
}
