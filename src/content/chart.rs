//! Bar charts written in a page as a fenced `chart` block of YAML:
//!
//! ````markdown
//! ```chart
//! title: Respondents by country
//! unit: " respondents"
//! data:
//!   Greece: 51
//!   Portugal: 11
//! ```
//! ````
//!
//! The block becomes a figure holding an inline SVG (no script, no external file, the same
//! bytes on every build) and the same figures as a table for screen readers, text browsers
//! and anyone who would rather read the numbers. Values are written in the page's language
//! ("48,31" in French).

use crate::diagnostics::Pos;
use crate::lang::Lang;
use serde::Deserialize;

use super::markdown::{escape_attr, escape_text};

/// What an editor writes in a chart block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    title: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    columns: Option<[String; 2]>,
    data: serde_yaml::Mapping,
}

/// Words around a chart, in the page's language.
#[derive(Debug, Clone)]
pub(crate) struct ChartText<'a> {
    /// The page's language, for numbers.
    pub lang: &'a Lang,
    /// Summary of the table of figures ("The figures as a table").
    pub table: &'a str,
    /// Default heading of the label column.
    pub label: &'a str,
    /// Default heading of the value column.
    pub value: &'a str,
}

/// A chart, rendered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chart {
    /// The figure's HTML.
    pub html: String,
    /// Its text, for search.
    pub text: String,
}

/// A mistake in a chart block: `line` counts from the block's first line (1-based).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChartError {
    /// Where, inside the block.
    pub pos: Pos,
    /// What and how to fix it.
    pub message: String,
}

const WIDTH: f64 = 640.0;
const ROW: f64 = 46.0;
const BAR: f64 = 16.0;
const LABEL_GAP: f64 = 18.0;
/// Room kept right of the longest bar for its value.
const VALUE_ROOM: f64 = 120.0;

/// Renders the YAML `source` of a chart block; `n` numbers the charts of a page (for ids).
pub(crate) fn render(source: &str, n: usize, text: &ChartText<'_>) -> Result<Chart, ChartError> {
    let mut spec: Spec = serde_yaml::from_str(source).map_err(|e| ChartError {
        pos: e.location().map_or_else(Pos::default, |l| Pos::new(l.line(), l.column())),
        message: format!("this chart block is not valid: {e}. See the editors' guide for the shape of a chart"),
    })?;
    if spec.title.trim().is_empty() {
        return Err(error(source, "title", "a chart needs a `title:`, shown above it and read out by screen readers"));
    }
    // A percentage is written as the page's language writes one ("48.31%", "48,31 %"):
    // the sign and its spacing come from CLDR, not from the block.
    let percent = spec.unit.trim() == "%";
    if percent {
        spec.unit.clear();
    }
    let bars = bars(&spec, source, text.lang, percent)?;
    let max = scale(&spec, &bars, source)?;
    let id = format!("chart-{n}");
    let described: Vec<String> = bars.iter().map(|(l, _, s)| format!("{l}: {s}{}", spec.unit)).collect();
    let html = figure(&spec, &bars, &id, &svg(&spec, &bars, max, &id, &described), text);
    let mut search = spec.title.clone();
    for d in &described {
        search.push('\n');
        search.push_str(d);
    }
    if let Some(note) = &spec.note {
        search.push('\n');
        search.push_str(note);
    }
    Ok(Chart { html, text: search })
}

/// A bar: its label, its value, and the value as the page's language writes it.
type Bar = (String, f64, String);

/// The bars of `spec.data`, in order.
///
/// # Errors
/// A label that is not a scalar, a value that is not a number or is negative, no bar.
fn bars(spec: &Spec, source: &str, lang: &Lang, percent: bool) -> Result<Vec<Bar>, ChartError> {
    let mut bars = Vec::with_capacity(spec.data.len());
    for (key, value) in &spec.data {
        let label = match key {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) => n.to_string(),
            serde_yaml::Value::Bool(b) => b.to_string(),
            _ => return Err(error(source, "data", "each line under `data:` is `label: number`")),
        };
        let serde_yaml::Value::Number(num) = value else {
            return Err(error(
                source,
                &label,
                &format!("the value of `{label}` is not a number: write it with digits and a dot (`48.31`)"),
            ));
        };
        let Some(v) = num.as_f64().filter(|v| v.is_finite() && *v >= 0.0) else {
            return Err(error(source, &label, &format!("the value of `{label}` must be zero or more")));
        };
        bars.push((label, v, format_number(&num.to_string(), lang, percent)));
    }
    if bars.is_empty() {
        return Err(error(source, "data", "a chart needs at least one `label: number` line under `data:`"));
    }
    Ok(bars)
}

/// The value of a full-length bar: `max:` if given, else the largest value.
///
/// # Errors
/// A `max:` smaller than the largest value.
fn scale(spec: &Spec, bars: &[Bar], source: &str) -> Result<f64, ChartError> {
    let largest = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max);
    match spec.max {
        Some(m) if m.is_finite() && m >= largest && m > 0.0 => Ok(m),
        Some(m) => Err(error(
            source,
            "max",
            &format!("`max: {m}` is smaller than the largest value ({largest}): raise it or remove it"),
        )),
        None => Ok(largest.max(f64::MIN_POSITIVE)),
    }
}

/// The chart as an inline SVG image, `described` (one `label: value` per bar) for screen
/// readers.
fn svg(spec: &Spec, bars: &[Bar], max: f64, id: &str, described: &[String]) -> String {
    let height = ROW * bars.len() as f64;
    let mut svg = format!(
        "<svg class=\"chart-svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape_text(&spec.title),
        escape_text(&described.join("; ")),
    );
    for (i, (label, v, shown)) in bars.iter().enumerate() {
        let top = ROW * i as f64;
        let len = (v / max) * (WIDTH - VALUE_ROOM);
        svg.push_str(&format!(
            "<g class=\"chart-row\"><text class=\"chart-label\" x=\"0\" y=\"{:.1}\">{}</text>\
             <rect class=\"chart-bar\" x=\"0\" y=\"{:.1}\" width=\"{len:.1}\" height=\"{BAR}\" rx=\"2\" fill=\"#2f6690\"/>\
             <text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\">{}{}</text></g>",
            top + 14.0,
            escape_text(label),
            top + LABEL_GAP + 2.0,
            len + 6.0,
            top + LABEL_GAP + 15.0,
            escape_text(shown),
            escape_text(&spec.unit),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The figure: its caption, the `svg`, the note, and the figures as a table.
fn figure(spec: &Spec, bars: &[Bar], id: &str, svg: &str, text: &ChartText<'_>) -> String {
    let [label_head, value_head] = spec.columns.clone().unwrap_or_else(|| [text.label.into(), text.value.into()]);
    let mut html = format!(
        "<figure class=\"chart\" id=\"{}\">\n<figcaption>{}</figcaption>\n{svg}\n",
        escape_attr(id),
        escape_text(&spec.title)
    );
    if let Some(note) = &spec.note {
        html.push_str(&format!("<p class=\"chart-note\">{}</p>\n", escape_text(note)));
    }
    html.push_str(&format!(
        "<details class=\"chart-data\"><summary>{}</summary>\n<table>\n<thead><tr><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        escape_text(text.table),
        escape_text(&label_head),
        escape_text(&value_head),
    ));
    for (label, _, shown) in bars {
        html.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}{}</td></tr>\n",
            escape_text(label),
            escape_text(shown),
            escape_text(&spec.unit)
        ));
    }
    html.push_str("</tbody>\n</table>\n</details>\n</figure>\n");
    html
}

/// An error placed on the first line of `source` that starts with `key:`.
fn error(source: &str, key: &str, message: &str) -> ChartError {
    let found = source.lines().enumerate().find_map(|(i, l)| {
        let text = l.trim_start();
        let indent = l.chars().count() - text.chars().count();
        text.trim_start_matches(['"', '\'']).starts_with(key).then_some(Pos::new(i + 1, indent + 1))
    });
    ChartError { pos: found.unwrap_or(Pos::new(1, 1)), message: message.to_string() }
}

/// `digits` ("48.31") written the way `lang` writes numbers ("48,31"), or percentages
/// when `percent` ("48.31%", "48,31 %", "48,31%"), from ICU4X's CLDR data.
fn format_number(digits: &str, lang: &Lang, percent: bool) -> String {
    use icu_experimental::dimension::percent::formatter::PercentFormatter;
    let Ok(decimal) = digits.parse::<fixed_decimal::Decimal>() else {
        return digits.to_string();
    };
    let locale = lang.default_locale();
    if percent {
        return match PercentFormatter::try_new((&locale).into(), Default::default()) {
            Ok(f) => f.format(&decimal).to_string(),
            Err(_) => format!("{digits}%"),
        };
    }
    match icu_decimal::DecimalFormatter::try_new((&locale).into(), Default::default()) {
        Ok(f) => f.format(&decimal).to_string(),
        Err(_) => digits.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lang: &Lang) -> ChartText<'_> {
        ChartText { lang, table: "The figures", label: "Item", value: "Value" }
    }

    #[test]
    fn bars_scale_to_the_largest_value_and_the_table_repeats_the_figures() {
        let en = Lang::parse("en").expect("en");
        let c = render("title: Respondents\nunit: \" people\"\ndata:\n  Greece: 51\n  France: 7\n", 0, &text(&en))
            .expect("valid chart");
        assert!(c.html.contains("<figcaption>Respondents</figcaption>"));
        assert!(c.html.contains("width=\"520.0\""), "largest bar takes the whole bar area");
        assert!(c.html.contains("width=\"71.4\""), "7/51 of it");
        assert!(c.html.contains("<desc id=\"chart-0-desc\">Greece: 51 people; France: 7 people</desc>"));
        assert!(c.html.contains("<tr><th scope=\"row\">France</th><td>7 people</td></tr>"));
        assert!(c.text.contains("Greece: 51 people"));
        // Deterministic.
        assert_eq!(
            c,
            render("title: Respondents\nunit: \" people\"\ndata:\n  Greece: 51\n  France: 7\n", 0, &text(&en))
                .expect("valid")
        );
    }

    #[test]
    fn numbers_follow_the_page_language() {
        let fr = Lang::parse("fr").expect("fr");
        let c = render("title: Idéologies\nunit: \" %\"\nmax: 100\ndata:\n  Islamiste: 48.31\n", 1, &text(&fr))
            .expect("valid chart");
        assert!(c.html.contains("<td>48,31\u{a0}%</td>"), "{}", c.html);
        assert!(c.html.contains("id=\"chart-1\""));
        let cell = |code: &str| {
            let lang = Lang::parse(code).expect("code");
            let c = render("title: T\nunit: \"%\"\ndata:\n  A: 48.31\n", 0, &text(&lang)).expect("valid");
            let at = c.html.find("<td>").unwrap_or_default();
            c.html[at..].split("</td>").next().unwrap_or_default().to_string()
        };
        assert_eq!(cell("en"), "<td>48.31%");
        assert_eq!(cell("de"), "<td>48,31\u{a0}%");
        assert_eq!(cell("el"), "<td>48,31%");
        assert_eq!(cell("bg"), "<td>48,31%");
    }

    #[test]
    fn mistakes_are_placed_and_explained() {
        let en = Lang::parse("en").expect("en");
        let e = render("title: T\ndata:\n  Greece: many\n", 0, &text(&en)).expect_err("not a number");
        assert_eq!(e.pos.line, 3);
        assert!(e.message.contains("`Greece` is not a number"));
        let e = render("title: T\ntitel: x\ndata:\n  A: 1\n", 0, &text(&en)).expect_err("unknown field");
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
        let e = render("title: T\nmax: 10\ndata:\n  A: 11\n", 0, &text(&en)).expect_err("max too small");
        assert_eq!(e.pos.line, 2);
        let e = render("title: T\ndata: {}\n", 0, &text(&en)).expect_err("empty");
        assert!(e.message.contains("at least one"));
    }
}
