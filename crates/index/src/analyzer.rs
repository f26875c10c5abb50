//! The Danish analyzers: tokens keep æ, ø and å; lowercase; for the main
//! text field, the lemma from spor's Danish lexicon when it knows the word
//! (or the last noun of a compound), the Snowball Danish stem otherwise
//! ([`key`]). No ASCII folding (which would merge får/far and mål/mal) and
//! no stop-word removal (`ikke` and `ingen` carry meaning in interviews).

use crate::lexicon::Lexicon;
use std::borrow::Cow;
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token as TToken, TokenFilter, TokenStream, Tokenizer,
};

/// Name of the stemmed Danish analyzer.
pub const DANISH: &str = "spor_da";
/// Name of the unstemmed (exact form) analyzer.
pub const EXACT: &str = "spor_exact";
/// Name of the attribute analyzer (whole value, lowercased).
pub const ATTR: &str = "spor_attr";
/// Bump when any analyzer changes: the index is then rebuilt by itself.
pub const ANALYZER_VERSION: u32 = 6;

/// The Danish analyzer of the main text field: each word becomes its
/// [`key`] (lemma, compound lemma or Snowball stem).
pub fn danish() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(80))
        .filter(LowerCaser)
        .filter(Lemmatizer)
        .build()
}

/// The Snowball stemmer alone (spor's analyzer before the lexicon, analyzer
/// version 1); kept to measure the lexicon against (docs/DANISH.md).
pub fn snowball() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(80))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Danish))
        .build()
}

/// The index key of one lowercased word: its lemma when the lexicon lists
/// it, the first part plus the lemma of the last part when it is a
/// compound of a noun the lexicon lists, its Snowball stem otherwise.
pub fn key<'a>(stemmer: &frostem::Stemmer, form: &'a str) -> Cow<'a, str> {
    let lex = Lexicon::get();
    if let Some((lemma, pos)) = lex.lemma(form) {
        if lex.stem_keyed(form) {
            return Cow::Owned(stem_key(stemmer, lemma, pos));
        }
        return Cow::Owned(lemma.to_owned());
    }
    if let Some(c) = lex.compound(form) {
        return Cow::Owned(c);
    }
    if let Some(k) = weak_past(stemmer, form) {
        return Cow::Owned(k);
    }
    if let Some(k) = crate::adjective::adjective_form(stemmer, form) {
        return Cow::Owned(k);
    }
    let stem = stemmer.stem(form);
    if lex.is_lemma(&stem) {
        // A word the lexicon does not list whose stem is one of its lemmas
        // is a derivation Snowball cuts too far (borgerlig, mandlige, gods):
        // keep it apart from the lemma's own forms.
        let mut k = stem.into_owned();
        k.push(UNLISTED);
        return Cow::Owned(k);
    }
    stem
}

/// The key of the forms of a weak verb or adjective marked `w` or `t` in
/// the lexicon: the key its present tense (`lemma` + `r`) or, for an
/// adjective, its lemma gets when the lexicon does not list it (`kørte`,
/// `kørt` -> `kør`, like `kører`; `klart` -> `klar`). The present, not the
/// infinitive: Snowball cuts infinitives in `-ende` to a shorter stem than
/// their present (`anvende` -> `anv`, `anvender` -> `anvend`).
fn stem_key(stemmer: &frostem::Stemmer, lemma: &str, pos: crate::lexicon::Pos) -> String {
    if pos == crate::lexicon::Pos::Verb {
        unlisted_key(stemmer, &format!("{lemma}r"))
    } else {
        unlisted_key(stemmer, lemma)
    }
}

/// The key a word gets when the lexicon does not list it: its Snowball
/// stem, with [`UNLISTED`] added when that stem is a lemma of the lexicon.
pub fn unlisted_key(stemmer: &frostem::Stemmer, form: &str) -> String {
    let mut k = stemmer.stem(form).into_owned();
    if Lexicon::get().is_lemma(&k) {
        k.push(UNLISTED);
    }
    k
}

/// The key of the past tense of a weak verb in `-ede` (`-edes` passive),
/// which Snowball does not cut (`ringede` stems to `ringed`, `ringe` to
/// `ring`): the key of its infinitive (`ringe`), when that is a verb the
/// lexicon lists or its Snowball stem is a stem of Snowball's Danish
/// vocabulary, and the infinitive has at least three letters before its
/// `e`. The test on the stem keeps infinitives that end in `-ede` apart
/// (`udlede`, `sprede`, `forberede` would become `udle`, `spre`,
/// `forbere`, none a word).
fn weak_past(stemmer: &frostem::Stemmer, form: &str) -> Option<String> {
    let base = form
        .strip_suffix("ede")
        .or_else(|| form.strip_suffix("edes"))?;
    if base.chars().nth(2).is_none() || base.ends_with("ed") {
        return None;
    }
    let infinitive = format!("{base}e");
    let lex = Lexicon::get();
    if let Some((lemma, pos)) = lex.lemma(&infinitive) {
        if pos == crate::lexicon::Pos::Verb && lex.stem_keyed(&infinitive) {
            return Some(stem_key(stemmer, lemma, pos));
        }
        return (pos == crate::lexicon::Pos::Verb).then(|| lemma.to_owned());
    }
    let stem = stemmer.stem(&infinitive);
    if lex.is_lemma(&stem) || !crate::compounds::known_word(&stem) {
        return None;
    }
    Some(stem.into_owned())
}

/// Appended to the key of a word whose stem is a lemma of the lexicon but
/// which the lexicon does not list (`borgerlig` -> `borger~`).
pub const UNLISTED: char = '~';

/// Whether a word matches the suffix wildcard `*t`: the word ends in `t`,
/// or its key (lemma or stem, `form_key`) ends in the key of `t` (`t_key`,
/// used when it has at least four letters), so that `*teknologi` finds
/// `velfærdsteknologien` and `*forslag` finds `lovforslaget`.
/// The key is used only when it is the suffix's lemma (the lexicon knows
/// it) or the suffix without an inflectional ending (`teknologien` ->
/// `teknologi`), never when the stemmer cut a derivation (`*parathed` does
/// not become `*parat`, which would find `præparatet`).
pub fn suffix_match(form: &str, form_key: &str, t: &str, t_key: &str) -> bool {
    if form.ends_with(t) {
        return true;
    }
    if t_key.ends_with(UNLISTED) || t_key.chars().nth(3).is_none() || t.chars().nth(3).is_none() {
        return false;
    }
    let inflection = match t.strip_prefix(t_key) {
        Some(ending) => INFLECTIONS.contains(&ending),
        None => Lexicon::get().lemma(t).is_some() || Lexicon::get().compound(t).is_some(),
    };
    inflection && form_key.ends_with(t_key)
}

/// Danish inflectional endings of nouns, verbs and adjectives.
const INFLECTIONS: &[&str] = &[
    "", "e", "en", "er", "et", "s", "es", "ens", "ets", "ers", "ene", "erne", "enes", "ernes",
    "ede", "te", "t", "r",
];

/// A Snowball stemmer for Danish, for [`key`].
pub fn stemmer() -> frostem::Stemmer {
    frostem::Stemmer::new(frostem::Algorithm::Danish)
}

/// The token filter that replaces each (lowercased) token by its [`key`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Lemmatizer;

impl TokenFilter for Lemmatizer {
    type Tokenizer<T: Tokenizer> = LemmaFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> LemmaFilter<T> {
        LemmaFilter {
            inner: tokenizer,
            cache: Default::default(),
        }
    }
}

/// Distinct words whose key a [`LemmaFilter`] remembers (word frequencies
/// are skewed, so most tokens are found here).
const CACHE_WORDS: usize = 50_000;

/// [`Lemmatizer`] over a tokenizer, with a cache of the keys of the words it
/// has seen (a clone starts with an empty cache).
pub struct LemmaFilter<T> {
    inner: T,
    cache: std::collections::HashMap<String, String>,
}

impl<T: Clone> Clone for LemmaFilter<T> {
    fn clone(&self) -> Self {
        LemmaFilter {
            inner: self.inner.clone(),
            cache: Default::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for LemmaFilter<T> {
    type TokenStream<'a> = LemmaStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > CACHE_WORDS {
            self.cache.clear();
        }
        LemmaStream {
            tail: self.inner.token_stream(text),
            stemmer: stemmer(),
            cache: &mut self.cache,
        }
    }
}

/// The token stream of [`LemmaFilter`].
pub struct LemmaStream<'a, S> {
    tail: S,
    stemmer: frostem::Stemmer,
    cache: &'a mut std::collections::HashMap<String, String>,
}

impl<S: TokenStream> TokenStream for LemmaStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(k) = self.cache.get(&token.text) {
            token.text.clear();
            token.text.push_str(k);
            return true;
        }
        let k = key(&self.stemmer, &token.text).into_owned();
        let form = std::mem::replace(&mut token.text, k);
        self.cache.insert(form, token.text.clone());
        true
    }

    fn token(&self) -> &TToken {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut TToken {
        self.tail.token_mut()
    }
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

/// The index key (lemma or stem) of a text's words, space-separated
/// (lowercased first).
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

    #[test]
    fn weak_pasts_in_ede_join_their_verb_and_nothing_else() {
        for (past, verb) in [
            ("ringede", "ringer"),
            ("samlede", "samle"),
            ("svarede", "svaret"),
            ("bekymrede", "bekymret"),
            ("dannedes", "danne"),
            ("troede", "tror"),
        ] {
            assert_eq!(stem(past), stem(verb), "{past}");
        }
        // infinitives in -ede keep their own paradigm; nouns in -ede are
        // listed (billede is not bille + de)
        assert_eq!(stem("udlede"), stem("udleder"));
        assert_eq!(stem("sprede"), stem("spreder"));
        assert_eq!(stem("billede"), stem("billeder"));
        assert_ne!(stem("billede"), stem("bille"));
        assert_ne!(stem("fremmede"), stem("fremme"));
        // too short a stem
        assert_eq!(stem("vrede"), "vred");
    }

    #[test]
    fn weak_pasts_in_te_join_their_verb_through_its_stem() {
        for (a, b) in [
            ("brugte", "bruger"),
            ("brugt", "bruge"),
            ("brugtes", "bruges"),
            ("kørte", "kører"),
            ("kørt", "køre"),
            ("lærte", "lære"),
            ("søgte", "søger"),
            ("tænkt", "tænker"),
            ("anvendte", "anvender"),
            ("endte", "ender"),
            ("klart", "klar"),
            ("klart", "klare"),
            ("dybt", "dybe"),
            ("udsendes", "udsender"),
            ("anvendes", "anvendte"),
            ("godkendes", "godkendt"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        // the key is the present's Snowball key, so what Snowball joins to
        // the verb stays joined (the noun brug), and the key is no lemma;
        // anvende joins anvender, which Snowball alone splits (anv/anvend)
        assert_eq!(stem("anvende"), stem("anvender"));
        assert_eq!(stem("brugte"), "brug");
        assert_eq!(stem("brugte"), stem("brug"));
        assert_eq!(stem("kørt"), "kør");
        // ende's stem is the function word end: kept apart, with its forms
        assert_eq!(stem("endte"), format!("end{UNLISTED}"));
        assert_ne!(stem("endte"), stem("end"));
        assert_eq!(stem("førte"), stem("fører"));
        assert_ne!(stem("førte"), stem("før"));
        // look-alikes in -te that are no past tenses stay apart
        for (a, b) in [
            ("vente", "vene"),
            ("rente", "rene"),
            ("liste", "lise"),
            ("næste", "næse"),
            ("vist", "viser"),
            ("bestemt", "bestemmer"),
        ] {
            assert_ne!(stem(a), stem(b), "{a} / {b}");
        }
    }

    #[test]
    fn suffix_wildcards_use_keys_only_for_inflections() {
        let m = |form: &str, t: &str| suffix_match(form, &stem(form), t, &stem(t));
        assert!(m("velfærdsteknologien", "teknologi"));
        assert!(m("sundhedsteknologier", "teknologien"));
        assert!(m("lovforslaget", "forslag"));
        assert!(m("skolebørnene", "børn"));
        assert!(!m("præparatet", "parathed"));
        assert!(!m("teknologisk", "teknologi"));
        assert!(!m("forslagsstillerne", "forslag"));
        assert!(!m("været", "er"));
    }
}
