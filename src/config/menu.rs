//! `menu:` and `footer:` in `site.yaml`: the main navigation and the footer's links, each
//! entry pointing at a section or a page by id, with a short label per language.
//!
//! Load stage: the shape and the sections are checked with the configuration; page ids
//! once the pages are read ([`check_pages`]).

use super::raw::RawMenuEntry;
use super::validate::Validator;
use super::{Lang, Localized, CONFIG_FILE};
use crate::diagnostics::{hint, Diagnostics, Pos};
use std::collections::BTreeSet;

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

/// What checking one list (`menu:` or `footer:`) needs to know.
struct MenuCtx<'a> {
    key: &'a str,
    sections: &'a [&'a str],
    langs: &'a [Lang],
    /// Where the last entry found stands: the next one is searched from there.
    cursor: Pos,
    /// The sections and pages met so far, with where.
    seen: Vec<(MenuTarget, Pos)>,
}

impl Validator<'_, '_> {
    /// Checks `menu:` and `footer:` against the sections and languages. An empty `menu: []`
    /// is refused (a site without navigation leaves readers stranded on the home page).
    pub(super) fn menu(
        &mut self,
        menu: Option<Vec<RawMenuEntry>>,
        footer: Vec<RawMenuEntry>,
        sections: &[&str],
        langs: &[Lang],
    ) -> MenuConfig {
        if menu.as_ref().is_some_and(Vec::is_empty) {
            let pos = self.loc.value(&["menu"]);
            self.err(pos, "`menu:` is empty: list its entries (`- section: <name>` or `- page: <id>`), or remove `menu:` to get the default menu (the sections, then the other pages under \"About\")".into());
        }
        let list = |v: &mut Self, key: &str, entries: Vec<RawMenuEntry>| {
            let cursor = v.loc.key(&[key]);
            let mut ctx = MenuCtx { key, sections, langs, cursor, seen: Vec::new() };
            entries.into_iter().filter_map(|e| v.menu_entry(e, &mut ctx, false)).collect::<Vec<_>>()
        };
        let menu = menu.map(|m| list(self, "menu", m));
        let footer = list(self, "footer", footer);
        MenuConfig { menu, footer }
    }

    /// One entry, found in `site.yaml` from `ctx.cursor` on; the cursor ends past it.
    fn menu_entry(&mut self, raw: RawMenuEntry, ctx: &mut MenuCtx<'_>, nested: bool) -> Option<MenuEntry> {
        let label_at = raw.label.as_ref().map(|l| {
            let at = self.loc.find_after(ctx.cursor, "label:").unwrap_or(ctx.cursor);
            let named = super::texts::Named { what: "this label", noun: "label" };
            self.texts(named, l, super::texts::At::After(at), ctx.langs);
            at
        });
        let entry = self.menu_target(raw, ctx, nested);
        // A label written after the target is this entry's, not the next one's.
        if let Some(at) = label_at.filter(|at| (at.line, at.column) > (ctx.cursor.line, ctx.cursor.column)) {
            ctx.cursor = Pos::new(at.line, at.column + "label:".len());
        }
        entry
    }

    fn menu_target(&mut self, raw: RawMenuEntry, ctx: &mut MenuCtx<'_>, nested: bool) -> Option<MenuEntry> {
        let RawMenuEntry { section, page, pages, label } = raw;
        let start = ctx.cursor;
        let key = ctx.key;
        let target = match (section, page, pages) {
            (Some(s), None, None) => {
                let pos = self.menu_pos(ctx, &format!("section: {s}"), "section: ".len());
                if !ctx.sections.contains(&s.as_str()) {
                    let known = super::quote_list(&ctx.sections.iter().map(|s| s.to_string()).collect::<Vec<_>>());
                    self.err(
                        pos,
                        format!("`{key}:` names section `{s}`, which `sections:` does not declare{}; the sections are {known}", hint(&s, ctx.sections.iter().copied())),
                    );
                    return None;
                }
                return self.menu_once(ctx, MenuEntry { target: MenuTarget::Section(s), label, pos });
            }
            (None, Some(p), None) => {
                let pos = self.menu_pos(ctx, &format!("page: {p}"), 0);
                return self.menu_once(ctx, MenuEntry { target: MenuTarget::Page(p), label, pos });
            }
            (None, None, Some(entries)) if key == "menu" && label.is_some() => {
                let pos = self.menu_pos(ctx, "pages:", 0);
                if nested {
                    self.err(pos, "this group is inside another group, but the menu's groups have one level: move its entries into the outer group, or make it an entry of `menu:` itself".into());
                    return None;
                }
                if entries.is_empty() {
                    self.err(pos, "this group has no pages: list them under `pages:` (`- page: <id>` or `- section: <name>`), or remove the group".into());
                    return None;
                }
                MenuTarget::Group(entries.into_iter().filter_map(|e| self.menu_entry(e, ctx, true)).collect())
            }
            _ => {
                let pos = self
                    .loc
                    .find_after(start, "- ")
                    .map_or_else(|| self.loc.value(&[key]), |p| Pos::new(p.line, p.column + 2));
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
        Some(MenuEntry { target, label, pos: start })
    }

    /// Where `needle` stands from the cursor on (moved past it), `shift` characters in.
    fn menu_pos(&self, ctx: &mut MenuCtx<'_>, needle: &str, shift: usize) -> Pos {
        match self.loc.find_after(ctx.cursor, needle) {
            Some(p) => {
                ctx.cursor = Pos::new(p.line, p.column + needle.chars().count());
                Pos::new(p.line, p.column + shift)
            }
            None => self.loc.value(&[ctx.key]),
        }
    }

    /// `entry`, warning when the same section or page is already in the list.
    fn menu_once(&mut self, ctx: &mut MenuCtx<'_>, entry: MenuEntry) -> Option<MenuEntry> {
        if let Some((_, first)) = ctx.seen.iter().find(|(t, _)| *t == entry.target) {
            let what = match &entry.target {
                MenuTarget::Section(s) => format!("section `{s}`"),
                MenuTarget::Page(p) => format!("page `{p}`"),
                MenuTarget::Group(_) => String::new(),
            };
            let message =
                format!("`{}:` already links to {what} (line {}): remove one of the two entries", ctx.key, first.line);
            self.diags.warning(CONFIG_FILE, entry.pos, "config", message);
            return None;
        }
        ctx.seen.push((entry.target.clone(), entry.pos));
        Some(entry)
    }
}

/// Reports the page ids of `menu:` and `footer:` that no built page has: a draft (not
/// built), a section named as a page, else the closest id.
pub(crate) fn check_pages(config: &super::Config, ids: &[&str], drafts: &BTreeSet<String>, diags: &mut Diagnostics) {
    fn walk(entries: &[MenuEntry], key: &str, known: &Known<'_>, diags: &mut Diagnostics) {
        for e in entries {
            match &e.target {
                MenuTarget::Page(p) if !known.ids.contains(&p.as_str()) => {
                    let (code, message) = if known.drafts.contains(p) {
                        (crate::DRAFT_TARGET_CODE, format!("`{key}:` names page `{p}`, which is a draft and is not built: remove `draft: true` from it, {}, or remove the entry", crate::DRAFTS_FIX))
                    } else if known.sections.contains_key(p) {
                        ("config", format!("`{key}:` names page `{p}`, but `{p}` is a section: write `section: {p}`"))
                    } else {
                        ("config", format!("`{key}:` names page `{p}`, which no page has as id{}: use a page's id, its file name without the language", hint(p, known.ids.iter().copied())))
                    };
                    diags.error(CONFIG_FILE, e.pos, code, message);
                }
                MenuTarget::Group(inner) => walk(inner, key, known, diags),
                _ => {}
            }
        }
    }
    let known = Known { ids, drafts, sections: &config.sections };
    walk(config.menu.menu.as_deref().unwrap_or_default(), "menu", &known, diags);
    walk(&config.menu.footer, "footer", &known, diags);
}

/// The ids a menu may name.
struct Known<'a> {
    ids: &'a [&'a str],
    drafts: &'a BTreeSet<String>,
    sections: &'a indexmap::IndexMap<String, super::SectionConfig>,
}
