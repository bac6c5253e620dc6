//! Load stage: `accessibility:` in `site.yaml`, the facts of the site's accessibility
//! statement (one page per language, `<lang>/accessibility/`), following the model
//! statement of Commission Implementing Decision (EU) 2018/1523: the conformance status,
//! the content that is not accessible, when and how the statement was prepared, whom to
//! contact, and the enforcement procedure.

use super::validate::Validator;
use super::Localized;
use serde::Deserialize;

/// `accessibility:`, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStatement {
    pub(super) status: String,
    pub(super) prepared: String,
    #[serde(default)]
    pub(super) reviewed: Option<String>,
    #[serde(default)]
    pub(super) method: Option<String>,
    #[serde(default)]
    pub(super) non_accessible: Vec<Localized>,
    pub(super) contact: RawContact,
    pub(super) enforcement: RawEnforcement,
}

/// `accessibility.contact:`, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContact {
    pub(super) email: String,
    #[serde(default)]
    pub(super) phone: Option<String>,
}

/// `accessibility.enforcement:`, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEnforcement {
    pub(super) name: Localized,
    pub(super) url: String,
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

impl Validator<'_, '_> {
    /// `accessibility:`.
    pub(super) fn statement(&mut self, raw: RawStatement) -> Option<Statement> {
        let status = match raw.status.as_str() {
            "fully" => Some(Conformance::Full),
            "partially" => Some(Conformance::Partial),
            "not" => Some(Conformance::Not),
            other => {
                let pos = self.loc.value(&["accessibility", "status"]);
                self.err(pos, format!("`accessibility.status` is `{other}`: write `fully`, `partially` or `not` (compliant with WCAG 2.1 level AA){}", crate::diagnostics::hint(other, ["fully", "partially", "not"])));
                None
            }
        };
        if status.is_some_and(|s| s != Conformance::Full) && raw.non_accessible.is_empty() {
            let pos = self.loc.key(&["accessibility", "status"]);
            self.err(pos, format!("`accessibility.status` is `{}`, so the statement must say what is not accessible: list it under `accessibility.non_accessible`", raw.status));
        }
        let prepared = self.statement_date("prepared", &raw.prepared);
        let reviewed = raw.reviewed.as_deref().and_then(|d| self.statement_date("reviewed", d));
        let third_party = match raw.method.as_deref() {
            None | Some("self-assessment") => false,
            Some("third-party") => true,
            Some(other) => {
                let pos = self.loc.value(&["accessibility", "method"]);
                self.err(pos, format!("`accessibility.method` is `{other}`: write `self-assessment` or `third-party`"));
                false
            }
        };
        let email_ok = raw.contact.email.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.'));
        if !email_ok {
            let pos = self.loc.value(&["accessibility", "contact", "email"]);
            self.err(pos, format!("`accessibility.contact.email` is `{}`, which is not an e-mail address: write it like `accessibility@example.org`", raw.contact.email));
        }
        let url_ok = url::Url::parse(&raw.enforcement.url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !url_ok {
            let pos = self.loc.value(&["accessibility", "enforcement", "url"]);
            self.err(pos, format!("`accessibility.enforcement.url` is `{}`, which is not a web address: write the enforcement body's address, like `https://example.org/complaints`", raw.enforcement.url));
        }
        Some(Statement {
            status: status?,
            prepared: prepared?,
            reviewed,
            third_party,
            non_accessible: raw.non_accessible,
            email: email_ok.then_some(raw.contact.email)?,
            phone: raw.contact.phone,
            enforcement_name: raw.enforcement.name,
            enforcement_url: url_ok.then_some(raw.enforcement.url)?,
        })
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
