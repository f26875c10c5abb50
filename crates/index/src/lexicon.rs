//! spor's Danish lemma lexicon (`data/lexicon-da.txt`): the full paradigms
//! of the words whose inflection the Snowball stemmer cannot see (irregular
//! plurals, strong verbs, irregular comparatives) or wrongly merges with
//! another word (`mener`/`men`, `siger`/`sig`, `læge`/`lægge`). The
//! analyzer indexes a word by its lemma when the lexicon knows it, by the
//! lemma of a noun at its end when it is a compound of one
//! (`skolebørnene` -> `skolebarn`), and by its Snowball stem otherwise.
//! docs/DANISH.md describes the data, its licence and its coverage.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The lexicon's source text, compiled into the binary.
pub const SOURCE: &str = include_str!("../data/lexicon-da.txt");

/// A lemma's part of speech, as the lexicon marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    /// A noun: its forms are also recognised at the end of a compound.
    Noun,
    /// A verb.
    Verb,
    /// An adjective or adverb.
    Adjective,
    /// A function word kept apart from the words it resembles.
    Function,
}

/// A problem in the lexicon's source (a unit test keeps the shipped file
/// free of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconProblem {
    /// 1-based line in `data/lexicon-da.txt`.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Form -> lemma, read from the lexicon's source.
#[derive(Debug, Default)]
pub struct Lexicon {
    forms: HashMap<Box<str>, u32>,
    lemmas: Vec<(Box<str>, Pos)>,
    /// Lemma ids of the weak verbs marked `w`, whose forms take their
    /// infinitive's Snowball key instead of the lemma.
    stem_keyed: Vec<bool>,
}

/// Shortest noun form (in chars) recognised at the end of a compound, and
/// shortest lemma: shorter ones (`år`, `sag`, `dag`) end too many unrelated
/// words.
const MIN_TAIL: usize = 4;
/// Shortest first part of a compound (in chars).
const MIN_HEAD: usize = 3;

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(SOURCE).0);

impl Lexicon {
    /// The shipped lexicon (parsed once).
    pub fn get() -> &'static Lexicon {
        &LEXICON
    }

    /// Parse a lexicon source; lines with problems are reported and skipped
    /// (a form listed twice keeps its first lemma).
    pub fn parse(text: &str) -> (Lexicon, Vec<LexiconProblem>) {
        let mut lex = Lexicon::default();
        let mut problems = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut bad = |m: String| {
                problems.push(LexiconProblem {
                    line: i + 1,
                    message: m,
                })
            };
            let Some((head, forms)) = line.split_once(':') else {
                bad("expected `lemma pos: forms`".into());
                continue;
            };
            let mut h = head.split_whitespace();
            let (Some(lemma), Some(pos), None) = (h.next(), h.next(), h.next()) else {
                bad("expected `lemma pos: forms`".into());
                continue;
            };
            let h_pos = pos;
            let pos = match pos {
                "n" => Pos::Noun,
                "v" | "w" => Pos::Verb,
                "a" | "t" => Pos::Adjective,
                "f" => Pos::Function,
                other => {
                    bad(format!("unknown part of speech {other:?}"));
                    continue;
                }
            };
            let id = lex.lemmas.len() as u32;
            lex.stem_keyed.push(matches!(h_pos, "w" | "t"));
            lex.lemmas.push((lemma.into(), pos));
            for form in
                std::iter::once(lemma).chain(forms.split_whitespace().filter(|f| *f != lemma))
            {
                if form != form.to_lowercase() || !form.chars().all(char::is_alphabetic) {
                    bad(format!("{form:?} is not a lowercase word"));
                    continue;
                }
                match lex.forms.get(form) {
                    Some(&other) if other != id => bad(format!(
                        "{form:?} is already a form of {:?}",
                        lex.lemmas[other as usize].0
                    )),
                    Some(_) => bad(format!("{form:?} is listed twice")),
                    None => {
                        lex.forms.insert(form.into(), id);
                    }
                }
            }
        }
        (lex, problems)
    }

    /// The lemma of a lowercased form and its part of speech, if the
    /// lexicon lists the form.
    pub fn lemma(&self, form: &str) -> Option<(&str, Pos)> {
        self.forms.get(form).map(|&id| {
            let (l, p) = &self.lemmas[id as usize];
            (&**l, *p)
        })
    }

    /// Whether the form belongs to a weak verb marked `w` (past in `-te`,
    /// participle in `-t`) or adjective marked `t`: such a form is keyed by
    /// the Snowball key of its present tense or adjective (`brugte` -> the
    /// key of `bruger`, `brug`; `klart` -> `klar`), so it joins
    /// the present, the infinitive and whatever Snowball already joins to
    /// them (the noun `brug`), instead of splitting them from a noun that
    /// shares their stem.
    pub fn stem_keyed(&self, form: &str) -> bool {
        self.forms
            .get(form)
            .is_some_and(|&id| self.stem_keyed[id as usize])
    }

    /// Whether `word` is a lemma of the lexicon.
    /// The lemmas of weak verbs and adjectives marked `w` or `t` are no
    /// keys (their forms take the lemma's Snowball key), so they are not
    /// counted here.
    pub fn is_lemma(&self, word: &str) -> bool {
        self.forms.get(word).is_some_and(|&id| {
            &*self.lemmas[id as usize].0 == word && !self.stem_keyed[id as usize]
        })
    }

    /// Whether `word` is the lemma of an adjective marked `t`: its neuter
    /// in `-t` and superlative in `-est`/`-este` need not be listed, the
    /// analyzer joins them by rule (`sjovt`, `sjoveste` -> the key of
    /// `sjov`; `crate::adjective`).
    pub fn is_keyed_adjective(&self, word: &str) -> bool {
        self.forms.get(word).is_some_and(|&id| {
            let (lemma, pos) = &self.lemmas[id as usize];
            &**lemma == word && *pos == Pos::Adjective && self.stem_keyed[id as usize]
        })
    }

    /// The lemma of a compound whose last part is a noun form the lexicon
    /// lists (the longest such part): `skolebørnene` -> `skolebarn`,
    /// `sundhedsvæsenet` -> `sundhedsvæsen`. The last part has at least
    /// four letters and a lemma of at least four, the first part at least
    /// three letters and not a prefix or particle (`for`, `over`, `med`).
    pub fn compound(&self, form: &str) -> Option<String> {
        if form.len() < MIN_HEAD + MIN_TAIL {
            return None;
        }
        let total = form.chars().count();
        for (i, (at, _)) in form.char_indices().enumerate().skip(MIN_HEAD) {
            // tails only get shorter from here
            if total - i < MIN_TAIL {
                break;
            }
            let tail = &form[at..];
            // a prefix or particle does not make a compound (`formidler`
            // is not `for` + `midler`, `overvintre` not `over` + `vintre`)
            if let Some((lemma, Pos::Noun)) = self.lemma(tail)
                && lemma.chars().count() >= MIN_TAIL
                && !crate::compounds::PARTICLES.contains(&&form[..at])
            {
                let mut s = String::with_capacity(at + lemma.len());
                s.push_str(&form[..at]);
                s.push_str(lemma);
                return Some(s);
            }
        }
        None
    }

    /// Every form of the lexicon with its lemma, in form order (for the
    /// docs and tests).
    pub fn entries(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .forms
            .iter()
            .map(|(f, &id)| (&**f, &*self.lemmas[id as usize].0))
            .collect();
        v.sort_unstable();
        v
    }

    /// The number of lemmas.
    pub fn lemma_count(&self) -> usize {
        self.lemmas.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lexicon_has_no_problems() {
        let (lex, problems) = Lexicon::parse(SOURCE);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(lex.lemma_count() > 100);
        assert_eq!(lex.lemma("børnene"), Some(("barn", Pos::Noun)));
        assert_eq!(lex.lemma("gik"), Some(("gå", Pos::Verb)));
        assert_eq!(lex.lemma("men"), Some(("men", Pos::Function)));
        assert_eq!(lex.lemma("mener"), Some(("mene", Pos::Verb)));
        // weak verbs and adjectives keyed by their Snowball stem: listed,
        // marked, and their lemma is no key
        assert_eq!(lex.lemma("brugte"), Some(("bruge", Pos::Verb)));
        assert!(lex.stem_keyed("brugte") && lex.stem_keyed("bruge"));
        assert!(!lex.is_lemma("bruge"));
        assert_eq!(lex.lemma("klart"), Some(("klar", Pos::Adjective)));
        assert!(lex.stem_keyed("klart") && !lex.is_lemma("klar"));
        assert!(!lex.stem_keyed("mente") && lex.is_lemma("mene"));
        assert!(!lex.stem_keyed("bruger"));
    }

    #[test]
    fn problems_name_their_line() {
        let (_, p) = Lexicon::parse("# c\ngå v: gik\ngik v: gik\nx q: y\nBad n: Bad\n");
        let lines: Vec<usize> = p.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5], "{p:?}");
        assert!(p[0].message.contains("already a form of \"gå\""), "{p:?}");
    }

    #[test]
    fn compounds_take_the_lemma_of_their_last_noun() {
        let lex = Lexicon::get();
        assert_eq!(lex.compound("skolebørnene").as_deref(), Some("skolebarn"));
        assert_eq!(
            lex.compound("sundhedsvæsenet").as_deref(),
            Some("sundhedsvæsen")
        );
        assert_eq!(
            lex.compound("velfærdsteknologien").as_deref(),
            Some("velfærdsteknologi")
        );
        assert_eq!(
            lex.compound("statsministre").as_deref(),
            Some("statsminister")
        );
        // too short a first part, a verb at the end, no known noun
        assert_eq!(lex.compound("børn"), None);
        assert_eq!(lex.compound("foregik"), None);
        assert_eq!(lex.compound("chauffører"), None);
        assert_eq!(lex.compound("implementering"), None);
        // not after a prefix or particle
        assert_eq!(lex.compound("formidler"), None);
        assert_eq!(lex.compound("overvintre"), None);
    }
}
