//! Parse stage: fenced code to highlighted HTML (syntect, CSS classes), each distinct
//! block highlighted once.
//!
//! The same code block often stands in every language of a page (code is rarely
//! translated), and highlighting is a tenth of a build. [`Highlighter`] keeps the HTML of
//! the blocks it highlighted, keyed by all that the HTML depends on: the code, the
//! language token, and the class style (a constant, [`HIGHLIGHT_PREFIX`]), so a block is
//! highlighted once per build, whichever rayon thread meets it first. `serve` keeps its
//! [`BodyTools`](super::BodyTools), hence this cache, from one rebuild to the next.
//!
//! The cache is bounded ([`CACHE_BUDGET_BYTES`]): it holds two generations, the current
//! one and the one before; when the current one outgrows half the budget it becomes the
//! previous one and the oldest is dropped. A block found in the previous generation moves
//! to the current one, so blocks still in use survive (an approximation of LRU without
//! per-hit bookkeeping).

use super::{escape_attr, escape_text};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The class prefix of highlighted code (`hl-keyword`, `hl-string`, ...).
pub(crate) const HIGHLIGHT_PREFIX: &str = "hl-";

/// Bytes of code and HTML the cache may hold (both generations together): 64 MiB, a few
/// times what the 50,000-page benchmark corpus's distinct blocks take.
pub(crate) const CACHE_BUDGET_BYTES: usize = 64 << 20;

/// What the HTML of a block depends on besides the class style: its language token and
/// its code.
type Key = (String, String);

/// The blocks highlighted so far, in two generations (see the module's text).
#[derive(Default)]
struct Cache {
    current: HashMap<Key, Arc<str>>,
    previous: HashMap<Key, Arc<str>>,
    /// Bytes held by `current` (keys and values).
    current_bytes: usize,
    /// The most `current` may hold before it becomes `previous`.
    budget: usize,
    /// Blocks served from the cache (for tests and benchmarks).
    hits: usize,
}

impl Cache {
    fn get(&mut self, key: &Key) -> Option<Arc<str>> {
        if let Some(html) = self.current.get(key) {
            self.hits += 1;
            return Some(Arc::clone(html));
        }
        let (key, html) = self.previous.remove_entry(key)?;
        self.hits += 1;
        self.insert(key, Arc::clone(&html));
        Some(html)
    }

    fn insert(&mut self, key: Key, html: Arc<str>) {
        let size = key.0.len() + key.1.len() + html.len();
        if size > self.budget {
            return;
        }
        if self.current_bytes + size > self.budget {
            self.previous = std::mem::take(&mut self.current);
            self.current_bytes = 0;
        }
        self.current_bytes += size;
        self.current.insert(key, html);
    }
}

/// Syntax definitions for code highlighting, loaded on first use, and the HTML of the
/// blocks already highlighted; owned by the build (or by `serve`'s session) and shared by
/// every thread.
pub(crate) struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    cache: Mutex<Cache>,
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::with_budget(CACHE_BUDGET_BYTES)
    }
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
    }
}

impl Highlighter {
    /// A highlighter whose cache holds at most `budget` bytes (both generations together).
    pub(crate) fn with_budget(budget: usize) -> Self {
        let cache = Cache { budget: budget / 2, ..Cache::default() };
        Highlighter { syntaxes: OnceLock::new(), cache: Mutex::new(cache) }
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    /// HTML for a code block in `lang` (CSS classes, no inline styles). A block already
    /// highlighted by this highlighter is taken from its cache, byte for byte the same.
    pub(crate) fn highlight(&self, code: &str, lang: Option<&str>) -> String {
        let lang_class = lang.map(|l| format!(" class=\"language-{}\"", escape_attr(l))).unwrap_or_default();
        let body = match lang.filter(|_| crate::content::limits::highlightable(code)) {
            Some(l) => self.highlight_cached(code, l).map_or_else(|| escape_text(code), |h| h.to_string()),
            None => escape_text(code),
        };
        format!("<pre class=\"code\" tabindex=\"0\"><code{lang_class}>{body}</code></pre>\n")
    }

    /// The highlighted lines of `code` in `lang`, from the cache or made and kept there;
    /// `None` when syntect knows no such language or fails. The lock is not held while
    /// highlighting: two threads meeting the same new block may both highlight it, and
    /// make the same HTML.
    fn highlight_cached(&self, code: &str, lang: &str) -> Option<Arc<str>> {
        let key = (lang.to_string(), code.to_string());
        if let Some(html) = self.lock().get(&key) {
            return Some(html);
        }
        let html: Arc<str> = self.highlight_lines(code, lang)?.into();
        self.lock().insert(key, Arc::clone(&html));
        Some(html)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        // A thread that panicked holding the lock left the maps whole (each change is one
        // call on them): the cache stays usable.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn highlight_lines(&self, code: &str, lang: &str) -> Option<String> {
        let ss = self.syntaxes();
        let syntax = ss.find_syntax_by_token(lang)?;
        let mut gen = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            ss,
            ClassStyle::SpacedPrefixed { prefix: HIGHLIGHT_PREFIX },
        );
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(gen.finalize())
    }

    /// How many blocks were taken from the cache.
    #[cfg(test)]
    fn hits(&self) -> usize {
        self.lock().hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUST: &str = "fn main() {\n    let x = \"<b>\";\n}\n";

    #[test]
    fn a_second_identical_block_hits_the_cache_and_is_byte_identical() {
        let h = Highlighter::default();
        let first = h.highlight(RUST, Some("rust"));
        assert_eq!(h.hits(), 0);
        let second = h.highlight(RUST, Some("rust"));
        assert_eq!(h.hits(), 1);
        assert_eq!(first, second);
        // Byte-identical to highlighting without any cache (a highlighter that keeps nothing).
        let uncached = Highlighter::with_budget(0);
        assert_eq!(uncached.highlight(RUST, Some("rust")), first);
        assert_eq!(uncached.highlight(RUST, Some("rust")), first);
        assert_eq!(uncached.hits(), 0);
        assert!(first.contains("class=\"hl-"), "{first}");
    }

    #[test]
    fn the_language_token_is_part_of_the_key() {
        let h = Highlighter::default();
        let rust = h.highlight("let x = 1;\n", Some("rust"));
        let js = h.highlight("let x = 1;\n", Some("js"));
        assert_eq!(h.hits(), 0);
        assert_ne!(rust, js);
        assert!(rust.contains("language-rust") && js.contains("language-js"), "{rust}\n{js}");
        assert_eq!(h.highlight("let x = 1;\n", Some("js")), js);
        assert_eq!(h.hits(), 1);
    }

    #[test]
    fn unknown_languages_and_plain_blocks_are_escaped_not_cached() {
        let h = Highlighter::default();
        let plain = "<b> & </b>\n";
        assert_eq!(
            h.highlight(plain, None),
            "<pre class=\"code\" tabindex=\"0\"><code>&lt;b&gt; &amp; &lt;/b&gt;\n</code></pre>\n"
        );
        let unknown = h.highlight(plain, Some("no-such-lang"));
        assert_eq!(unknown, "<pre class=\"code\" tabindex=\"0\"><code class=\"language-no-such-lang\">&lt;b&gt; &amp; &lt;/b&gt;\n</code></pre>\n");
        h.highlight(plain, Some("no-such-lang"));
        assert_eq!(h.hits(), 0);
    }

    #[test]
    fn the_cache_stays_within_its_budget_and_keeps_blocks_in_use() {
        // Room for about two blocks per generation.
        let block = |i: usize| format!("fn f{i}() {{}}\n");
        let size = |i: usize| {
            let html = Highlighter::with_budget(0).highlight_lines(&block(i), "rust").map_or(0, |h| h.len());
            "rust".len() + block(i).len() + html
        };
        let h = Highlighter::with_budget(2 * (2 * size(0) + 1));
        for i in 0..10 {
            h.highlight(&block(i), Some("rust"));
            // Block 0 is used again and again: it moves up and stays.
            h.highlight(&block(0), Some("rust"));
        }
        let cache = h.lock();
        assert!(cache.current_bytes <= cache.budget);
        assert!(cache.current.len() + cache.previous.len() <= 4, "{}", cache.current.len() + cache.previous.len());
        let zero = ("rust".to_string(), block(0));
        assert!(cache.current.contains_key(&zero) || cache.previous.contains_key(&zero));
        assert_eq!(cache.hits, 10);
    }

    #[test]
    fn threads_share_the_cache() {
        let h = Highlighter::default();
        let outputs: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(|| h.highlight(RUST, Some("rust")))).collect();
            handles.into_iter().filter_map(|t| t.join().ok()).collect()
        });
        assert_eq!(outputs.len(), 4);
        assert!(outputs.iter().all(|o| *o == outputs[0]));
        assert_eq!(h.highlight(RUST, Some("rust")), outputs[0]);
        assert!(h.hits() >= 1);
    }
}
