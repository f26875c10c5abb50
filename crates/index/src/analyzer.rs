//! The Danish analyzers: tokens keep æ, ø and å; lowercase; the Snowball
//! Danish stemmer for the main text field. No ASCII folding (which would
//! merge får/far and mål/mal) and no stop-word removal (`ikke` and `ingen`
//! carry meaning in interviews).

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenStream,
};

/// Name of the stemmed Danish analyzer.
pub const DANISH: &str = "spor_da";
/// Name of the unstemmed (exact form) analyzer.
pub const EXACT: &str = "spor_exact";
/// Name of the attribute analyzer (whole value, lowercased).
pub const ATTR: &str = "spor_attr";
/// Bump when any analyzer changes: the index is then rebuilt by itself.
pub const ANALYZER_VERSION: u32 = 1;

/// The stemmed Danish analyzer.
pub fn danish() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(80))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Danish))
        .build()
}

/// The exact-form analyzer: same tokens, lowercased, not stemmed.
pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(80))
        .filter(LowerCaser)
        .build()
}

/// The attribute analyzer: the whole value as one lowercased token.
pub fn attr() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// Register spor's analyzers on an index.
pub fn register(index: &tantivy::Index) {
    let m = index.tokenizers();
    m.register(DANISH, danish());
    m.register(EXACT, exact());
    m.register(ATTR, attr());
}

/// A token: its text after analysis and its byte range in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The analysed text (stem or lowercased form).
    pub text: String,
    /// Start byte in the input.
    pub from: usize,
    /// End byte (exclusive).
    pub to: usize,
}

/// Run an analyzer over a text.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut ts = analyzer.token_stream(text);
    while ts.advance() {
        let t = ts.token();
        out.push(Token {
            text: t.text.clone(),
            from: t.offset_from,
            to: t.offset_to,
        });
    }
    out
}

/// The Danish stem of one word (lowercased first).
pub fn stem(word: &str) -> String {
    let mut a = danish();
    tokens(&mut a, word)
        .into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_danish_letters_and_does_not_fold() {
        assert_ne!(stem("får"), stem("far"));
        assert_ne!(stem("mål"), stem("mal"));
        assert_eq!(stem("Implementeringen"), stem("implementering"));
        assert_eq!(stem("sygeplejerskerne"), stem("sygeplejersker"));
    }

    #[test]
    fn keeps_stop_words() {
        let mut a = danish();
        let t: Vec<String> = tokens(&mut a, "det virker ikke, ingen ved det")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert!(
            t.contains(&"ikk".to_string()) || t.contains(&"ikke".to_string()),
            "{t:?}"
        );
        assert!(t.iter().any(|x| x.starts_with("ing")), "{t:?}");
    }

    #[test]
    fn offsets_are_bytes_of_the_input() {
        let mut a = exact();
        let s = "Æbler og røde pærer";
        for t in tokens(&mut a, s) {
            assert_eq!(s[t.from..t.to].to_lowercase(), t.text);
        }
    }
}
