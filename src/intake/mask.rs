//! Resident ID numbers, masked where the register and the sheets show them (the first
//! six digits — the region — and the last four kept), unless `--full-id` asks for them
//! whole.

use super::Ledger;

/// `150105197805120312` → `150105********0312`.
pub fn id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 11 {
        return "*".repeat(chars.len());
    }
    let keep_tail = chars.len() - 4;
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 6 || i >= keep_tail { *c } else { '*' })
        .collect()
}

/// Every resident ID number in `text` masked: a run of 18 characters (17 digits and a
/// digit or X) or of 15 digits, not part of a longer run of letters and digits.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if is_id(run) {
            out.push_str(&id(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn is_id(run: &str) -> bool {
    let b = run.as_bytes();
    match b.len() {
        18 => {
            b[..17].iter().all(u8::is_ascii_digit)
                && (b[17].is_ascii_digit() || b[17] == b'X' || b[17] == b'x')
        }
        15 => b.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// Masks every ID the ledger shows.
pub fn all(ledger: &mut Ledger) {
    for s in &mut ledger.submissions {
        if let Some(f) = &mut s.facts {
            f.master_id = id(&f.master_id);
        }
        for p in &mut s.problems {
            p.message = text(&p.message);
            p.hint = p.hint.as_deref().map(text);
        }
        for d in &mut s.integrity.details {
            *d = text(d);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_masked_digests_kept() {
        assert_eq!(super::id("15010519780512031X"), "150105********031X");
        assert_eq!(
            super::text(
                "身份证号 15010519780512031X 校验位不对；S000015010004231000087；150105780512031"
            ),
            "身份证号 150105********031X 校验位不对；S000015010004231000087；150105*****2031"
        );
        let digest = "edda03b0bf002f1c736b9473c640f82a488eb26482288d69abccf86d51d75a8e";
        assert_eq!(super::text(digest), digest);
    }
}
