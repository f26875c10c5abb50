//! Adjective forms Snowball leaves apart from their adjective (analyzer
//! version 6): the neuter in `-t` (`sjovt`, `specielt`) and the
//! superlative in `-est`/`-este` (`sjoveste`, `grimmeste`). Snowball cuts
//! neither ending, and no rule on spelling alone can tell a neuter from a
//! noun in `-t` (`punkt`, `salt`, `lyst`, `fedt`) or a superlative from a
//! noun in `-est` (`fest`, `hest`, `protest`), so each rule is guarded:
//!
//! - the base is an adjective of the lexicon marked `t` (`sjov t:`), or
//! - for the neuter only, the base ends in a suffix that makes adjectives
//!   and no noun ending in it plus `t` is a word (`-iel`, `-uel`, `-ær`,
//!   `-iv`, `-øs`, `-som`, `-bar`, `-onel`, ...: `specielt`, `aktuelt`,
//!   `militært`, `kreativt`, `seriøst`, `voldsomt`, `umiddelbart`,
//!   `traditionelt`), with a minimum length per suffix (`-al` and `-il`
//!   need longer bases: `normalt`, `stabilt`, not `salt`, `kilt`; `-øs`
//!   only as `-iøs`, `-vøs`, `-løs`: not `kornhøst`, `klagerøst`).
//!
//! The key is the adjective's key as Snowball stems it (plus `~` when that
//! stem is a lemma of the lexicon), so the neuter joins the adjective's
//! other forms, which Snowball already joins (`sjov`, `sjove`, `sjovere`).

use crate::analyzer::unlisted_key;
use crate::lexicon::Lexicon;

/// Derivational suffixes of adjectives (ending the base, before the `t` of
/// the neuter) and the shortest base, in chars, each applies to.
const SUFFIXES: &[(&str, usize)] = &[
    // speciel, officiel, finansiel, potentiel, kommerciel
    ("iel", 5),
    // aktuel, individuel, seksuel, eventuel, manuel, virtuel
    ("uel", 5),
    // reel, ideel
    ("eel", 4),
    // traditionel, professionel, funktionel, rationel
    ("onel", 6),
    // kulturel, strukturel
    ("urel", 6),
    // generel
    ("nerel", 6),
    // militær, populær, primær, regulær, autoritær (nouns in -ært: none)
    ("ær", 5),
    // aktiv, positiv, negativ, kreativ, effektiv, naiv
    ("iv", 4),
    // seriøs, religiøs, ambitiøs, nervøs (not høst, harvest, or røst,
    // voice, nor their compounds: kornhøst, klagerøst)
    ("iøs", 5),
    ("vøs", 5),
    // håbløs, meningsløs, arbejdsløs, troløs (løst itself is løse's)
    ("løs", 5),
    // voldsom, langsom, morsom, ensom, opmærksom
    ("som", 5),
    // umiddelbar, brugbar, mærkbar, holdbar, åbenbar
    ("bar", 5),
    // komfortabel, acceptabel, fleksibel
    ("abel", 6),
    ("ibel", 6),
    // normal, social, national, regional, central, lokal, global, legal,
    // modal, universal, digital, total, brutal, fatal, mental: six letters
    // or more (not salt, malt, asfalt, basalt, kobalt) and a consonant or
    // vowel before -al that Latin adjectives have; -tal only after a vowel
    // or n, since a particle before tal or betal is a participle of tale
    // or betale (overtalt, arbejdsgiverbetalt), whose plural in -te
    // Snowball keeps apart
    ("nal", 6),
    ("ral", 6),
    ("ial", 6),
    ("mal", 6),
    ("kal", 6),
    ("bal", 6),
    ("sal", 6),
    ("gal", 6),
    ("dal", 6),
    ("ital", 6),
    ("otal", 6),
    ("utal", 6),
    ("atal", 6),
    ("ntal", 6),
    // stabil, mobil, civil, steril, senil (not the compounds of skilt, a
    // sign: vejskilt)
    ("bil", 5),
    ("vil", 5),
    ("ril", 6),
    ("nil", 5),
];

/// The key of an adjective form the lexicon does not list: a neuter in
/// `-t` or a superlative in `-est`/`-este` of an adjective marked `t`, or
/// a neuter in `-t` of a word ending in an adjective suffix ([`SUFFIXES`]).
pub(crate) fn adjective_form(stemmer: &frostem::Stemmer, form: &str) -> Option<String> {
    let lex = Lexicon::get();
    if let Some(base) = form.strip_suffix('t') {
        if lex.is_keyed_adjective(base) {
            return Some(unlisted_key(stemmer, base));
        }
        let len = base.chars().count();
        if SUFFIXES
            .iter()
            .any(|(s, min)| len >= *min && base.ends_with(s))
        {
            return Some(unlisted_key(stemmer, base));
        }
    }
    // the plural of adjectives in -abel, -ibel, which lose the e of their
    // last syllable (profitable, fleksible): Snowball stems them apart
    // from the singular (profitabl, profitabel)
    for (plural, singular) in [("able", "abel"), ("ible", "ibel")] {
        if let Some(stem) = form.strip_suffix(plural)
            && stem.chars().count() >= 4
        {
            return Some(unlisted_key(stemmer, &format!("{stem}{singular}")));
        }
    }
    // the superlative of adjectives in -som (voldsomst, voldsomste)
    if let Some(base) = form
        .strip_suffix("ste")
        .or_else(|| form.strip_suffix("st"))
        .filter(|b| b.ends_with("som") && b.chars().count() >= 5)
    {
        return Some(unlisted_key(stemmer, base));
    }
    let base = form
        .strip_suffix("este")
        .or_else(|| form.strip_suffix("est"))?;
    if lex.is_keyed_adjective(base) {
        return Some(unlisted_key(stemmer, base));
    }
    // a doubled final consonant (grim -> grimmest, tryg -> tryggest)
    let mut chars = base.chars().rev();
    let (last, before) = (chars.next()?, chars.next()?);
    if last == before && !"aeiouyæøå".contains(last) {
        let single = &base[..base.len() - last.len_utf8()];
        if lex.is_keyed_adjective(single) {
            return Some(unlisted_key(stemmer, single));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::analyzer::stem;

    #[test]
    fn neuters_and_superlatives_of_listed_adjectives_join_them() {
        for (a, b) in [
            ("sjovt", "sjov"),
            ("sjoveste", "sjove"),
            ("sjovest", "sjovere"),
            ("grimmeste", "grim"),
            ("grimt", "grimme"),
            ("nemt", "nem"),
            ("nemmest", "nemme"),
            ("lavt", "lav"),
            ("laveste", "lavere"),
            ("halvt", "halv"),
            ("dumt", "dum"),
            ("galt", "gal"),
            ("slemt", "slem"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
    }

    #[test]
    fn neuters_of_derived_adjectives_join_them() {
        for (a, b) in [
            ("specielt", "speciel"),
            ("specielt", "specielle"),
            ("aktuelt", "aktuelle"),
            ("reelt", "reel"),
            ("traditionelt", "traditionel"),
            ("generelt", "generelle"),
            ("militært", "militære"),
            ("populært", "populær"),
            ("kreativt", "kreative"),
            ("naivt", "naiv"),
            ("seriøst", "seriøse"),
            ("voldsomt", "voldsomme"),
            ("umiddelbart", "umiddelbare"),
            ("internationalt", "international"),
            ("normalt", "normale"),
            ("stabilt", "stabil"),
            ("fleksibelt", "fleksibel"),
            ("fleksible", "fleksibel"),
            ("profitable", "profitabel"),
            ("acceptable", "acceptabelt"),
            ("voldsomste", "voldsom"),
            ("langsomst", "langsomme"),
            ("digitalt", "digitale"),
            ("totalt", "total"),
            ("regionalt", "regional"),
            ("håbløst", "håbløse"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
    }

    #[test]
    fn nouns_in_t_and_est_are_not_cut() {
        let stemmer = crate::analyzer::stemmer();
        // nouns (and adverbs) whose form minus -t or -est is a word or an
        // adjective: the rules leave them to the lexicon or to Snowball
        for word in [
            "punkt",
            "salt",
            "kilt",
            "asfalt",
            "basalt",
            "lyst",
            "fedt",
            "vildt",
            "skørt",
            "skønt",
            "rundt",
            "helt",
            "tomt",
            "øst",
            "fest",
            "gæst",
            "hest",
            "protest",
            "præst",
            "høst",
            "kornhøst",
            "røst",
            "klagerøst",
            "skilt",
            "vejskilt",
            "navneskilt",
            "arbejdsgiverbetalt",
            "overtalt",
            "kabler",
            "fabler",
            "stable",
        ] {
            assert_eq!(super::adjective_form(&stemmer, word), None, "{word}");
        }
        for (noun, other) in [
            ("salt", "sal"),
            ("gestalt", "gestal"),
            ("lyst", "lys"),
            ("fedt", "fed"),
            ("skørt", "skør"),
            ("fest", "fe"),
            ("helt", "hel"),
            ("tomt", "tom"),
        ] {
            assert_ne!(stem(noun), stem(other), "{noun} / {other}");
        }
        // adjectives whose Snowball key is a verb's or noun's are listed
        // apart from it (lav, lave) or left out (lun, lune; lokal, lokale)
        assert_ne!(stem("lavt"), stem("lave"));
        assert_ne!(stem("lavere"), stem("lavet"));
        assert_eq!(stem("lavede"), stem("laver"));
        assert_ne!(stem("lunt"), stem("lune"));
        assert_ne!(stem("lokalt"), stem("lokale"));
        // a participle of a verb in -tale keeps its plural
        assert_eq!(stem("arbejdsgiverbetalt"), stem("arbejdsgiverbetalte"));
        // gestalt is listed in the lexicon, which is asked first; all keep
        // their own inflection
        assert_eq!(stem("asfalt"), stem("asfalten"));
        assert_eq!(stem("basalt"), stem("basalten"));
        assert_eq!(stem("gestalt"), stem("gestalten"));
        assert_eq!(stem("fest"), stem("festen"));
        assert_eq!(stem("protest"), stem("protesten"));
    }
}
