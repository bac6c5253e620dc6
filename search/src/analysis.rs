//! Analyzers: how text becomes index terms in each language. The same analyzers run when
//! the index is built and when a query is read, natively and in WebAssembly.
//!
//! Pipeline: split on non-alphanumerics, drop very long tokens, lowercase, drop the
//! language's stop words, stem, then fold accents (after stemming, so the stemmer sees
//! the accented word it was written for, and `malaga` still finds `Málaga`).

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// The analyzer name for text in a language (`gb-fr`).
pub fn analyzer_name(lang: &str) -> String {
    format!("gb-{lang}")
}

/// The analyzer used for prefixes while typing: folded, never stemmed.
pub const PREFIX_ANALYZER: &str = "gb-prefix";

/// The stemmer and stop words of a language code, when tantivy has them.
pub fn stemmer_language(lang: &str) -> Option<Language> {
    Some(match lang.split('-').next().unwrap_or(lang) {
        "ar" => Language::Arabic,
        "da" => Language::Danish,
        "nl" => Language::Dutch,
        "en" => Language::English,
        "fi" => Language::Finnish,
        "fr" => Language::French,
        "de" => Language::German,
        "el" => Language::Greek,
        "hu" => Language::Hungarian,
        "it" => Language::Italian,
        "no" | "nb" | "nn" => Language::Norwegian,
        "pt" => Language::Portuguese,
        "ro" => Language::Romanian,
        "ru" => Language::Russian,
        "es" => Language::Spanish,
        "sv" => Language::Swedish,
        "ta" => Language::Tamil,
        "tr" => Language::Turkish,
        _ => return None,
    })
}

/// The analyzer for text in `lang`; languages without a stemmer get the plain one.
pub fn analyzer(lang: &str) -> TextAnalyzer {
    let Some(language) = stemmer_language(lang) else { return prefix_analyzer() };
    let base = TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(40)).filter(LowerCaser);
    match StopWordFilter::new(language) {
        // Stop words are removed before stemming: the lists are written unstemmed.
        Some(stop) => {
            base.filter(stop).filter(CachedStemmer(language)).filter(AsciiFoldingFilter).filter(GreekAccents).build()
        }
        None => base.filter(CachedStemmer(language)).filter(AsciiFoldingFilter).filter(GreekAccents).build(),
    }
}

/// The analyzer for the last word of a query as it is being typed.
pub fn prefix_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(GreekAccents)
        .build()
}

/// The terms `analyzer` makes of `text`, each with its position: the words the analyzer
/// drops (stop words) leave their place, as they do in the index, so that a phrase's
/// terms are sought at the same distances as in the text.
pub fn positioned_terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

/// The terms `analyzer` makes of `text`.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// The Snowball stemmer of a language, as tantivy's `Stemmer` runs it (the same `frostem`
/// algorithm, so the same terms), remembering the words it has stemmed: a text repeats
/// its words (Zipf's law), and an index of thousands of pages meets each word again and
/// again. Each analyzer (one per field of an index being written) keeps its own memory,
/// of at most [`STEM_CACHE_WORDS`] words.
#[derive(Clone, Copy)]
pub struct CachedStemmer(pub Language);

/// How many words a [`CachedStemmer`] remembers before it starts afresh: about 2 MB of
/// short strings, more than the distinct words of a language's guidebook.
pub const STEM_CACHE_WORDS: usize = 50_000;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { algorithm: algorithm(self.0), stems: FxHashMap::default(), inner: tokenizer }
    }
}

/// The tokenizer made by [`CachedStemmer`]: the stemmer, its memory (word to stem), and the
/// tokenizer it follows.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    algorithm: frostem::Algorithm,
    stems: FxHashMap<String, String>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(self.algorithm),
            stems: &mut self.stems,
        }
    }
}

/// The token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<'a, S> {
    tail: S,
    stemmer: frostem::Stemmer,
    stems: &'a mut FxHashMap<String, String>,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(&token.text) {
            token.text.clone_from(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        if self.stems.len() >= STEM_CACHE_WORDS {
            self.stems.clear();
        }
        let word = std::mem::replace(&mut token.text, stem);
        self.stems.insert(word, token.text.clone());
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The `frostem` algorithm of a tantivy [`Language`] (the one tantivy's `Stemmer` uses).
fn algorithm(language: Language) -> frostem::Algorithm {
    use frostem::Algorithm as A;
    match language {
        Language::Arabic => A::Arabic,
        Language::Danish => A::Danish,
        Language::Dutch => A::Dutch,
        Language::English => A::English,
        Language::Finnish => A::Finnish,
        Language::French => A::French,
        Language::German => A::German,
        Language::Greek => A::Greek,
        Language::Hungarian => A::Hungarian,
        Language::Italian => A::Italian,
        Language::Norwegian => A::Norwegian,
        Language::Portuguese => A::Portuguese,
        Language::Romanian => A::Romanian,
        Language::Russian => A::Russian,
        Language::Spanish => A::Spanish,
        Language::Swedish => A::Swedish,
        Language::Tamil => A::Tamil,
        Language::Turkish => A::Turkish,
    }
}

/// Removes the Greek tonos and dialytika, which ASCII folding leaves alone, so that
/// `Αθήνα` and `αθηνα` meet.
#[derive(Clone, Copy)]
pub struct GreekAccents;

impl TokenFilter for GreekAccents {
    type Tokenizer<T: Tokenizer> = GreekAccentsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> GreekAccentsFilter<T> {
        GreekAccentsFilter(tokenizer)
    }
}

/// The tokenizer made by [`GreekAccents`].
#[derive(Clone)]
pub struct GreekAccentsFilter<T>(T);

impl<T: Tokenizer> Tokenizer for GreekAccentsFilter<T> {
    type TokenStream<'a> = GreekAccentsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        GreekAccentsStream(self.0.token_stream(text))
    }
}

/// The token stream of [`GreekAccentsFilter`].
pub struct GreekAccentsStream<S>(S);

fn strip_greek(c: char) -> char {
    match c {
        'ά' => 'α',
        'έ' => 'ε',
        'ή' => 'η',
        'ί' | 'ϊ' | 'ΐ' => 'ι',
        'ό' => 'ο',
        'ύ' | 'ϋ' | 'ΰ' => 'υ',
        'ώ' => 'ω',
        'ς' => 'σ',
        other => other,
    }
}

impl<S: TokenStream> TokenStream for GreekAccentsStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        // Most words of most languages are ASCII, checked a word at a time.
        if !token.text.is_ascii() && token.text.chars().any(|c| strip_greek(c) != c) {
            token.text = token.text.chars().map(strip_greek).collect();
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(lang: &str, text: &str) -> Vec<String> {
        terms(&mut analyzer(lang), text)
    }

    #[test]
    fn french_is_stemmed_then_folded() {
        assert_eq!(analyse("fr", "Les formations"), analyse("fr", "formation"));
        assert_eq!(analyse("fr", "formations"), ["format"]);
        assert_eq!(analyse("fr", "la réinsertion"), ["reinsert"]);
    }

    #[test]
    fn accents_do_not_matter() {
        assert_eq!(analyse("en", "Málaga"), analyse("en", "malaga"));
        assert_eq!(analyse("el", "Αθήνα"), analyse("el", "αθηνα"));
        assert_eq!(analyse("bg", "София"), ["софия"]);
    }

    #[test]
    fn the_cached_stemmer_makes_tantivys_terms() {
        use tantivy::tokenizer::Stemmer;
        let text = "Les formations, la formation et les formateurs: réinsertion, réinsérer, réinsertions. \
                    Training trainings trained; Ausbildungen Ausbildung; Αθήνα αθηνών; probation probations";
        for (lang, language) in [("fr", Language::French), ("en", Language::English), ("de", Language::German)] {
            let plain = || TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser);
            let mut theirs = plain().filter(Stemmer::new(language)).build();
            let mut ours = plain().filter(CachedStemmer(language)).build();
            // Twice through the same analyzer: the second time from its memory.
            for _ in 0..2 {
                assert_eq!(terms(&mut ours, text), terms(&mut theirs, text), "{lang}");
            }
        }
        // Past its limit it starts afresh, with the same terms.
        let mut ours =
            TextAnalyzer::builder(SimpleTokenizer::default()).filter(CachedStemmer(Language::English)).build();
        let many: String = (0..STEM_CACHE_WORDS + 10).map(|i| format!("w{i}ings ")).collect();
        assert_eq!(terms(&mut ours, &many).len(), STEM_CACHE_WORDS + 10);
        assert_eq!(terms(&mut ours, "trainings"), ["train"]);
    }

    #[test]
    fn stop_words_are_dropped() {
        assert_eq!(analyse("en", "the training of the staff"), ["train", "staff"]);
        assert!(analyse("de", "der die das").is_empty());
    }
}
