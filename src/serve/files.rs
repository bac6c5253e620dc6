//! Serving the built site's files, and only them: the request path is decoded once and
//! refused if it could climb out (`..`, backslashes, NUL, drive letters); a file reached
//! through a symbolic link that leads outside the output is not served either.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The file a request path names inside `out`, or `None` when the path could leave it.
pub(super) fn resolve(out: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    // `\` separates folders on Windows only; elsewhere it is a letter of a file name
    // (`a\b.pdf`, linked as `a%5Cb.pdf`).
    if decoded.contains('\0') || (cfg!(windows) && decoded.contains('\\')) || !decoded.starts_with('/') {
        return None;
    }
    let mut file = out.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." || segment.contains(':') || segment.starts_with('.') {
            return None;
        }
        file.push(segment);
    }
    Some(file)
}

/// A dot segment (RFC 3986 section 3.3), written plainly or percent-encoded: `Some(1)`
/// for `.`, `Some(2)` for `..`.
fn dot_segment(segment: &str) -> Option<usize> {
    let lower = segment.to_ascii_lowercase();
    match lower.replace("%2e", ".").as_str() {
        "." => Some(1),
        ".." => Some(2),
        _ => None,
    }
}

/// `path` with repeated slashes collapsed and dot segments resolved (RFC 3986 section
/// 5.2.4), starting with exactly one `/`; `None` when `..` would climb above the root.
pub(super) fn normalise(path: &str) -> Option<String> {
    let mut segments: Vec<&str> = Vec::new();
    let mut folder = false;
    for segment in path.split('/').skip(1) {
        folder = true;
        match dot_segment(segment) {
            Some(2) => {
                segments.pop()?;
            }
            Some(_) => {}
            None if segment.is_empty() => {}
            None => {
                segments.push(segment);
                folder = false;
            }
        }
    }
    let mut normal = format!("/{}", segments.join("/"));
    if folder && !segments.is_empty() {
        normal.push('/');
    }
    Some(normal)
}

/// Serves the file `path` names in `out`. A path that is not in its normal form, or that
/// names a folder without the final `/`, is redirected to its normal form on this same
/// server, with its `query`: the `Location` is always a path starting with a single `/`.
pub(super) async fn serve_file(out: &Path, path: &str, query: Option<&str>) -> Response {
    let Some((normal, mut file)) = normalise(path).and_then(|n| resolve(out, &n).map(|f| (n, f))) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    let wanted = if file.is_dir() && !normal.ends_with('/') { format!("{normal}/") } else { normal };
    if wanted != path {
        // A `\` would let `/\host` read as another host (`//host`) in a browser.
        let wanted = wanted.replace('\\', "%5C");
        let location = match query {
            Some(q) => format!("{wanted}?{q}"),
            None => wanted,
        };
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response();
    }
    if file.is_dir() {
        file.push("index.html");
    }
    // A link inside the output that leads outside it is not followed.
    let inside = match (file.canonicalize(), out.canonicalize()) {
        (Ok(f), Ok(o)) => f.starts_with(o),
        _ => false,
    };
    if !inside {
        return not_found(out).await;
    }
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let kind = content_type(&file);
            let body = if kind.starts_with("text/html") { with_live_reload(bytes) } else { bytes };
            ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-store")], body).into_response()
        }
        Err(_) => not_found(out).await,
    }
}

/// The site's `404.html`; before any build has written one (the first build failed), a
/// page that says so. Both reload, and show a failed build's problems, as every page does.
async fn not_found(out: &Path) -> Response {
    let page = tokio::fs::read(out.join("404.html")).await.unwrap_or_else(|_| NOT_BUILT.as_bytes().to_vec());
    let page = with_live_reload(page);
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// What `serve` answers for any page while no build has written the site.
const NOT_BUILT: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"color-scheme\" content=\"light dark\">\
<title>Not built yet</title></head>\n<body><main><h1>Not built yet</h1>\
<p>This page does not exist: the site has not been built yet, or has no such page. If \
<code>guidebook serve</code> reports errors, fix them and save; this page reloads by itself.</p>\
</main></body>\n</html>\n";

/// The page with the live-reload script before `</body>`.
fn with_live_reload(html: Vec<u8>) -> Vec<u8> {
    const TAG: &[u8] = b"<script src=\"/__guidebook/live.js\"></script>\n";
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(TAG);
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_leave_the_output_are_refused() {
        let out = Path::new("/srv/site");
        assert_eq!(resolve(out, "/en/pilots/"), Some(PathBuf::from("/srv/site/en/pilots")));
        assert_eq!(resolve(out, "/fr/Pa%C3%AFs/"), Some(PathBuf::from("/srv/site/fr/Païs")));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc",
            "/%2e%2e%2fetc",
            "/a/..%5c..%5cwin.ini",
            "/a%00.html",
            "/c:/windows",
            "/.git/config",
            "relative",
        ] {
            assert_eq!(resolve(out, bad), None, "{bad}");
        }
        if cfg!(unix) {
            assert_eq!(resolve(out, "/files/a%5Cb.pdf"), Some(PathBuf::from("/srv/site/files/a\\b.pdf")));
        }
        // Decoded once: `%252e` is the file name `%2e`, which does not exist.
        assert_eq!(resolve(out, "/%252e%252e/x"), Some(PathBuf::from("/srv/site/%2e%2e/x")));
    }

    #[test]
    fn paths_are_normalised_without_leaving_the_root() {
        for (path, normal) in [
            ("/", "/"),
            ("//", "/"),
            ("//en", "/en"),
            ("///en//pilots/", "/en/pilots/"),
            ("/en/./pilots", "/en/pilots"),
            ("/en/pilots/.", "/en/pilots/"),
            ("/en/x/../pilots", "/en/pilots"),
            ("/en/%2E/pilots/%2e%2E/", "/en/"),
            ("/en/pilots/", "/en/pilots/"),
        ] {
            assert_eq!(normalise(path).as_deref(), Some(normal), "{path}");
        }
        assert_eq!(normalise("/../site.yaml"), None);
        assert_eq!(normalise("/en/../../x"), None);
    }
}
