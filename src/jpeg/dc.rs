//! An image at an eighth of a JPEG's size from its DC coefficients alone: each 8 × 8
//! block becomes one pixel, its mean. The AC coefficients are read past, never
//! dequantized or transformed, so a 12-megapixel photo becomes a 375 × 500 picture in
//! the time its Huffman codes take to read, and only the small picture is ever held.

use super::{Block, Frame, Walked, walk};

/// The eighth-size image of a baseline greyscale or colour JPEG (YCbCr, or RGB as an
/// Adobe marker says); `None` for anything else or damaged data.
pub fn eighth(bytes: &[u8]) -> Option<image::DynamicImage> {
    // Each component's block means, by block, in the component's own grid.
    let mut planes: Vec<Plane> = Vec::new();
    let mut store = |frame: &Frame, b: Block| {
        if planes.is_empty() {
            planes = frame
                .components
                .iter()
                .map(|c| Plane::new(frame.mcus_x * c.h, frame.mcus_y * c.v))
                .collect();
        }
        planes[b.component].set(b.x, b.y, b.dc);
        Ok(())
    };
    let Walked::Done(frame) = walk(bytes, &mut store) else {
        return None;
    };
    if planes.is_empty() {
        return None;
    }
    let (w, h) = (frame.width.div_ceil(8), frame.height.div_ceil(8));
    let (h_max, v_max) = (frame.h_max(), frame.v_max());
    // Where each component's samples lie under the pixels of the full-resolution grid:
    // its column for each x and its row for each y.
    let columns: Vec<Vec<usize>> = (frame.components.iter().zip(&planes))
        .map(|(c, p)| (0..w).map(|x| (x * c.h / h_max).min(p.width - 1)).collect())
        .collect();
    let row = |c: usize, y: usize| {
        let plane = &planes[c];
        let at = (y * frame.components[c].v / v_max).min(plane.height - 1) * plane.width;
        &plane.means[at..at + plane.width]
    };
    match frame.components.len() {
        1 => {
            let mut pixels = Vec::with_capacity(w * h);
            for y in 0..h {
                let means = row(0, y);
                pixels.extend(columns[0].iter().map(|&x| means[x]));
            }
            image::GrayImage::from_raw(w as u32, h as u32, pixels)
                .map(image::DynamicImage::ImageLuma8)
        }
        3 => {
            let rgb_as_is = frame.adobe_transform == Some(0);
            let mut pixels = Vec::with_capacity(w * h * 3);
            for y in 0..h {
                let (r0, r1, r2) = (row(0, y), row(1, y), row(2, y));
                for x in 0..w {
                    let (a, b, c) = (r0[columns[0][x]], r1[columns[1][x]], r2[columns[2][x]]);
                    if rgb_as_is {
                        pixels.extend_from_slice(&[a, b, c]);
                    } else {
                        pixels.extend_from_slice(&ycbcr_to_rgb(a, b, c));
                    }
                }
            }
            image::RgbImage::from_raw(w as u32, h as u32, pixels)
                .map(image::DynamicImage::ImageRgb8)
        }
        _ => None,
    }
}

/// Block means of one component.
struct Plane {
    width: usize,
    height: usize,
    means: Vec<u8>,
}

impl Plane {
    fn new(width: usize, height: usize) -> Plane {
        Plane {
            width,
            height,
            means: vec![128; width * height],
        }
    }

    fn set(&mut self, x: usize, y: usize, dc: i32) {
        if x < self.width && y < self.height {
            // DC = 8 × the mean of the level-shifted samples.
            self.means[y * self.width + x] = (dc / 8 + 128).clamp(0, 255) as u8;
        }
    }
}

/// JFIF's YCbCr to RGB (ITU-R BT.601, full range), in 16-bit fixed point.
fn ycbcr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let (y, cb, cr) = (i32::from(y) << 16, i32::from(cb) - 128, i32::from(cr) - 128);
    let channel = |v: i32| ((v + (1 << 15)) >> 16).clamp(0, 255) as u8;
    [
        channel(y + 91_881 * cr),
        channel(y - 22_554 * cb - 46_802 * cr),
        channel(y + 116_130 * cb),
    ]
}

#[cfg(test)]
mod tests {
    fn encode(img: &image::DynamicImage) -> Vec<u8> {
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
            .encode_image(img)
            .unwrap();
        jpeg
    }

    /// Each pixel of the eighth is the mean of its 8 × 8 block in the full decode.
    fn agrees(jpeg: &[u8], (w, h): (u32, u32), tolerance: i32) {
        let small = super::eighth(jpeg).unwrap().to_rgb8();
        assert_eq!(small.dimensions(), (w.div_ceil(8), h.div_ceil(8)));
        let full = image::load_from_memory(jpeg).unwrap().to_rgb8();
        for (bx, by, p) in small.enumerate_pixels() {
            if (bx + 1) * 8 > w || (by + 1) * 8 > h {
                continue;
            }
            let mut sum = [0u32; 3];
            for y in by * 8..by * 8 + 8 {
                for x in bx * 8..bx * 8 + 8 {
                    let q = full.get_pixel(x, y);
                    (0..3).for_each(|c| sum[c] += u32::from(q[c]));
                }
            }
            for c in 0..3 {
                let mean = (sum[c] / 64) as i32;
                assert!(
                    (mean - i32::from(p[c])).abs() <= tolerance,
                    "block {bx},{by} channel {c}: {mean} vs {}",
                    p[c]
                );
            }
        }
    }

    #[test]
    fn grey_gradients_average_block_by_block() {
        let (w, h) = (100u32, 75u32);
        let img = image::GrayImage::from_fn(w, h, |x, y| image::Luma([(x * 2 + y) as u8]));
        agrees(&encode(&image::DynamicImage::ImageLuma8(img)), (w, h), 2);
    }

    #[test]
    fn colour_tiles_keep_their_colours() {
        // 16 × 16 tiles: one colour per chroma block of a 4:2:0 JPEG.
        let (w, h) = (96u32, 64u32);
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            let (tx, ty) = (x / 16, y / 16);
            image::Rgb([(tx * 40) as u8, (ty * 60) as u8, 200 - (tx * 20) as u8])
        });
        agrees(&encode(&image::DynamicImage::ImageRgb8(img)), (w, h), 3);
    }

    #[test]
    fn progressive_and_garbage_give_none() {
        assert!(super::eighth(b"not a jpeg").is_none());
        let progressive = [0xFF, 0xD8, 0xFF, 0xC2, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0];
        assert!(super::eighth(&progressive).is_none());
    }
}
