//! Load stage: the bytes of a site's text files (`site.yaml`, pages, `i18n/*.yaml`,
//! templates) as text. UTF-8 only, the byte-order mark dropped, CRLF and CR line endings
//! turned into LF.
//!
//! Below `config`, `lang`, `content` and `render`, which all read text files.

use crate::diagnostics::Pos;

/// The diagnostic code of a file with nothing but white space.
pub(crate) const EMPTY_FILE: &str = "empty-file";

/// Decodes the bytes of a page or an interface file: [`decode_text`], and a file with
/// nothing but white space is an error ([`EMPTY_FILE`]).
/// The error is the position of the problem, its diagnostic code and its message.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, (Pos, &'static str, String)> {
    let text = decode_text(bytes)?;
    if text.trim().is_empty() {
        return Err((
            Pos::default(),
            EMPTY_FILE,
            "file is empty: a page starts with front matter, e.g. `---`, `title: ...`, `---`".to_string(),
        ));
    }
    Ok(text)
}

/// Decodes the bytes of any text file of a site (`site.yaml`, a template, a page): UTF-8
/// only, BOM dropped, CRLF and CR turned into LF. A file may be empty.
/// The error is the position of the problem (line and column, 1-based), its diagnostic
/// code (`not-utf8`) and its message, which names the encoding when it is UTF-16.
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, (Pos, &'static str, String)> {
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || looks_like_utf16(bytes)
        || reads_as_utf16_text(bytes)
    {
        return Err((
            Pos::default(),
            "not-utf8",
            "file is saved as UTF-16, which guidebook does not read: save it with UTF-8 encoding".to_string(),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.valid_up_to();
            let valid = String::from_utf8_lossy(&bytes[..offset]);
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.trim_end_matches('\r').chars().count()) + 1;
            return Err((
                Pos::new(line, column),
                "not-utf8",
                format!(
                    "file is not valid UTF-8: byte 0x{:02X} at byte offset {offset} cannot be read; save the file with UTF-8 encoding",
                    bytes[offset]
                ),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() })
}

/// Whether `bytes` have the shape of UTF-16 saved without a byte-order mark: in their first
/// 256 bytes (two bytes a character), at least half of the characters have a NUL byte on the
/// same side (after the letter in little-endian, before it in big-endian), as text in a
/// Latin script gives, and the other side has few. Text in UTF-8 has no NUL bytes.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(256) & !1];
    let chars = head.len() / 2;
    let nuls = |first: usize| head.iter().skip(first).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (nuls(0), nuls(1));
    chars >= 2 && even.max(odd) * 2 >= chars && even.min(odd) * 4 < even.max(odd)
}

/// Whether the first 256 bytes of `bytes` (cut to an even length) read, little-endian or
/// big-endian, as UTF-16 text: letters of any script, with ASCII characters (line breaks,
/// spaces, `-`, `:`), and nothing that text does not hold (an unpaired surrogate, a control
/// character other than tab, LF and CR, a private-use character, a noncharacter). This finds
/// UTF-16 without a byte-order mark in Greek, Cyrillic and other scripts whose letters have
/// no NUL byte, which [`looks_like_utf16`] misses.
///
/// Bytes that are not valid UTF-8 need one ASCII character. Valid UTF-8 (Cyrillic in UTF-16
/// is, as U+0400 to U+045F give bytes below 0x80) needs one character in eight to be ASCII,
/// and at least two: a stray NUL in UTF-8 text is not UTF-16. Text in a one-byte encoding
/// such as Latin-1 has no NUL byte, so no ASCII character here.
fn reads_as_utf16_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(256) & !1];
    let min_ascii = if std::str::from_utf8(bytes).is_err() { 1 } else { (head.len() / 16).max(2) };
    let pairs = head.chunks_exact(2).map(|p| [p[0], p[1]]);
    let le: Vec<u16> = pairs.clone().map(u16::from_le_bytes).collect();
    let be: Vec<u16> = pairs.map(u16::from_be_bytes).collect();
    is_utf16_text(&le, min_ascii) || is_utf16_text(&be, min_ascii)
}

/// Whether `units` (UTF-16 code units) are text as [`reads_as_utf16_text`] defines it, with
/// at least `min_ascii` ASCII characters. A high surrogate as the last unit is allowed: the
/// 256-byte head may cut a pair in two.
fn is_utf16_text(units: &[u16], min_ascii: usize) -> bool {
    let units = match units.split_last() {
        Some((&last, rest)) if (0xD800..0xDC00).contains(&last) => rest,
        _ => units,
    };
    let text_like = |c: char| {
        let code = u32::from(c);
        let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
        let private_use = (0xE000..=0xF8FF).contains(&code) || code >= 0xF_0000;
        let noncharacter = (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE;
        !(control || private_use || noncharacter)
    };
    units.iter().filter(|&&u| u < 0x80).count() >= min_ascii
        && char::decode_utf16(units.iter().copied()).all(|c| c.is_ok_and(text_like))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_accepts_bom_and_crlf() {
        assert_eq!(decode(b"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\n").ok().as_deref(), Some("---\ntitle: A\n---\n"));
    }

    #[test]
    fn decode_reports_the_offset_of_a_bad_byte() {
        let err = decode(b"---\ntitle: Caf\xE9\n---\n").err();
        assert_eq!(
            err,
            Some((
                Pos::new(2, 11),
                "not-utf8",
                "file is not valid UTF-8: byte 0xE9 at byte offset 14 cannot be read; save the file with UTF-8 encoding".to_string()
            ))
        );
    }

    #[test]
    fn decode_names_utf16() {
        let err = decode(b"\xFF\xFE-\x00-\x00").err().map(|e| e.2);
        assert_eq!(err.as_deref(), Some(UTF16));
    }

    const UTF16: &str = "file is saved as UTF-16, which guidebook does not read: save it with UTF-8 encoding";

    /// `text` saved as UTF-16 without a byte-order mark: little-endian, then big-endian.
    fn utf16(text: &str) -> [Vec<u8>; 2] {
        [
            text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        ]
    }

    #[test]
    fn decode_names_utf16_without_a_byte_order_mark() {
        let [le, be] = utf16("---\ntitle: Café\n---\n");
        assert_eq!(decode(&le).err().map(|e| e.2).as_deref(), Some(UTF16));
        assert_eq!(decode(&be).err().map(|e| e.2).as_deref(), Some(UTF16));
        // A stray NUL in UTF-8 text is not UTF-16.
        assert!(decode(b"---\ntitle: A\0\n---\n").is_ok());
    }

    #[test]
    fn decode_names_utf16_in_greek_and_cyrillic_without_a_byte_order_mark() {
        let greek = "---\ntitle: Ελληνικά\n---\nΚαλημέρα σας. Το λιμάνι είναι ασφαλές με βοριά.\n";
        let cyrillic = "---\ntitle: Българска\n---\nДобре дошли. Пристанището е защитено от север.\n";
        for text in [greek, cyrillic] {
            let [le, be] = utf16(text);
            assert!(!looks_like_utf16(&le) && !looks_like_utf16(&be), "the first rule alone misses {text}");
            assert_eq!(decode(&le).err().map(|e| e.2).as_deref(), Some(UTF16), "{text} LE");
            assert_eq!(decode(&be).err().map(|e| e.2).as_deref(), Some(UTF16), "{text} BE");
        }
    }

    #[test]
    fn decode_reports_a_bad_byte_in_latin1_text_not_utf16() {
        // `café` and more in Latin-1 / Windows-1252: no NUL byte, so not taken for UTF-16.
        let err = decode(b"---\ntitle: caf\xE9\n---\nL\x92\xEEle d\x92Ol\xE9ron \x96 abri s\xFBr.\n").err();
        assert_eq!(
            err,
            Some((
                Pos::new(2, 11),
                "not-utf8",
                "file is not valid UTF-8: byte 0xE9 at byte offset 14 cannot be read; save the file with UTF-8 encoding".to_string()
            ))
        );
    }

    #[test]
    fn decode_rejects_empty_files() {
        assert_eq!(decode(b"  \n").err().map(|e| e.1), Some("empty-file"));
    }
}
