//! 信息包一致性 (DA/T 70-2018 1-14): the package received is the package sent. Every file
//! is hashed again and compared with the package's `SHA256SUMS`, and the SHA-256 of
//! `SHA256SUMS` with the digest the sender printed on the 移交与接收登记表 (`--expect`).
//! Without that digest a forger who rewrote a file and every sum would pass the first
//! half, so the item is then 未核对, and the 结论 cannot be 通过.

use super::items::{item, not_applicable, without_faults};
use super::package::Package;
use super::report::{Check, Outcome, Property};
use crate::room::sums;

const NAME: &str = "信息包一致性检测";
const METHOD: &str = "重算移交包中每个文件的 SHA-256，与包中 SHA256SUMS 逐一核对；再核对 SHA256SUMS 本身的 SHA-256 与移交与接收登记表上的数字摘要（--expect）相同";

/// The item for a 移交 package.
pub(super) fn check(package: &Package) -> Check {
    let Some(dir) = &package.transfer else {
        return not_applicable(Property::Authenticity, NAME, METHOD, "检测对象不是移交包");
    };
    if package.sending {
        return not_applicable(
            Property::Authenticity,
            NAME,
            METHOD,
            "移交方正在制作移交包；接收方凭登记表上的数字摘要核对",
        );
    }
    let listed = match std::fs::read(dir.join(sums::FILE)) {
        Ok(bytes) => bytes,
        Err(_) => {
            return item(
                Property::Authenticity,
                NAME,
                METHOD,
                vec![format!(
                    "{}：移交包中没有这个文件，无法逐一核对",
                    sums::FILE
                )],
                String::new(),
            );
        }
    };
    let mut faults = match sums::of_folder(dir, &crate::progress::Silent) {
        Ok(read) => sums::differences(&sums::parse(&String::from_utf8_lossy(&listed)), &read),
        Err(e) => vec![format!("无法读取移交包：{}", crate::fsio::why(&e))],
    };
    let digest = sums::digest(&listed);
    let files = sums::parse(&String::from_utf8_lossy(&listed)).len();
    match &package.expect_package {
        Some(expected) if *expected != digest => faults.push(format!(
            "SHA256SUMS 的摘要是 {digest}，登记表上的数字摘要是 {expected}：收到的包不是移交的包"
        )),
        Some(_) => {}
        None if faults.is_empty() => {
            return without_faults(
                Property::Authenticity,
                NAME,
                METHOD,
                Outcome::Unverified,
                format!(
                    "{files} 个文件与 SHA256SUMS 相符，但没有给出登记表上的数字摘要（--expect），无法确认收到的包就是移交的包；本包的摘要是 {digest}"
                ),
            );
        }
        None => {}
    }
    let note = if faults.is_empty() {
        format!("{files} 个文件与 SHA256SUMS 相符，SHA256SUMS 的摘要与登记表上的数字摘要相同")
    } else {
        format!("{} 处与移交时不同", faults.len())
    };
    item(Property::Authenticity, NAME, METHOD, faults, note)
}
