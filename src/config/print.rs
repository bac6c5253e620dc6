//! Load stage: `print:` in `site.yaml`, how large a language's print page may grow before
//! the print version is cut into one page per part (see `render::family::print`).

use super::validate::Validator;
use serde_yaml::Value;

/// `print:` in `site.yaml`, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PrintConfig {
    /// `max_size`: the most bytes of page text (the pages' HTML, in one language) that the
    /// print version of a language holds on one page; above it, each part (section) is
    /// printed on a page of its own, linked from a contents page.
    pub max_size: u64,
}

impl PrintConfig {
    /// The default `max_size`: 4 MB (4,000,000 bytes), a few hundred printed pages, which
    /// a browser still opens and prints at ease.
    pub(crate) const DEFAULT_MAX_SIZE: u64 = 4_000_000;
}

impl Default for PrintConfig {
    fn default() -> Self {
        PrintConfig { max_size: Self::DEFAULT_MAX_SIZE }
    }
}

/// The units a size may be written with, and their bytes (decimal, as file managers
/// count: 1 kB is 1,000 bytes).
const UNITS: [(&str, u64); 4] = [("B", 1), ("kB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000)];

/// `text` as a number of bytes: `4000000`, `4MB`, `4 MB`, `1.5MB`, `500kB` (units as in
/// [`UNITS`], their case ignored).
pub(crate) fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = (&text[..split], text[split..].trim());
    let factor = if unit.is_empty() { 1 } else { UNITS.iter().find(|(u, _)| u.eq_ignore_ascii_case(unit))?.1 };
    if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
        return None;
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let whole: u64 = whole.parse().ok()?;
    let mut bytes = whole.checked_mul(factor)?;
    // Up to as many decimals as the unit has zeros: `1.5MB` is exact, `1.5B` is refused.
    if !fraction.is_empty() {
        let digits = u32::try_from(fraction.len()).ok()?;
        let scale = 10u64.checked_pow(digits)?;
        if factor % scale != 0 {
            return None;
        }
        bytes = bytes.checked_add(fraction.parse::<u64>().ok()?.checked_mul(factor / scale)?)?;
    }
    Some(bytes)
}

/// The largest size `max_size` takes, in the largest unit: `18446744073GB`, the most
/// whole gigabytes a 64-bit number of bytes holds.
const LARGEST: &str = "18446744073GB";

/// Whether `text` is a size written as [`parse_size`] reads it whose number of bytes is
/// beyond 64 bits (`99999999999GB`), rather than no size at all.
fn too_large(text: &str) -> bool {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = (&text[..split], text[split..].trim());
    let factor =
        if unit.is_empty() { Some(1) } else { UNITS.iter().find(|(u, _)| u.eq_ignore_ascii_case(unit)).map(|u| u.1) };
    let well_formed = number.split('.').count() <= 2 && !number.starts_with('.') && !number.ends_with('.');
    match (factor, number.parse::<f64>()) {
        (Some(factor), Ok(n)) if well_formed => n * factor as f64 > u64::MAX as f64,
        _ => false,
    }
}

/// The settings `print:` holds.
const KEYS: [&str; 1] = ["max_size"];

/// What `value` is, for a message that says it is not what was expected.
fn shape(value: &Value) -> &'static str {
    match value {
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a set of `key: value` pairs",
        _ => "a tagged value",
    }
}

impl Validator<'_, '_> {
    /// `print:`: a set of settings (only `max_size` today), each checked; anything else
    /// in its place is an error that shows how to write it.
    pub(super) fn print(&mut self, raw: Option<Value>) -> PrintConfig {
        let settings = match raw {
            None | Some(Value::Null) => return PrintConfig::default(),
            Some(Value::Mapping(m)) => m,
            Some(other) => {
                let pos = self.loc.value(&["print"]);
                let example = match &other {
                    Value::String(s) if parse_size(s).is_some_and(|n| n > 0) => s.trim().to_string(),
                    Value::Number(n) if n.as_u64().is_some_and(|n| n > 0) => n.to_string(),
                    _ => "4MB".to_string(),
                };
                let what = match &other {
                    Value::Sequence(_) => "is a list",
                    _ => "is a single value",
                };
                self.err(
                    pos,
                    format!(
                        "`print:` {what}, but it holds settings: write the size under `max_size`, \
                         as `print: {{ max_size: {example} }}`"
                    ),
                );
                return PrintConfig::default();
            }
        };
        let mut max_size = None;
        for (key, value) in settings {
            match key.as_str() {
                Some("max_size") => max_size = Some(value),
                _ => {
                    let name = key.as_str().map_or_else(|| yaml_text(&key), str::to_string);
                    let pos = self.loc.key(&["print", &name]);
                    let hint = crate::diagnostics::hint(&name, KEYS);
                    self.err(pos, format!("print: unknown field `{name}`, expected `max_size`{hint}"));
                }
            }
        }
        match max_size {
            Some(value) => self.max_size(&value),
            None => PrintConfig::default(),
        }
    }

    /// `print: { max_size }`: a number of bytes or a size with a unit, more than zero.
    fn max_size(&mut self, value: &Value) -> PrintConfig {
        let pos = self.loc.value(&["print", "max_size"]);
        let units =
            "write a number of bytes, or a number with a unit (`B`, `kB`, `MB` or `GB`), such as `4MB` (the default)";
        let size = match value {
            Value::Null => {
                self.err(
                    pos,
                    "`max_size` is empty: remove the line to get the default (`4MB`), or write a size, such as `4MB`"
                        .to_string(),
                );
                return PrintConfig::default();
            }
            Value::Number(n) => {
                // YAML reads `0x100` and `0o400` as 256: a size is written in decimal.
                // A flow mapping (`print: { max_size: 0x100 }`) ends the value at `,` or `}`.
                let written = self.loc.scalar_at(pos).unwrap_or_default();
                let written = written.split([',', '}']).next().unwrap_or_default().trim();
                match n.as_u64() {
                    Some(bytes) if !written.chars().all(|c| c.is_ascii_digit()) => {
                        self.err(pos, format!("`max_size: {written}` is not a size: sizes are written in decimal digits (this would be read as {bytes} bytes); {units}"));
                        return PrintConfig::default();
                    }
                    size => size,
                }
            }
            Value::String(s) if too_large(s) => {
                self.err(
                    pos,
                    format!("`max_size: {}` is too large: the largest is `{LARGEST}`, or {} bytes written without a unit; a size larger than the site (`10GB`) in effect never cuts the print version", s.trim(), u64::MAX),
                );
                return PrintConfig::default();
            }
            Value::String(s) => parse_size(s),
            _ => None,
        };
        match size {
            Some(0) => self.err(
                pos,
                "`max_size: 0` could mean \"no limit\" or \"always in parts\": write the size above which a \
                 language's print version is cut into one page per part, such as `4MB` (the default); \
                 `1B` always cuts it, a size larger than the site (`10GB`) in effect never does"
                    .to_string(),
            ),
            Some(max_size) => return PrintConfig { max_size },
            None => {
                let message = match value {
                    Value::String(_) | Value::Number(_) | Value::Bool(_) => {
                        format!("`max_size: {}` is not a size: {units}", yaml_text(value))
                    }
                    other => format!("`max_size` is {}, not a size: {units}", shape(other)),
                };
                self.err(pos, message);
            }
        }
        PrintConfig::default()
    }
}

/// A scalar as the editor wrote it (a string without its quotes).
fn yaml_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).map(|s| s.trim().to_string()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_are_read_with_or_without_a_unit() {
        for (text, bytes) in [
            ("4000000", Some(4_000_000)),
            ("4MB", Some(4_000_000)),
            ("4 mb", Some(4_000_000)),
            ("1.5MB", Some(1_500_000)),
            ("500kB", Some(500_000)),
            ("0", Some(0)),
            ("2GB", Some(2_000_000_000)),
            ("12 B", Some(12)),
            ("1.5B", None),
            ("4 MiB", None),
            ("MB", None),
            ("-1MB", None),
            (".5MB", None),
            ("4.MB", None),
            ("", None),
            ("99999999999999999999GB", None),
        ] {
            assert_eq!(parse_size(text), bytes, "{text}");
        }
    }

    #[test]
    fn sizes_beyond_64_bits_are_told_from_malformed_ones() {
        assert_eq!(parse_size(super::LARGEST), Some(18_446_744_073_000_000_000));
        for text in ["99999999999GB", "18446744074GB", "99999999999999999999", "1.5e99GB"] {
            assert_eq!((text, super::too_large(text)), (text, !text.contains('e')));
        }
        for text in ["4 MiB", "1.5B", "MB", "", "4..5GB", "18446744073GB"] {
            assert!(!super::too_large(text), "{text}");
        }
    }
}
