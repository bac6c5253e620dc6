//! Load stage: an authority's own look, from `site.yaml` without forking the theme: the
//! favicon (`favicon:`), and `branding:` (a logo, an accent colour, the footer's
//! organisation details). The accent colour is checked against the theme's backgrounds
//! with the contrast ratios of WCAG 2.1 (success criteria 1.4.3 and 1.4.11).

use super::texts::{At, Named};
use super::validate::Validator;
use super::Localized;
use crate::diagnostics::hint;
use serde::Deserialize;

/// The favicon of a site that declares none: the theme's own (`static/favicon.svg`).
pub(crate) const DEFAULT_FAVICON: &str = "favicon.svg";

/// A colour of the theme that the accent colour meets, and how WCAG 2.1 asks the two to
/// differ: 4.5:1 where one of them is text (1.4.3), 3:1 where the accent marks a control or
/// a graphic (1.4.11).
pub(crate) struct Pair {
    /// The theme's custom property (`--panel`), in `themes/default/static/css/guidebook.css`:
    /// a unit test compares the values below with the style sheet's.
    #[cfg_attr(not(test), allow(dead_code))]
    pub var: &'static str,
    /// Where readers see the two colours together, for messages.
    pub role: &'static str,
    /// Its value in the light scheme, then in the dark one.
    pub light: &'static str,
    /// Its value in the dark scheme.
    pub dark: &'static str,
    /// The contrast ratio asked.
    pub need: f64,
    /// What the ratio is asked of, for messages.
    pub of: &'static str,
}

/// Every colour of the default theme that accent-coloured text or controls meet, in both
/// schemes (a unit test keeps the values in step with the theme's style sheet): links on
/// the page, in the facts box, table headers and inline code (`--panel`), in the search
/// suggestions (`--selected`) and the translation notices; the text of the accent-coloured
/// buttons (the search button, a chosen facet); the outline of the chosen suggestion and
/// the chart bars.
pub(crate) const PAIRS: [Pair; 8] = [
    Pair { var: "--bg", role: "page background", light: "#ffffff", dark: "#14181c", need: 4.5, of: "link text" },
    Pair {
        var: "--panel",
        role: "facts box and table header background",
        light: "#f3f5f7",
        dark: "#1f252b",
        need: 4.5,
        of: "link text",
    },
    Pair {
        var: "--selected",
        role: "chosen search suggestion background",
        light: "#e8f0f8",
        dark: "#243447",
        need: 4.5,
        of: "link text",
    },
    Pair {
        var: "--notice-bg",
        role: "translation notice background",
        light: "#fff6e5",
        dark: "#2b2314",
        need: 4.5,
        of: "link text",
    },
    Pair {
        var: "--stale-bg",
        role: "outdated translation notice background",
        light: "#fdeeee",
        dark: "#2e1a1a",
        need: 4.5,
        of: "link text",
    },
    Pair {
        var: "--on-accent",
        role: "text of accent-coloured buttons",
        light: "#ffffff",
        dark: "#0b0f14",
        need: 4.5,
        of: "button text",
    },
    Pair {
        var: "--selected",
        role: "chosen search suggestion background",
        light: "#e8f0f8",
        dark: "#243447",
        need: 3.0,
        of: "the suggestion's outline",
    },
    Pair { var: "--bg", role: "page background", light: "#ffffff", dark: "#14181c", need: 3.0, of: "chart bars" },
];

/// The types of image a logo may be, by extension; a favicon may also be an `.ico`.
const IMAGE_TYPES: [&str; 7] = ["svg", "png", "jpg", "jpeg", "gif", "webp", "avif"];

/// `branding:` in `site.yaml`, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBranding {
    #[serde(default)]
    pub(super) logo: Option<String>,
    /// A colour, or `{ light: ..., dark: ... }`: read by the validator, which says what to
    /// write when it is neither.
    #[serde(default)]
    pub(super) accent: Option<serde_yaml::Value>,
    #[serde(default)]
    pub(super) organisation: Option<RawOrganisation>,
}

/// `organisation:`, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOrganisation {
    pub(super) name: Localized,
    #[serde(default)]
    pub(super) address: Option<Localized>,
    #[serde(default)]
    pub(super) email: Option<String>,
    #[serde(default)]
    pub(super) phone: Option<String>,
    #[serde(default)]
    pub(super) url: Option<String>,
}

/// The site's own look, validated.
#[derive(Debug, Clone, Default)]
pub(crate) struct Branding {
    /// The favicon, a path below the output root (a file of `static/` or of the theme's).
    pub favicon: String,
    /// The logo shown in the header, a path below the output root.
    pub logo: Option<String>,
    /// The accent colour of links and controls in the light scheme (`#rrggbb`).
    pub accent: Option<String>,
    /// The same in the dark scheme.
    pub accent_dark: Option<String>,
    /// Who publishes the site, for the footer.
    pub organisation: Option<Organisation>,
}

/// The footer's organisation details.
#[derive(Debug, Clone)]
pub(crate) struct Organisation {
    /// Its name.
    pub name: Localized,
    /// Its postal address.
    pub address: Option<Localized>,
    /// A contact e-mail address.
    pub email: Option<String>,
    /// A contact telephone number.
    pub phone: Option<String>,
    /// Its own web site.
    pub url: Option<String>,
}

impl Validator<'_, '_> {
    /// `favicon:` and `branding:`.
    pub(super) fn branding(
        &mut self,
        favicon: Option<String>,
        raw: Option<RawBranding>,
        langs: &[super::Lang],
    ) -> Branding {
        let favicon = match favicon {
            Some(path) => self.image_path(&["favicon"], &path).unwrap_or_else(|| DEFAULT_FAVICON.to_string()),
            None => DEFAULT_FAVICON.to_string(),
        };
        let Some(raw) = raw else { return Branding { favicon, ..Branding::default() } };
        let logo = raw.logo.and_then(|p| self.image_path(&["branding", "logo"], &p));
        let (accent, accent_dark) = raw.accent.map(|a| self.accents(&a)).unwrap_or_default();
        let organisation = raw.organisation.map(|o| {
            let name = ["branding", "organisation", "name"];
            let named = Named { what: "`branding.organisation.name`", noun: "text" };
            self.texts(named, &o.name, At::Path(&name), langs);
            if let Some(address) = &o.address {
                let path = ["branding", "organisation", "address"];
                let named = Named { what: "`branding.organisation.address`", noun: "text" };
                self.texts(named, address, At::Path(&path), langs);
            }
            let email = o.email.filter(|e| self.email(e));
            let url = o.url.filter(|u| self.organisation_url(u));
            Organisation { name: o.name, address: o.address, email, phone: o.phone, url }
        });
        Branding { favicon, logo, accent, accent_dark, organisation }
    }

    /// `accent:`: a colour (the light scheme's; the dark scheme keeps the theme's), or
    /// `{ light: ..., dark: ... }`.
    fn accents(&mut self, raw: &serde_yaml::Value) -> (Option<String>, Option<String>) {
        use serde_yaml::Value;
        const HOW: &str = "write a colour, `accent: \"#0b5cad\"` (for the light scheme; the dark scheme then keeps the theme's), or both, `accent: { light: \"#0b5cad\", dark: \"#7cb8f5\" }`";
        let path = ["branding", "accent"];
        match raw {
            Value::String(light) => (self.accent(&path, light, Scheme::Light), None),
            Value::Mapping(map) => {
                let mut colours = [None, None];
                let mut unknown = false;
                for (key, value) in map {
                    let name = key.as_str().unwrap_or_default();
                    let slot = match name {
                        "light" => 0,
                        "dark" => 1,
                        other => {
                            let pos = self.loc.key(&["branding", "accent", other]);
                            let h = hint(other, ["light", "dark"]);
                            self.err(
                                pos,
                                format!("`branding.accent` has no key `{other}`{h}: its keys are `light` and `dark`"),
                            );
                            unknown = true;
                            continue;
                        }
                    };
                    let Some(text) = value.as_str() else {
                        let pos = self.loc.value(&["branding", "accent", name]);
                        self.err(pos, format!("`branding.accent.{name}` is not a colour: write it as `#rrggbb` in quotes, e.g. `{name}: \"#0b5cad\"`"));
                        continue;
                    };
                    colours[slot] = Some(text.to_string());
                }
                match colours {
                    [Some(light), Some(dark)] => (
                        self.accent(&["branding", "accent", "light"], &light, Scheme::Light),
                        self.accent(&["branding", "accent", "dark"], &dark, Scheme::Dark),
                    ),
                    [light, dark] => {
                        let (given, missing) = if light.is_none() { ("dark", "light") } else { ("light", "dark") };
                        if !unknown && (light.is_some() || dark.is_some()) {
                            let pos = self.loc.value(&path);
                            self.err(pos, format!("`branding.accent` gives the {given} scheme's colour but not the {missing} one: {HOW}"));
                        }
                        (None, None)
                    }
                }
            }
            _ => {
                let pos = self.loc.value(&path);
                self.err(pos, format!("`branding.accent` is not a colour: {HOW}"));
                (None, None)
            }
        }
    }

    /// A logo or favicon: an image file of the site (`img/logo.svg` for `static/img/logo.svg`),
    /// as the output names it. Whether the file exists is checked with the site's files
    /// ([`check_files`]).
    fn image_path(&mut self, path: &[&str], raw: &str) -> Option<String> {
        let key = path.join(".");
        let pos = self.loc.value(path);
        let trimmed = raw.trim();
        if trimmed.starts_with("//") || trimmed.contains("://") {
            self.err(
                pos,
                format!("`{key}` is `{raw}`, an address on another host, and a guidebook site loads nothing from another host: copy the image into `static/` (e.g. `static/img/logo.svg`) and write `{}: img/logo.svg`", path.last().copied().unwrap_or_default()),
            );
            return None;
        }
        let bare = trimmed.trim_start_matches('/');
        let clean = bare.strip_prefix("static/").unwrap_or(bare);
        let ok = !clean.is_empty()
            && !clean.contains('\\')
            && !clean.contains(':')
            && clean.split('/').all(|s| !s.is_empty() && s != "." && s != "..");
        if !ok {
            self.err(
                pos,
                format!("`{key}` is `{raw}`, which is not a file of `static/`: write a path such as `img/logo.svg` for `static/img/logo.svg`"),
            );
            return None;
        }
        let favicon = path == ["favicon"];
        let ext = clean.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if !(IMAGE_TYPES.contains(&ext.as_str()) || favicon && ext == "ico") {
            let mut types: Vec<String> = IMAGE_TYPES.iter().map(|t| format!(".{t}")).collect();
            if favicon {
                types.push(".ico".into());
            }
            self.err(
                pos,
                format!(
                    "`{key}` is `{raw}`, which is not an image that browsers show: use a {} file",
                    super::quote_list(&types)
                ),
            );
            return None;
        }
        Some(clean.to_string())
    }

    /// An accent colour: `#rrggbb` (or `#rgb`), meeting every ratio of [`PAIRS`] in its
    /// scheme.
    fn accent(&mut self, path: &[&str], raw: &str, scheme: Scheme) -> Option<String> {
        let pos = self.loc.value(path);
        let Some(colour) = parse_hex(raw) else {
            self.err(
                pos,
                format!(
                    "`{}` is `{raw}`, which is not a colour: write it as `#rrggbb`, e.g. `#0b5cad`",
                    path.join(".")
                ),
            );
            return None;
        };
        let failing = shortfalls(colour, scheme);
        let hex = to_hex(colour);
        let Some(worst) = failing.first() else { return Some(hex) };
        let mut others: Vec<String> = failing[1..]
            .iter()
            .take(if failing.len() > 4 { 2 } else { 3 })
            .map(|f| format!("the {} `{}` ({})", f.pair.role, f.background, ratio_text(f.ratio)))
            .collect();
        if failing.len() > 4 {
            others.push(format!("{} more colours of the theme", failing.len() - 3));
        }
        let also = match others.split_last() {
            None => String::new(),
            Some((last, [])) => format!("; also too low against {last}"),
            Some((last, rest)) => format!("; also too low against {} and {last}", rest.join(", ")),
        };
        let fix = match suggest(colour, scheme) {
            Some(c) => format!(", such as `{}`, the closest that meets every ratio of the theme", to_hex(c)),
            None => String::new(),
        };
        self.err(
            pos,
            format!(
                "accent colour `{hex}` against the {} scheme's {} `{}` has a contrast ratio of {}, below the {}:1 that WCAG 2.1 asks of {}{also}: choose a {} colour{fix}",
                scheme.name(),
                worst.pair.role,
                worst.background,
                ratio_text(worst.ratio),
                worst.pair.need,
                worst.pair.of,
                scheme.towards(),
            ),
        );
        None
    }

    fn email(&mut self, raw: &str) -> bool {
        let ok = raw
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !raw.contains(char::is_whitespace));
        if !ok {
            let pos = self.loc.value(&["branding", "organisation", "email"]);
            self.err(pos, format!("`branding.organisation.email` is `{raw}`, which is not an e-mail address: write it like `contact@example.org`"));
        }
        ok
    }

    fn organisation_url(&mut self, raw: &str) -> bool {
        let ok = url::Url::parse(raw).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !ok {
            let pos = self.loc.value(&["branding", "organisation", "url"]);
            self.err(pos, format!("`branding.organisation.url` is `{raw}`, which is not a web address: write it like `https://example.org/`"));
        }
        ok
    }
}

/// A colour scheme of the theme.
#[derive(Clone, Copy)]
enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    fn name(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }

    /// Which way an accent colour must move to stand out from this scheme's backgrounds.
    fn towards(self) -> &'static str {
        match self {
            Scheme::Light => "darker",
            Scheme::Dark => "lighter",
        }
    }
}

/// A pair of [`PAIRS`] whose ratio an accent colour does not meet.
struct Shortfall {
    pair: &'static Pair,
    background: &'static str,
    ratio: f64,
}

/// The pairs of `scheme` that `colour` does not meet, the farthest below first.
fn shortfalls(colour: [u8; 3], scheme: Scheme) -> Vec<Shortfall> {
    let mut out: Vec<Shortfall> = Vec::new();
    for pair in &PAIRS {
        let background = match scheme {
            Scheme::Light => pair.light,
            Scheme::Dark => pair.dark,
        };
        let ratio = parse_hex(background).map_or(21.0, |b| contrast_ratio(colour, b));
        let known = out.iter().any(|f| f.background == background);
        if ratio < pair.need && !known {
            out.push(Shortfall { pair, background, ratio });
        }
    }
    out.sort_by(|a, b| (a.ratio / a.pair.need).total_cmp(&(b.ratio / b.pair.need)));
    out
}

/// The colour nearest `colour`, on the way to black (light scheme) or white (dark), that
/// meets every pair of the scheme.
fn suggest(colour: [u8; 3], scheme: Scheme) -> Option<[u8; 3]> {
    let target = match scheme {
        Scheme::Light => 0.0,
        Scheme::Dark => 255.0,
    };
    (1..=100)
        .map(|step| {
            let t = f64::from(step) / 100.0;
            colour.map(|c| (f64::from(c) + (target - f64::from(c)) * t).round() as u8)
        })
        .find(|c| shortfalls(*c, scheme).is_empty())
}

/// `4.12:1`: rounded down, so that a ratio shown as 4.50:1 always meets 4.5:1.
fn ratio_text(ratio: f64) -> String {
    format!("{:.2}:1", (ratio * 100.0).floor() / 100.0)
}

fn to_hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// `#rrggbb` or `#rgb` as red, green and blue.
pub(crate) fn parse_hex(raw: &str) -> Option<[u8; 3]> {
    let hex = raw.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize, len: usize| u8::from_str_radix(&hex[i..i + len], 16).ok();
    match hex.len() {
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
        _ => None,
    }
}

/// The relative luminance of a colour, as WCAG 2.1 defines it
/// (<https://www.w3.org/TR/WCAG21/#dfn-relative-luminance>):
/// `L = 0.2126 R + 0.7152 G + 0.0722 B`, where each of R, G and B is the sRGB channel
/// `c = value / 255` linearised as `c / 12.92` when `c <= 0.03928`, else
/// `((c + 0.055) / 1.055) ^ 2.4`.
pub(crate) fn relative_luminance(rgb: [u8; 3]) -> f64 {
    let linear = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// The contrast ratio of two colours, as WCAG 2.1 defines it
/// (<https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio>): `(L1 + 0.05) / (L2 + 0.05)`,
/// L1 the relative luminance of the lighter colour, L2 of the darker; 1 to 21.
pub(crate) fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    let (light, dark) = if la >= lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// Reports a `favicon:` or `branding.logo` that names no file of the site (`files`: the
/// theme's and the site's static files, and the files beside the pages, as the output
/// names them), at its place in `text` (the text of `site.yaml`).
pub(crate) fn check_files(
    config: &super::Config,
    text: &str,
    files: &[&str],
    diags: &mut crate::diagnostics::Diagnostics,
) {
    let loc = crate::yaml::Locator::new(text.strip_prefix('\u{feff}').unwrap_or(text), 1);
    let branding = &config.branding;
    let favicon = (branding.favicon != DEFAULT_FAVICON).then_some((&["favicon"][..], &branding.favicon));
    let logo = branding.logo.as_ref().map(|l| (&["branding", "logo"][..], l));
    for (path, file) in favicon.into_iter().chain(logo) {
        if files.contains(&file.as_str()) {
            continue;
        }
        let images = files.iter().copied().filter(|f| {
            f.rsplit_once('.')
                .is_some_and(|(_, e)| IMAGE_TYPES.contains(&e.to_ascii_lowercase().as_str()) || e == "ico")
        });
        diags.error(
            super::CONFIG_FILE,
            loc.value(path),
            "config",
            format!(
                "`{}` is `{file}`, but the site has no file `static/{file}`{}: put the image there, or correct the path",
                path.join("."),
                hint(file, images)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The custom properties of one block of the theme's style sheet (`--bg: #ffffff;`).
    fn properties(block: &str) -> Vec<(String, String)> {
        block
            .split(';')
            .filter_map(|decl| decl.trim().split_once(':'))
            .filter(|(name, _)| name.trim().starts_with("--"))
            .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
            .collect()
    }

    /// The colours checked are the theme's own, in both schemes.
    #[test]
    fn the_pairs_hold_the_themes_colours() {
        let css = include_str!("../../themes/default/static/css/guidebook.css");
        let root = css.split(":root {").nth(1).and_then(|r| r.split('}').next()).unwrap_or_default();
        let dark =
            css.split(":root[data-scheme=\"dark\"] {").nth(1).and_then(|r| r.split('}').next()).unwrap_or_default();
        let system = css
            .split(":root:not([data-scheme=\"light\"]) {")
            .nth(1)
            .and_then(|r| r.split('}').next())
            .unwrap_or_default();
        let (root, dark, system) = (properties(root), properties(dark), properties(system));
        assert_eq!(dark, system, "the two dark blocks differ");
        let value =
            |props: &[(String, String)], var: &str| props.iter().find(|(n, _)| n == var).map(|(_, v)| v.clone());
        for pair in &PAIRS {
            assert_eq!(value(&root, pair.var).as_deref(), Some(pair.light), "{} (light)", pair.var);
            assert_eq!(value(&dark, pair.var).as_deref(), Some(pair.dark), "{} (dark)", pair.var);
        }
        // Every background that accent-coloured text sits on is in the table.
        for var in ["--bg", "--panel", "--selected", "--notice-bg", "--stale-bg", "--on-accent"] {
            assert!(PAIRS.iter().any(|p| p.var == var && p.need == 4.5), "{var}");
        }
    }

    #[test]
    fn contrast_ratios_are_those_of_wcag() {
        assert!((contrast_ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio([255, 255, 255], [255, 255, 255]) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        let grey = contrast_ratio([0x76, 0x76, 0x76], [255, 255, 255]);
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
        assert_eq!(parse_hex("#0B5CAD"), Some([0x0b, 0x5c, 0xad]));
        assert_eq!(parse_hex("#fff"), Some([255, 255, 255]));
        assert_eq!(parse_hex("0b5cad"), None);
        assert_eq!(parse_hex("#0b5cag"), None);
    }

    #[test]
    fn the_theme_accents_pass_their_own_check() {
        let light = parse_hex("#0b5cad").unwrap_or_default();
        let dark = parse_hex("#7cb8f5").unwrap_or_default();
        assert!(shortfalls(light, Scheme::Light).is_empty());
        assert!(shortfalls(dark, Scheme::Dark).is_empty());
    }

    #[test]
    fn a_suggested_colour_meets_every_pair() {
        let grey = parse_hex("#767676").unwrap_or_default();
        let fixed = suggest(grey, Scheme::Light).unwrap_or_default();
        assert!(shortfalls(fixed, Scheme::Light).is_empty());
        assert!(!shortfalls(grey, Scheme::Light).is_empty());
    }
}
