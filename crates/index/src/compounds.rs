//! Compounds of a plain word for `spor search --compounds`: which words of
//! the index end in a word and begin with another word, computed at search
//! time from the index's word list (docs/DANISH.md). Nothing here changes
//! the index or the codebook rules.

use crate::analyzer::{UNLISTED, stem};
use crate::lexicon::{Lexicon, Pos};

/// Whether a word with key `form_key` is a compound whose last part is the
/// word with key `head_key` (`spor search --compounds`): the key ends in
/// `head_key` (not a verb, adjective or function word of the lexicon, since
/// Danish compounds end in nouns), and what comes before is itself a word
/// or two words (`frihandels|områder`), with or without a linking `s` or
/// `e` (`velfærds|teknologien`, `lov|forslaget`). `is_word` says whether a
/// text is the key of a word (spor asks the index); prefixes, particles and
/// pronouns (`til`, `for`, `over`, `sam`, ...) never count as words here,
/// so `tilstand` is not a compound of `stand` nor `samarbejde` of
/// `arbejde`.
///
/// A head of five letters or more needs a first part of at least three.
/// A shorter head (`tid`, `lov`, `sted`, `land`) ends too many words
/// (`altid`, `orlov`, `værksted`, `Tyskland`), so its first part must be a
/// noun with a linking `s` (`udlåns|tid`, `arbejds|gang`,
/// `uddannelses|stedet`) or a word or two of at least six letters
/// (`finans|lov`, `producent|lande`; not `grønt|sager`).
pub fn compound_of(form_key: &str, head_key: &str, is_word: impl Fn(&str) -> bool) -> bool {
    if !compound_head(head_key) {
        return false;
    }
    let Some(first) = form_key.strip_suffix(head_key) else {
        return false;
    };
    let word = |p: &str| {
        p.chars().nth(2).is_some()
            && !PARTICLES.contains(&p)
            && !matches!(Lexicon::get().lemma(p), Some((_, Pos::Function)))
            && is_word(p)
    };
    let word_or_two = |p: &str| word(p) || two_words(p, &word);
    if head_key.chars().nth(4).is_some() {
        return word_or_two(first)
            || first.strip_suffix('s').is_some_and(word_or_two)
            || first.strip_suffix('e').is_some_and(word_or_two);
    }
    // a linking s follows nouns, not verbs (`spørgs|mål` is no kind of mål)
    // (the lemma of a weak verb marked `w` is no key: `møde` is not one)
    let noun = |p: &str| {
        !matches!(Lexicon::get().lemma(p), Some((_, Pos::Verb))) || Lexicon::get().stem_keyed(p)
    };
    first
        .strip_suffix('s')
        .is_some_and(|p| p.chars().nth(3).is_some() && noun(p) && word_or_two(p))
        || (first.chars().nth(5).is_some() && word_or_two(first))
}

/// Whether `p` is two words, the first of at least three letters, the
/// second of at least four, with or without a linking `s` between them
/// (`frihandel`, `maskinstation`, `middelhavs` is not: `hav` is too short).
fn two_words(p: &str, word: &impl Fn(&str) -> bool) -> bool {
    p.char_indices().skip(3).any(|(at, _)| {
        let (a, b) = p.split_at(at);
        b.chars().nth(3).is_some() && word(b) && (word(a) || a.strip_suffix('s').is_some_and(word))
    })
}

/// The forms among `forms` (with their keys, `keys`, in the same order)
/// that are compounds of `word` ([`compound_of`]), sorted: the first part
/// is a word when it is the key of one of the forms, a word spor knows
/// ([`known_word`]), or the first part of at least two compounds among the
/// forms (`sundheds` in `sundhedsvæsenet` and `sundhedspersonalet`).
pub fn compounds_among(word: &str, forms: &[String], keys: &[String]) -> Vec<String> {
    let head = stem(word);
    if head.contains(' ') || !compound_head(&head) {
        return Vec::new();
    }
    let mut sorted: Vec<&str> = keys.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let is_word = |p: &str| {
        if sorted.binary_search(&p).is_ok() || known_word(p) {
            return true;
        }
        let from = sorted.partition_point(|k| *k < p);
        sorted[from..]
            .iter()
            .take_while(|k| k.starts_with(p))
            .filter(|k| {
                let rest = &k[p.len()..];
                rest.chars().nth(3).is_some() && sorted.binary_search(&rest).is_ok()
            })
            .nth(1)
            .is_some()
    };
    let mut out: Vec<String> = forms
        .iter()
        .zip(keys)
        .filter(|(_, k)| compound_of(k, &head, is_word))
        .map(|(t, _)| t.clone())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether a key is the key of a Danish word spor knows without an index:
/// a lemma of its lexicon, or one of the stems of Snowball's Danish
/// vocabulary (`data/words-da.txt`).
pub fn known_word(key: &str) -> bool {
    static WORDS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let mut v: Vec<&str> = include_str!("../data/words-da.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect();
        v.sort_unstable();
        v
    });
    Lexicon::get().is_lemma(key) || WORDS.binary_search(&key).is_ok()
}

/// Whether a key can be the last part of a compound for
/// [`compound_of`]: at least three letters, and not a verb, adjective or
/// function word of the lexicon. The lemmas of weak verbs and adjectives
/// marked `w` or `t` are no keys and do not count: their keys are
/// Snowball's, shared with nouns (`dyr` is also the noun *animal*).
pub fn compound_head(head_key: &str) -> bool {
    let lex = Lexicon::get();
    !head_key.ends_with(UNLISTED)
        && head_key.chars().nth(2).is_some()
        && (lex.stem_keyed(head_key)
            || !matches!(
                lex.lemma(head_key),
                Some((_, Pos::Verb | Pos::Adjective | Pos::Function))
            ))
}

/// Prefixes and particles that begin many Danish words without making them
/// compounds of what follows (`tilstand`, `forslag`, `overlæge`,
/// `samarbejde`, `indsats`, `modstand`).
pub(crate) const PARTICLES: &[&str] = &[
    "til", "for", "fore", "med", "over", "under", "ind", "ud", "mod", "imod", "efter", "om", "fra",
    "ved", "gennem", "sam", "bag", "frem", "hen", "ned", "op", "af", "an", "be", "mis", "van",
    "bi", "hjem", "tilbage", "sønder", "ad", "und", "uden", "inden", "mellem", "omkring",
    "igennem", "ikke", "selv", "alle", "halv", "hel", "meget", "mere", "mest", "den", "det", "der",
    "dem", "dig", "din", "dit", "han", "hun", "hans", "hendes", "jeg", "man", "min", "mit", "nog",
    "sin", "sit", "som", "vor", "hvad", "hvem", "hvor",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compounds_need_a_word_before_the_head() {
        let words = [
            "velfærd",
            "lov",
            "sundhed",
            "arbejd",
            "stand",
            "del",
            "tysk",
            "udlån",
            "producent",
            "fri",
            "handel",
            "grønt",
            "finans",
            "spørg",
            "eng",
            "middel",
            "hav",
            "forsøg",
        ];
        let c =
            |form: &str, head: &str| compound_of(&stem(form), &stem(head), |p| words.contains(&p));
        assert!(c("velfærdsteknologien", "teknologi"));
        assert!(c("lovforslaget", "forslag"));
        assert!(c("sundhedsvæsenet", "væsen"));
        assert!(c("arbejdsmiljøet", "miljø"));
        // a prefix or particle is not a word here; too short a first part;
        // the first part must be a word of the index; heads that are verbs
        assert!(!c("tilstanden", "stand"));
        assert!(!c("samarbejdet", "arbejde"));
        assert!(!c("bistand", "stand"));
        assert!(!c("præparatet", "paratet"));
        assert!(!c("overlæger", "læge"));
        assert!(!c("foretage", "tage"));
        assert!(!c("teknologien", "teknologi"));
        // a head of fewer than five letters needs a noun with a linking s
        // or a first part of at least six letters
        assert!(c("udlånstid", "tid"));
        assert!(c("finansloven", "lov"));
        assert!(c("producentlande", "land"));
        assert!(!c("tyskland", "land"));
        assert!(!c("england", "land"));
        assert!(!c("grøntsager", "sag"));
        assert!(!c("spørgsmål", "mål"));
        assert!(!c("altid", "tid"));
        // a head that is also a weak verb or an adjective keyed by its stem
        // (dyr: the adjective and the noun animal) still ends compounds; a
        // strong verb or adjective with a lemma key does not
        assert!(compound_head(&stem("dyr")));
        assert!(c("forsøgsdyrene", "dyr"));
        assert!(compound_head(&stem("møde")));
        assert!(!compound_head(&stem("tage")));
        assert!(!compound_head(&stem("stor")));
        // a first part of two words
        assert!(c("frihandelsområder", "område"));
        assert!(!c("middelhavsområdet", "område"), "hav is too short a part");
    }
}
