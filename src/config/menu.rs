//! `menu:` and `footer:` in `site.yaml`: the main navigation and the footer's links, each
//! entry pointing at a section or a page by id, with a short label per language.
//!
//! Load stage: the shape and the sections are checked with the configuration; page ids
//! once the pages are read ([`check_pages`]).

use super::raw::RawMenuEntry;
use super::validate::Validator;
use super::{Lang, Localized, CONFIG_FILE};
use crate::diagnostics::{hint, Diagnostics, Pos};

/// What a menu entry points at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MenuTarget {
    /// A section, by folder name.
    Section(String),
    /// A page, by id.
    Page(String),
    /// A group of entries under one label (a disclosure list).
    Group(Vec<MenuEntry>),
}

/// An entry of `menu:` or `footer:`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MenuEntry {
    /// What it points at.
    pub target: MenuTarget,
    /// Its short label; a missing language takes the default language's label.
    pub label: Option<Localized>,
    /// Where the target is named in `site.yaml`, for messages.
    pub pos: Pos,
}

/// The main menu and the footer's links. `menu` is `None` when `site.yaml` has no
/// `menu:`: the sections, then the root pages under an "About" group.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct MenuConfig {
    /// `menu:`, as declared.
    pub menu: Option<Vec<MenuEntry>>,
    /// `footer:`: pages linked from the footer (and left out of the default "About").
    pub footer: Vec<MenuEntry>,
}

impl MenuConfig {
    /// Whether `id` is linked from the footer.
    pub(crate) fn in_footer(&self, id: &str) -> bool {
        self.footer.iter().any(|e| e.target == MenuTarget::Page(id.to_string()))
    }
}

impl Validator<'_, '_> {
    /// Checks `menu:` and `footer:` against the sections and languages.
    pub(super) fn menu(
        &mut self,
        menu: Option<Vec<RawMenuEntry>>,
        footer: Vec<RawMenuEntry>,
        sections: &[&str],
        langs: &[Lang],
    ) -> MenuConfig {
        MenuConfig {
            menu: menu.map(|m| m.into_iter().filter_map(|e| self.menu_entry(e, "menu", sections, langs)).collect()),
            footer: footer.into_iter().filter_map(|e| self.menu_entry(e, "footer", sections, langs)).collect(),
        }
    }

    fn menu_entry(&mut self, raw: RawMenuEntry, key: &str, sections: &[&str], langs: &[Lang]) -> Option<MenuEntry> {
        let RawMenuEntry { section, page, pages, label } = raw;
        self.menu_label(&label, key, langs);
        let target = match (section, page, pages) {
            (Some(s), None, None) => {
                let pos = self.loc.item(&[key], &s);
                if !sections.contains(&s.as_str()) {
                    let known = super::quote_list(&sections.iter().map(|s| s.to_string()).collect::<Vec<_>>());
                    self.err(
                        pos,
                        format!("`{key}:` names section `{s}`, which `sections:` does not declare{}; the sections are {known}", hint(&s, sections.iter().copied())),
                    );
                    return None;
                }
                return Some(MenuEntry { target: MenuTarget::Section(s), label, pos });
            }
            (None, Some(p), None) => {
                let pos = self.loc.item(&[key], &format!("page: {p}"));
                return Some(MenuEntry { target: MenuTarget::Page(p), label, pos });
            }
            (None, None, Some(entries)) if key == "menu" && label.is_some() => MenuTarget::Group(
                entries.into_iter().filter_map(|e| self.menu_entry(e, key, sections, langs)).collect(),
            ),
            _ => {
                let pos = self.loc.value(&[key]);
                self.err(
                    pos,
                    format!(
                        "each entry of `{key}:` has one of `section: <name>` or `page: <id>`{}",
                        if key == "menu" { ", or a `label:` with `pages:` (a group)" } else { "" }
                    ),
                );
                return None;
            }
        };
        Some(MenuEntry { target, label, pos: self.loc.value(&[key]) })
    }

    /// A label given per language must have the default language's, which the others
    /// fall back to.
    fn menu_label(&mut self, label: &Option<Localized>, key: &str, langs: &[Lang]) {
        let (Some(Localized::Many(m)), Some(default)) = (label, langs.first()) else { return };
        if !m.contains_key(default.as_str()) {
            let first = m.keys().next().cloned().unwrap_or_default();
            let pos = self.loc.item(&[key], &format!("{first}:"));
            self.err(pos, format!("this label has no `{default}` text, which the languages without their own label show: add `{default}: ...`"));
        }
    }
}

/// Reports the page ids of `menu` that no page has, with the closest id.
pub(crate) fn check_pages(menu: &MenuConfig, ids: &[&str], diags: &mut Diagnostics) {
    fn walk(entries: &[MenuEntry], key: &str, ids: &[&str], diags: &mut Diagnostics) {
        for e in entries {
            match &e.target {
                MenuTarget::Page(p) if !ids.contains(&p.as_str()) => diags.error(
                    CONFIG_FILE,
                    e.pos,
                    "config",
                    format!("`{key}:` names page `{p}`, which no page has as id{}: use a page's id, its file name without the language", hint(p, ids.iter().copied())),
                ),
                MenuTarget::Group(inner) => walk(inner, key, ids, diags),
                _ => {}
            }
        }
    }
    walk(menu.menu.as_deref().unwrap_or_default(), "menu", ids, diags);
    walk(&menu.footer, "footer", ids, diags);
}
