//! Reading a bag's tag files as RFC 8493 (and the BagIt 0.97 bags still in the wild)
//! defines them: `bagit.txt` strictly, `bag-info.txt` leniently, manifests in any of
//! the common algorithms, in the declared character encoding (UTF-8, ISO-8859-1,
//! UTF-16), with CRLF or LF line ends.

use std::collections::BTreeMap;

use sha2::digest::DynDigest;

/// A manifest's algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Algorithm {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Some(match name.to_ascii_lowercase().as_str() {
            "md5" => Algorithm::Md5,
            "sha1" => Algorithm::Sha1,
            "sha224" => Algorithm::Sha224,
            "sha256" => Algorithm::Sha256,
            "sha384" => Algorithm::Sha384,
            "sha512" => Algorithm::Sha512,
            _ => return None,
        })
    }

    pub fn hasher(self) -> Box<dyn DynDigest + Send> {
        match self {
            Algorithm::Md5 => Box::new(md5::Md5::default()),
            Algorithm::Sha1 => Box::new(sha1::Sha1::default()),
            Algorithm::Sha224 => Box::new(sha2::Sha224::default()),
            Algorithm::Sha256 => Box::new(sha2::Sha256::default()),
            Algorithm::Sha384 => Box::new(sha2::Sha384::default()),
            Algorithm::Sha512 => Box::new(sha2::Sha512::default()),
        }
    }
}

/// The declared version and encoding of a bag.
#[derive(Debug, Clone)]
pub struct Declaration {
    pub version: (u32, u32),
    pub encoding: Encoding,
}

/// Character encodings of tag files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Latin1,
    Utf16,
}

/// Parses `bagit.txt`: exactly `BagIt-Version: M.N` and `Tag-File-Character-Encoding:
/// ENC`, `: ` as separator, no byte order mark.
pub fn declaration(bytes: &[u8]) -> Result<Declaration, String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err("bagit.txt 以字节顺序标记（BOM）开头，规范不允许".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "bagit.txt 不是 UTF-8 文本".to_string())?;
    let mut version = None;
    let mut encoding = None;
    for line in text.split(['\n', '\r']).filter(|l| !l.is_empty()) {
        let Some((key, value)) = line.split_once(": ") else {
            return Err(format!("bagit.txt 的一行格式不对：“{line}”"));
        };
        if key != key.trim() || value != value.trim() {
            return Err(format!("bagit.txt 的一行有多余的空白：“{line}”"));
        }
        match key {
            "BagIt-Version" => {
                let parsed = value
                    .split_once('.')
                    .and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)))
                    .filter(|_| value.chars().all(|c| c.is_ascii_digit() || c == '.'));
                version = Some(
                    parsed.ok_or_else(|| format!("BagIt-Version “{value}” 不是“主.次”版本号"))?,
                );
            }
            "Tag-File-Character-Encoding" => {
                encoding = Some(match value.to_ascii_uppercase().as_str() {
                    "UTF-8" | "UTF8" => Encoding::Utf8,
                    "ISO-8859-1" | "LATIN-1" | "LATIN1" => Encoding::Latin1,
                    "UTF-16" | "UTF16" => Encoding::Utf16,
                    _ => return Err(format!("不支持的标签文件编码 “{value}”")),
                });
            }
            _ => return Err(format!("bagit.txt 中有未知的字段 “{key}”")),
        }
    }
    Ok(Declaration {
        version: version.ok_or("bagit.txt 缺少 BagIt-Version")?,
        encoding: encoding.ok_or("bagit.txt 缺少 Tag-File-Character-Encoding")?,
    })
}

/// Decodes a tag file in the bag's encoding.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, String> {
    match encoding {
        Encoding::Utf8 => {
            let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            String::from_utf8(b.to_vec()).map_err(|_| "不是有效的 UTF-8".to_string())
        }
        Encoding::Latin1 => Ok(bytes.iter().map(|&b| b as char).collect()),
        Encoding::Utf16 => {
            let (little, body) = match bytes {
                [0xFF, 0xFE, rest @ ..] => (true, rest),
                [0xFE, 0xFF, rest @ ..] => (false, rest),
                _ => (false, bytes),
            };
            let units: Vec<u16> = body
                .chunks_exact(2)
                .map(|c| {
                    if little {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                })
                .collect();
            String::from_utf16(&units).map_err(|_| "不是有效的 UTF-16".to_string())
        }
    }
}

/// The lines of a tag file, CRLF or LF.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.trim().is_empty())
}

/// `bag-info.txt` fields (labels compared case-insensitively; continuation lines that
/// start with whitespace belong to the field above).
pub fn bag_info(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in lines(text) {
        if line.starts_with([' ', '\t']) {
            if let Some(key) = &last
                && let Some(values) = fields.get_mut(key)
                && let Some(value) = values.last_mut()
            {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            let key = key.trim().to_ascii_lowercase();
            fields
                .entry(key.clone())
                .or_default()
                .push(value.trim().to_string());
            last = Some(key);
        }
    }
    fields
}

/// One manifest line after decoding: digest and path, and what was odd about it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub digest: String,
    pub path: String,
    /// `*` (md5sum's binary marker) or a leading `./`.
    pub oddity: Option<&'static str>,
}

/// Parses a manifest's lines into digest and (percent-decoded) path.
pub fn manifest(text: &str) -> Result<Vec<Listed>, String> {
    let mut out = Vec::new();
    for line in lines(text) {
        let Some(split) = line.find([' ', '\t']) else {
            return Err(format!("清单中的一行格式不对：“{line}”"));
        };
        let digest = line[..split].to_ascii_lowercase();
        if digest.is_empty() || !digest.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!("清单中的摘要不是十六进制：“{line}”"));
        }
        let mut path = line[split..].trim_start_matches([' ', '\t']);
        let mut oddity = None;
        if let Some(rest) = path.strip_prefix('*') {
            path = rest;
            oddity = Some("清单行带有 md5sum 的二进制标记 *");
        }
        if let Some(rest) = path.strip_prefix("./") {
            path = rest;
            oddity = Some("清单路径以 ./ 开头");
        }
        out.push(Listed {
            digest,
            path: percent_decode(path),
            oddity,
        });
    }
    Ok(out)
}

/// RFC 8493 encodes only `%`, CR and LF in paths; everything else is literal.
pub fn percent_decode(path: &str) -> String {
    path.replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%25", "%")
}

/// Whether a listed path stays inside the bag: relative, no `..`, no `~`, no
/// backslashes, no drive letters.
pub fn in_scope(path: &str) -> bool {
    !(path.is_empty()
        || path.starts_with('/')
        || path.starts_with('~')
        || path.contains('\\')
        || path.chars().nth(1) == Some(':')
        || path.split('/').any(|p| p == ".." || p.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_bagit_txt() {
        assert!(declaration(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n").is_ok());
        assert!(declaration(b"BagIt-Version : 1.0\nTag-File-Character-Encoding: UTF-8\n").is_err());
        assert!(declaration(b"BagIt-Version: .97\nTag-File-Character-Encoding: UTF-8\n").is_err());
        assert!(declaration(b"BagIt-Version: 0.97\n").is_err());
        assert!(
            declaration(b"\xEF\xBB\xBFBagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
                .is_err()
        );
    }

    #[test]
    fn manifest_lines() {
        let m = manifest("ab  data/a%25b.txt\r\nCD *data/c\n").unwrap();
        assert_eq!(m[0].path, "data/a%b.txt");
        assert_eq!(m[1].digest, "cd");
        assert!(m[1].oddity.is_some());
        assert!(
            !in_scope("../x")
                && !in_scope("/tmp/x")
                && !in_scope("~root/x")
                && !in_scope("\\.\\./x")
        );
        assert!(in_scope("data/申报材料/x.pdf"));
    }
}
