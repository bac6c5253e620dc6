//! Load stage: `accessibility:` in `site.yaml`, the facts of the site's accessibility
//! statement (one page per language, `<lang>/accessibility/`), following the model
//! statement of Commission Implementing Decision (EU) 2018/1523: the conformance status,
//! the content that is not accessible, when and how the statement was prepared, whom to
//! contact, and the enforcement procedure.

use super::texts::{At, Named};
use super::validate::Validator;
use super::{Lang, Localized};
use crate::diagnostics::{hint, Pos};
use serde::Deserialize;

/// `accessibility:`, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStatement {
    #[serde(default)]
    pub(super) status: Option<String>,
    #[serde(default)]
    pub(super) prepared: Option<String>,
    #[serde(default)]
    pub(super) reviewed: Option<String>,
    #[serde(default)]
    pub(super) method: Option<String>,
    #[serde(default)]
    pub(super) non_accessible: Vec<Localized>,
    #[serde(default)]
    pub(super) contact: Option<RawContact>,
    #[serde(default)]
    pub(super) enforcement: Option<RawEnforcement>,
}

/// `accessibility.contact:`, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContact {
    #[serde(default)]
    pub(super) email: Option<String>,
    #[serde(default)]
    pub(super) phone: Option<String>,
}

/// `accessibility.enforcement:`, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEnforcement {
    #[serde(default)]
    pub(super) name: Option<Localized>,
    #[serde(default)]
    pub(super) url: Option<String>,
}

/// How far the site meets WCAG 2.1 level AA (EN 301 549).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conformance {
    /// `fully`.
    Full,
    /// `partially`.
    Partial,
    /// `not`.
    Not,
}

impl Conformance {
    /// Its name in `site.yaml` and in the interface strings' keys.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Conformance::Full => "fully",
            Conformance::Partial => "partially",
            Conformance::Not => "not",
        }
    }
}

/// The accessibility statement's facts, validated.
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    /// The conformance status.
    pub status: Conformance,
    /// When the statement was prepared.
    pub prepared: chrono::NaiveDate,
    /// When it was last reviewed.
    pub reviewed: Option<chrono::NaiveDate>,
    /// Whether a third party assessed the site (else the publisher did).
    pub third_party: bool,
    /// What is not accessible, and why; one text per item.
    pub non_accessible: Vec<Localized>,
    /// Where to report a problem.
    pub email: String,
    /// A telephone number for the same.
    pub phone: Option<String>,
    /// The enforcement body's name.
    pub enforcement_name: Localized,
    /// Its web address.
    pub enforcement_url: String,
}

/// The conformance statuses, as `site.yaml` writes them.
const STATUSES: [&str; 3] = ["fully", "partially", "not"];

impl Validator<'_, '_> {
    /// `accessibility:`.
    pub(super) fn statement(&mut self, raw: RawStatement, langs: &[Lang]) -> Option<Statement> {
        let here = ["accessibility"];
        let status = self.required(
            raw.status,
            &here,
            "status",
            "`status: partially` (`fully`, `partially` or `not` compliant with WCAG 2.1 level AA)",
        );
        let status = status.and_then(|s| self.status(&s, raw.non_accessible.is_empty()));
        let prepared = self.required(
            raw.prepared,
            &here,
            "prepared",
            "`prepared: 2024-05-14`, the day the statement was prepared",
        );
        let prepared = prepared.and_then(|d| self.statement_date("prepared", &d));
        let reviewed = raw.reviewed.as_deref().and_then(|d| self.statement_date("reviewed", d));
        if let (Some(p), Some(r)) = (prepared, reviewed) {
            if r < p {
                let pos = self.loc.value(&["accessibility", "reviewed"]);
                self.err(pos, format!("`accessibility.reviewed` is {r}, before `prepared` ({p}): a statement is reviewed after it is prepared; correct one of the dates"));
            }
        }
        let third_party = match raw.method.as_deref() {
            None | Some("self-assessment") => false,
            Some("third-party") => true,
            Some(other) => {
                let pos = self.loc.value(&["accessibility", "method"]);
                let h = hint(other, ["self-assessment", "third-party"]);
                self.err(
                    pos,
                    format!("`accessibility.method` is `{other}`{h}: write `self-assessment` or `third-party`"),
                );
                false
            }
        };
        self.non_accessible(&raw.non_accessible, langs);
        let contact = self.required(
            raw.contact,
            &here,
            "contact",
            "`contact: { email: accessibility@example.org }`, where readers report a problem",
        );
        let email = contact.as_ref().and_then(|c| {
            let email = self.required(
                c.email.clone(),
                &["accessibility", "contact"],
                "email",
                "`email: accessibility@example.org`",
            )?;
            self.statement_email(email)
        });
        let enforcement = self.required(raw.enforcement, &here, "enforcement", "`enforcement: { name: { en: The Ombudsman }, url: \"https://example.org/complaints\" }`, the body readers turn to when their report gets no answer");
        let (enforcement_name, enforcement_url) = match enforcement {
            Some(e) => self.enforcement(e, langs),
            None => (None, None),
        };
        Some(Statement {
            status: status?,
            prepared: prepared?,
            reviewed,
            third_party,
            non_accessible: raw.non_accessible,
            email: email?,
            phone: contact.and_then(|c| c.phone),
            enforcement_name: enforcement_name?,
            enforcement_url: enforcement_url?,
        })
    }

    /// `value`, or an error at `parent` saying what to write, with an example.
    fn required<T>(&mut self, value: Option<T>, parent: &[&str], key: &str, example: &str) -> Option<T> {
        if value.is_none() {
            let pos = self.loc.key(parent);
            self.err(pos, format!("`{}:` has no `{key}`: add it, e.g. {example}", parent.join(".")));
        }
        value
    }

    fn status(&mut self, raw: &str, nothing_listed: bool) -> Option<Conformance> {
        let status = match raw {
            "fully" => Conformance::Full,
            "partially" => Conformance::Partial,
            "not" => Conformance::Not,
            other => {
                let pos = self.loc.value(&["accessibility", "status"]);
                // `partial`, `partly`, `full`: the beginning of a status names it.
                let lower = other.to_lowercase();
                let near = STATUSES
                    .iter()
                    .find(|s| {
                        lower.len() >= 3 && (s.starts_with(lower.as_str()) || lower.starts_with(&s[..4.min(s.len())]))
                    })
                    .map_or_else(|| hint(other, STATUSES), |s| format!(" (did you mean `{s}`?)"));
                self.err(pos, format!("`accessibility.status` is `{other}`{near}: write `fully`, `partially` or `not` (compliant with WCAG 2.1 level AA)"));
                return None;
            }
        };
        if status == Conformance::Full && !nothing_listed {
            let pos = self.loc.value(&["accessibility", "status"]);
            self.err(pos, "`accessibility.status` is `fully`, but `accessibility.non_accessible` lists content that is not accessible: a site with such content is `partially` compliant; write `status: partially`, or remove the list once that content is accessible".to_string());
        }
        if status != Conformance::Full && nothing_listed {
            let pos = self.loc.key(&["accessibility", "status"]);
            self.err(pos, format!("`accessibility.status` is `{raw}`, so the statement must say what is not accessible: list it under `accessibility.non_accessible`"));
        }
        Some(status)
    }

    /// Each text of `non_accessible:`, found in turn from the key on.
    fn non_accessible(&mut self, items: &[Localized], langs: &[Lang]) {
        let mut cursor = self.loc.key(&["accessibility", "non_accessible"]);
        for item in items {
            let first = match item {
                Localized::One(s) => s.as_str(),
                Localized::Many(m) => m.values().next().map_or("", String::as_str),
            };
            let needle: String = first.chars().take(20).collect();
            let at = if needle.trim().is_empty() {
                // An empty text: the next list item.
                let next = self.loc.find_after(Pos::new(cursor.line + 1, 1), "- ");
                next.map(|p| Pos::new(p.line, p.column + 2))
            } else {
                self.loc.find_after(cursor, &needle)
            };
            let at = at.unwrap_or(cursor);
            // The item's own keys stand just before its first text.
            let start = Pos::new(at.line, 1);
            cursor = Pos::new(at.line, at.column + 1);
            let named = Named { what: "this item of `accessibility.non_accessible`", noun: "text" };
            self.texts(named, item, At::After(if matches!(item, Localized::One(_)) { at } else { start }), langs);
        }
    }

    fn enforcement(&mut self, e: RawEnforcement, langs: &[Lang]) -> (Option<Localized>, Option<String>) {
        let here = ["accessibility", "enforcement"];
        let name = self.required(e.name, &here, "name", "`name: { en: The Ombudsman }`");
        if let Some(n) = &name {
            let path = ["accessibility", "enforcement", "name"];
            let named = Named { what: "`accessibility.enforcement.name`", noun: "text" };
            self.texts(named, n, At::Path(&path), langs);
        }
        let url = self.required(e.url, &here, "url", "`url: \"https://example.org/complaints\"`");
        let url = url.filter(|u| {
            let ok = url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                let pos = self.loc.value(&["accessibility", "enforcement", "url"]);
                self.err(pos, format!("`accessibility.enforcement.url` is `{u}`, which is not a web address: write the enforcement body's address, like `https://example.org/complaints`"));
            }
            ok
        });
        (name, url)
    }

    fn statement_email(&mut self, email: String) -> Option<String> {
        let ok = email.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.'));
        if !ok {
            let pos = self.loc.value(&["accessibility", "contact", "email"]);
            self.err(pos, format!("`accessibility.contact.email` is `{email}`, which is not an e-mail address: write it like `accessibility@example.org`"));
        }
        ok.then_some(email)
    }

    fn statement_date(&mut self, key: &str, raw: &str) -> Option<chrono::NaiveDate> {
        let date = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
        if date.is_none() {
            let pos = self.loc.value(&["accessibility", key]);
            self.err(pos, format!("`accessibility.{key}` is `{raw}`, which is not a date: write it as `YYYY-MM-DD`, e.g. `2024-05-14`"));
        }
        date
    }
}
