//! Analyzers: how text becomes index terms in each language. The same analyzers run when
//! the index is built and when a query is read, natively and in WebAssembly.
//!
//! Pipeline: split on non-alphanumerics, drop very long tokens, lowercase, drop the
//! language's stop words, stem, then fold accents (after stemming, so the stemmer sees
//! the accented word it was written for, and `malaga` still finds `Málaga`).

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
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
            base.filter(stop).filter(Stemmer::new(language)).filter(AsciiFoldingFilter).filter(GreekAccents).build()
        }
        None => base.filter(Stemmer::new(language)).filter(AsciiFoldingFilter).filter(GreekAccents).build(),
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

/// The terms `analyzer` makes of `text`.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
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
        if token.text.chars().any(|c| strip_greek(c) != c) {
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
    fn stop_words_are_dropped() {
        assert_eq!(analyse("en", "the training of the staff"), ["train", "staff"]);
        assert!(analyse("de", "der die das").is_empty());
    }
}
