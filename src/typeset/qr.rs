//! The QR code of a digest, printed beside its hex text on the 承诺书 and on every report
//! that names an archive version: the typst world serves it as an SVG file.

use typst::foundations::Bytes;

use super::world::Served;

/// Where the typst world serves the digest's QR code.
pub const PATH: &str = "/digest-qr.svg";

/// The QR code of a digest's hex text, as SVG.
pub fn svg(digest: &str) -> String {
    let code = qrcode::QrCode::with_error_correction_level(digest.as_bytes(), qrcode::EcLevel::M)
        .expect("a hex digest fits a QR code");
    code.render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .module_dimensions(4, 4)
        .build()
}

/// The QR code of `digest` as a file the world serves at `PATH`.
pub fn served(digest: &str) -> Served {
    Served::Memory(Bytes::new(svg(digest).into_bytes()))
}
