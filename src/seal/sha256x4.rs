//! SHA-256 of four messages at once with the SHA extensions (FIPS 180-4, section 6.2).
//! One message at a time, `sha256rnds2` waits for its own previous result, and the
//! unit that runs it is idle most of the time: four independent messages in step keep
//! it busy, about twice the single-message speed on this project's machines.
//! `seal::many` runs it beside `sha512x8` on the same bytes (an OCFL fixity block).

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// The initial hash value H(0).
pub const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The block size in bytes.
pub const BLOCK: usize = 64;

/// Whether this CPU runs `compress4`.
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("sha")
            && std::arch::is_x86_feature_detected!("sse4.1")
            && std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The 64 round constants.
#[cfg(target_arch = "x86_64")]
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// One message's working state as `sha256rnds2` takes it: (A, B, E, F) and (C, D, G, H).
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
struct Words {
    abef: __m128i,
    cdgh: __m128i,
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sha,sse4.1,avx2")]
fn words(state: &[u32; 8]) -> Words {
    // SAFETY: `state` is 32 bytes; each load reads 16 of them.
    let (dcba, hgfe) = unsafe {
        (
            _mm_loadu_si128(state.as_ptr().cast()),
            _mm_loadu_si128(state.as_ptr().add(4).cast()),
        )
    };
    let cdab = _mm_shuffle_epi32(dcba, 0xB1);
    let efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    Words {
        abef: _mm_alignr_epi8(cdab, efgh, 8),
        cdgh: _mm_blend_epi16(efgh, cdab, 0xF0),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sha,sse4.1,avx2")]
fn store(words: Words, state: &mut [u32; 8]) {
    let feba = _mm_shuffle_epi32(words.abef, 0x1B);
    let dchg = _mm_shuffle_epi32(words.cdgh, 0xB1);
    // SAFETY: `state` is 32 bytes; each store writes 16 of them.
    unsafe {
        _mm_storeu_si128(state.as_mut_ptr().cast(), _mm_blend_epi16(feba, dchg, 0xF0));
        _mm_storeu_si128(
            state.as_mut_ptr().add(4).cast(),
            _mm_alignr_epi8(dchg, feba, 8),
        );
    }
}

/// Compresses `blocks` consecutive 64-byte blocks of each of four messages into
/// `states[lane]`, message `lane` starting at `lanes[lane]`.
///
/// # Safety
/// The CPU must have the SHA extensions, SSE4.1 and AVX2 (`available()`), and each
/// `lanes[lane]` must be valid for reading `blocks * 64` bytes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sha,sse4.1,avx2")]
pub unsafe fn compress4(states: &mut [[u32; 8]; 4], lanes: [*const u8; 4], blocks: usize) {
    // Reverses the bytes of each 32-bit word (the message is big-endian).
    let bswap = _mm_set_epi64x(0x0c0d0e0f08090a0b, 0x0405060700010203);
    let mut s: [Words; 4] = std::array::from_fn(|lane| words(&states[lane]));
    for block in 0..blocks {
        let before = s;
        // w[lane][j]: the four message words of the current group of four rounds
        // whose index is j modulo 4.
        let mut w: [[__m128i; 4]; 4] = std::array::from_fn(|lane| {
            std::array::from_fn(|j| {
                // SAFETY: inside the `blocks * 64` bytes the caller vouched for.
                let v = unsafe { _mm_loadu_si128(lanes[lane].add(BLOCK * block + 16 * j).cast()) };
                _mm_shuffle_epi8(v, bswap)
            })
        });
        for group in 0..16 {
            // SAFETY: K has 64 words; group 15 reads the last four.
            let k = unsafe { _mm_loadu_si128(K.as_ptr().add(4 * group).cast()) };
            let j = group & 3;
            for (words, w) in s.iter_mut().zip(w.iter_mut()) {
                if group >= 4 {
                    // W[t..t+4] from W[t-16..t]: σ0 terms, W[t-7] and σ1 terms.
                    let partial = _mm_sha256msg1_epu32(w[j], w[(j + 1) & 3]);
                    let seven = _mm_alignr_epi8(w[(j + 3) & 3], w[(j + 2) & 3], 4);
                    w[j] = _mm_sha256msg2_epu32(_mm_add_epi32(partial, seven), w[(j + 3) & 3]);
                }
                let wk = _mm_add_epi32(w[j], k);
                words.cdgh = _mm_sha256rnds2_epu32(words.cdgh, words.abef, wk);
                words.abef =
                    _mm_sha256rnds2_epu32(words.abef, words.cdgh, _mm_shuffle_epi32(wk, 0x0E));
            }
        }
        for (words, before) in s.iter_mut().zip(before) {
            words.abef = _mm_add_epi32(words.abef, before.abef);
            words.cdgh = _mm_add_epi32(words.cdgh, before.cdgh);
        }
    }
    for (state, words) in states.iter_mut().zip(s) {
        store(words, state);
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use sha2::digest::generic_array::GenericArray;

    /// Four messages of different bytes in step give each its own single-message state.
    #[test]
    fn four_in_step_are_four_alone() {
        if !available() {
            return;
        }
        let blocks = 37;
        let data: Vec<Vec<u8>> = (0..4)
            .map(|lane| {
                (0..blocks * BLOCK)
                    .map(|i| (i.wrapping_mul(2_654_435_761) >> 9) as u8 ^ (lane as u8 * 61))
                    .collect()
            })
            .collect();
        let mut states = [IV; 4];
        // SAFETY: checked `available()`; each message is `blocks` blocks long.
        unsafe {
            compress4(
                &mut states,
                std::array::from_fn(|lane| data[lane].as_ptr()),
                blocks,
            )
        };
        for (lane, bytes) in data.iter().enumerate() {
            let mut alone = IV;
            let whole: Vec<_> = bytes
                .chunks_exact(BLOCK)
                .map(|b| *GenericArray::from_slice(b))
                .collect();
            sha2::compress256(&mut alone, &whole);
            assert_eq!(states[lane], alone, "lane {lane}");
        }
    }
}
