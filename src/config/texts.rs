//! Load stage: the checks every localised text of `site.yaml` passes (`{ en: ..., fr: ... }`
//! or one text for all languages): no empty text, no language the site does not declare,
//! and, when given per language, a text in the default language, which the other languages
//! fall back to.

use super::validate::Validator;
use super::{quote_list, Lang, Localized};
use crate::diagnostics::{hint, Pos};

/// Where a localised text stands in `site.yaml`.
#[derive(Clone, Copy)]
pub(super) enum At<'p> {
    /// The value of a key (`["branding", "organisation", "name"]`).
    Path(&'p [&'p str]),
    /// A text inside a list, found from this position on (the list entry's).
    After(Pos),
}

/// How a text is named in messages: `this label`, `` `branding.organisation.name` ``.
pub(super) struct Named<'a> {
    /// The text's name, as the message's subject.
    pub what: &'a str,
    /// What a language's own text is called (`label`, `text`), in "the languages without
    /// their own label".
    pub noun: &'a str,
}

impl Validator<'_, '_> {
    /// Checks `text`; `true` when it can be used as it is.
    pub(super) fn texts(&mut self, name: Named<'_>, text: &Localized, at: At<'_>, langs: &[Lang]) -> bool {
        let Named { what, noun } = name;
        let map = match text {
            Localized::One(s) => {
                if s.trim().is_empty() {
                    let pos = self.text_pos(at, None);
                    self.err(pos, format!("{what} is empty: write the text"));
                    return false;
                }
                return true;
            }
            Localized::Many(map) => map,
        };
        let mut ok = true;
        let codes: Vec<String> = langs.iter().map(|l| l.as_str().to_string()).collect();
        let Some(default) = codes.first() else { return true };
        for (code, value) in map {
            if !codes.contains(code) {
                let pos = self.text_pos(at, Some(code));
                let h = hint(code, codes.iter().map(String::as_str));
                self.err(
                    pos,
                    format!("{what} has a text in `{code}`, a language that `languages` does not declare{h}: use {}, or add `{code}` to `languages`", quote_list(&codes)),
                );
                ok = false;
            } else if value.trim().is_empty() {
                let pos = self.text_pos(at, Some(code));
                let fix = if code == default {
                    format!("write the `{code}` text, which the languages without their own {noun} show")
                } else {
                    format!("write the `{code}` text, or remove `{code}:` so that `{code}` pages show the `{default}` {noun}")
                };
                self.err(pos, format!("{what} is empty in `{code}`: {fix}"));
                ok = false;
            }
        }
        if !map.contains_key(default) {
            let first = map.keys().next().cloned();
            let pos = self.text_pos(at, first.as_deref());
            self.err(
                pos,
                format!("{what} has no `{default}` text, which the languages without their own {noun} show: add `{default}: ...`"),
            );
            ok = false;
        }
        ok
    }

    /// Where the text, or its `code:` key, is written.
    fn text_pos(&self, at: At<'_>, code: Option<&str>) -> Pos {
        match (at, code) {
            (At::Path(path), None) => self.loc.value(path),
            (At::Path(path), Some(code)) => {
                let mut p = path.to_vec();
                p.push(code);
                self.loc.key(&p)
            }
            (At::After(pos), None) => pos,
            (At::After(pos), Some(code)) => {
                // The key, not the end of a longer one (`el:` in `label:`).
                [format!(" {code}:"), format!("{{{code}:"), format!(",{code}:")]
                    .iter()
                    .filter_map(|needle| self.loc.find_after(pos, needle))
                    .min_by_key(|p| (p.line, p.column))
                    .map_or(pos, |p| Pos::new(p.line, p.column + 1))
            }
        }
    }
}
