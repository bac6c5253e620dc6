//! Percent-encoding of the URLs the build writes (RFC 3986, section 2.1), so that every
//! link opens the same file on nginx, IIS, Apache, `guidebook serve` and `file://`.
//!
//! Every byte that is not *unreserved* (RFC 3986, section 2.3: `A-Z a-z 0-9 - . _ ~`) is
//! written `%XX` in a path segment, including non-ASCII letters (as their UTF-8 bytes,
//! `é` → `%C3%A9`): a raw `é` or space is read differently by IIS, by Windows' `file://`
//! and by older clients, while `%C3%A9` is read the same way everywhere. A `\` is encoded
//! too, which matters most: browsers read a raw `\` in an `http:` or `file:` URL as `/`.
//! Fragments keep the characters RFC 3986 allows there unencoded (section 3.5), so that
//! ordinary anchors stay readable; browsers decode the fragment before looking up the `id`
//! (HTML, "the indicated part of the document"), so `#r%C3%A9sultats` opens `id="résultats"`.
//!
//! Encoding is applied once, where a URL is written; names kept in the site (output
//! paths, heading ids) stay decoded. These functions do not escape for HTML: put their
//! result through [`crate::content::markdown::escape_attr`] (or a template's escaping).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Bytes percent-encoded in a path segment: all but RFC 3986 unreserved characters.
/// Sub-delimiters (`!$&'()*+,;=`), `:` and `@` are encoded as well, though RFC 3986
/// allows them raw: `:` would read as a scheme in a first segment, `;` as a parameter on
/// some servers, `+` as a space on others, and encoding them is equivalent on every
/// server this output is meant for.
pub(crate) const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Bytes percent-encoded in a fragment: all but what RFC 3986 section 3.5 allows there
/// (`pchar / "/" / "?"`, that is unreserved, sub-delimiters, `:`, `@`, `/` and `?`).
/// Non-ASCII letters are encoded as their UTF-8 bytes.
pub(crate) const FRAGMENT: &AsciiSet = &PATH_SEGMENT
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'/')
    .remove(b'?');

/// One path segment (a folder or file name as it is on disk), percent-encoded with
/// [`PATH_SEGMENT`]: `annual report #2.pdf` → `annual%20report%20%232.pdf`.
pub(crate) fn segment(name: &str) -> String {
    utf8_percent_encode(name, PATH_SEGMENT).to_string()
}

/// A `/`-separated path (`files/what?.pdf`), each segment encoded with [`segment`]; the
/// `/` between them are kept: `files/what%3F.pdf`.
pub(crate) fn path(path: &str) -> String {
    path.split('/').map(segment).collect::<Vec<_>>().join("/")
}

/// A fragment (a heading or element id, without `#`), percent-encoded with [`FRAGMENT`]:
/// `résultats` → `r%C3%A9sultats`.
pub(crate) fn fragment(id: &str) -> String {
    utf8_percent_encode(id, FRAGMENT).to_string()
}

/// The address a site is published at (`base_url` in `site.yaml`, or `--base-url`), made
/// canonical and ending with `/`: `https://example.org/guidebook/`. An error says, in a
/// clause that follows the address in a message, why `raw` cannot be one: it is not an
/// absolute `http`/`https` address with a host, it has a query (`?`) or a fragment (`#`),
/// which every page address would inherit, or it names a user or password.
pub(crate) fn base_url(raw: &str) -> Result<String, &'static str> {
    let u = match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => u,
        _ => return Err("is not an absolute web address"),
    };
    if u.query().is_some() || u.fragment().is_some() {
        return Err("has a query (`?`) or a fragment (`#`), which every page's address would inherit");
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err("names a user or a password, which every page would publish");
    }
    let s = u.to_string();
    Ok(if s.ends_with('/') { s } else { s + "/" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_end_with_their_path() {
        assert_eq!(base_url("https://example.org/guide"), Ok("https://example.org/guide/".to_string()));
        assert_eq!(base_url("http://x.org"), Ok("http://x.org/".to_string()));
        assert!(base_url("https://x.org/#f").is_err());
        assert!(base_url("https://x.org/?q=1").is_err());
        assert!(base_url("https://me:pw@x.org/").is_err());
        assert!(base_url("ftp://x.org/").is_err());
        assert!(base_url("/guide/").is_err());
    }

    #[test]
    fn segments_keep_unreserved_characters_only() {
        assert_eq!(segment("report-2019_v1.0~final.pdf"), "report-2019_v1.0~final.pdf");
        assert_eq!(segment("annual report #2.pdf"), "annual%20report%20%232.pdf");
        assert_eq!(segment("what?.pdf"), "what%3F.pdf");
        assert_eq!(segment("100%.pdf"), "100%25.pdf");
        assert_eq!(segment("a\\b.pdf"), "a%5Cb.pdf");
        assert_eq!(segment("résumé.pdf"), "r%C3%A9sum%C3%A9.pdf");
        assert_eq!(segment("a:b;c+d&e'f(g).pdf"), "a%3Ab%3Bc%2Bd%26e%27f%28g%29.pdf");
        assert_eq!(segment("a/b"), "a%2Fb");
        assert_eq!(path("pilots/files/a b/c#d.pdf"), "pilots/files/a%20b/c%23d.pdf");
        assert_eq!(path(""), "");
    }

    #[test]
    fn fragments_keep_what_rfc_3986_allows() {
        assert_eq!(fragment("results-1"), "results-1");
        assert_eq!(fragment("résultats"), "r%C3%A9sultats");
        assert_eq!(fragment("ελληνικά"), "%CE%B5%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%AC");
        assert_eq!(fragment("a:b/c?d=e(f)"), "a:b/c?d=e(f)");
        assert_eq!(fragment("a b#c%d\"e<f>"), "a%20b%23c%25d%22e%3Cf%3E");
    }

    #[test]
    fn decoding_gives_the_name_back() {
        for name in ["annual report #2.pdf", "what?.pdf", "100%.pdf", "a\\b.pdf", "résumé.pdf", "Ελληνικά"] {
            let back = percent_encoding::percent_decode_str(&segment(name)).decode_utf8_lossy().into_owned();
            assert_eq!(back, name);
            let back = percent_encoding::percent_decode_str(&fragment(name)).decode_utf8_lossy().into_owned();
            assert_eq!(back, name);
        }
    }
}
