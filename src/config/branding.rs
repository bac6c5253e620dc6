//! Load stage: an authority's own look, from `site.yaml` without forking the theme: the
//! favicon (`favicon:`), and `branding:` (a logo, an accent colour, the footer's
//! organisation details). The accent colour is checked against the theme's backgrounds
//! with the contrast ratios of WCAG 2.1 (success criteria 1.4.3 and 1.4.11).

use super::validate::Validator;
use super::Localized;
use serde::Deserialize;

/// The favicon of a site that declares none: the theme's own (`static/favicon.svg`).
pub(crate) const DEFAULT_FAVICON: &str = "favicon.svg";

/// The theme's backgrounds an accent colour is shown on, light scheme: the page (`--bg`)
/// and the panels (`--panel`: facts box, table headers). Keep in step with
/// `themes/default/static/css/guidebook.css`.
pub(crate) const LIGHT_BACKGROUNDS: [(&str, &str); 2] =
    [("page background", "#ffffff"), ("panel background", "#f3f5f7")];
/// The same in the dark scheme.
pub(crate) const DARK_BACKGROUNDS: [(&str, &str); 2] =
    [("page background", "#14181c"), ("panel background", "#1f252b")];

/// `branding:` in `site.yaml`, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBranding {
    #[serde(default)]
    pub(super) logo: Option<String>,
    #[serde(default)]
    pub(super) accent: Option<RawAccent>,
    #[serde(default)]
    pub(super) organisation: Option<RawOrganisation>,
}

/// `accent:`: one colour (the light scheme's; the dark scheme keeps the theme's), or one
/// per scheme.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawAccent {
    One(String),
    Schemes {
        light: String,
        #[serde(default)]
        dark: Option<String>,
    },
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
    pub(super) fn branding(&mut self, favicon: Option<String>, raw: Option<RawBranding>) -> Branding {
        let favicon = match favicon {
            Some(path) => self.static_path(&["favicon"], &path).unwrap_or_else(|| DEFAULT_FAVICON.to_string()),
            None => DEFAULT_FAVICON.to_string(),
        };
        let Some(raw) = raw else { return Branding { favicon, ..Branding::default() } };
        let logo = raw.logo.and_then(|p| self.static_path(&["branding", "logo"], &p));
        let (accent, accent_dark) = match raw.accent {
            None => (None, None),
            Some(RawAccent::One(light)) => {
                (self.accent(&["branding", "accent"], &light, &LIGHT_BACKGROUNDS, "light"), None)
            }
            Some(RawAccent::Schemes { light, dark }) => (
                self.accent(&["branding", "accent", "light"], &light, &LIGHT_BACKGROUNDS, "light"),
                dark.and_then(|d| self.accent(&["branding", "accent", "dark"], &d, &DARK_BACKGROUNDS, "dark")),
            ),
        };
        let organisation = raw.organisation.map(|o| {
            let email = o.email.filter(|e| self.email(e));
            let url = o.url.filter(|u| self.organisation_url(u));
            Organisation { name: o.name, address: o.address, email, phone: o.phone, url }
        });
        Branding { favicon, logo, accent, accent_dark, organisation }
    }

    /// A path of a file under `static/` (`img/logo.svg`), as the output names it.
    fn static_path(&mut self, path: &[&str], raw: &str) -> Option<String> {
        let clean =
            raw.trim().trim_start_matches('/').strip_prefix("static/").unwrap_or(raw.trim().trim_start_matches('/'));
        let ok = !clean.is_empty()
            && !clean.contains('\\')
            && !clean.contains(':')
            && clean.split('/').all(|s| !s.is_empty() && s != "." && s != "..");
        if ok {
            return Some(clean.to_string());
        }
        let pos = self.loc.value(path);
        self.err(
            pos,
            format!("`{}` is `{raw}`, which is not a file of `static/`: write a path such as `img/logo.svg` for `static/img/logo.svg`", path.join(".")),
        );
        None
    }

    /// An accent colour: `#rrggbb` (or `#rgb`), readable as link text on the scheme's
    /// page background (4.5:1) and as a control on its panels (3:1).
    fn accent(&mut self, path: &[&str], raw: &str, backgrounds: &[(&str, &str)], scheme: &str) -> Option<String> {
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
        let hex = format!("#{:02x}{:02x}{:02x}", colour[0], colour[1], colour[2]);
        for (i, (what, bg)) in backgrounds.iter().enumerate() {
            let (need, use_) = if i == 0 { (4.5, "link text") } else { (3.0, "controls") };
            let ratio = parse_hex(bg).map_or(21.0, |b| contrast_ratio(colour, b));
            if ratio < need {
                self.err(
                    pos,
                    format!(
                        "accent colour `{hex}` on the {scheme} scheme's {what} `{bg}` has a contrast ratio of {:.2}:1, below the {need}:1 that WCAG 2.1 asks of {use_}: choose a {} colour",
                        (ratio * 100.0).floor() / 100.0,
                        if scheme == "light" { "darker" } else { "lighter" }
                    ),
                );
                return None;
            }
        }
        Some(hex)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The backgrounds checked are the theme's own, in both schemes.
    #[test]
    fn backgrounds_are_the_themes() {
        let css = include_str!("../../themes/default/static/css/guidebook.css");
        for (light, dark) in LIGHT_BACKGROUNDS.iter().zip(DARK_BACKGROUNDS.iter()) {
            assert!(css.contains(light.1), "{} {} not in the theme", light.0, light.1);
            assert!(css.contains(dark.1), "{} {} not in the theme", dark.0, dark.1);
        }
        assert!(css.contains("--bg: #14181c; --panel: #1f252b;"));
        assert!(css.contains("--bg: #ffffff;\n  --panel: #f3f5f7;"));
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
        for (_, bg) in LIGHT_BACKGROUNDS {
            assert!(contrast_ratio(light, parse_hex(bg).unwrap_or_default()) >= 4.5);
        }
    }
}
