//! The language of outputs meant for people: the counting policy in plain
//! words (Danish and English), the reviewed/unreviewed split of a count,
//! and the report's interface texts.

use serde::Serialize;

/// A language of the report's interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    /// Danish (the default for a Danish study).
    #[default]
    #[serde(rename = "da")]
    Da,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// `da` or `en` (also `dansk`, `english` and case variants); `None`
    /// for any other language.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_lowercase().as_str() {
            "da" | "da-dk" | "dansk" | "danish" => Some(Lang::Da),
            "en" | "en-gb" | "en-us" | "english" | "engelsk" => Some(Lang::En),
            _ => None,
        }
    }

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }
}

/// The counting policy in plain words: what is counted and what is not.
/// `counted` is a policy name (`suggested-and-human`, `human-only`) or
/// `coder:<name>` (a matrix restricted to one coder).
pub fn counted_text(counted: &str, lang: Lang) -> String {
    match (counted, lang) {
        ("suggested-and-human", Lang::Da) => "Forslag fra regler, som ingen har gennemgået, tælles med, sammen med de kodninger, som en person har lavet eller godkendt; forslag, som en koder har afvist, tælles ikke. Lærte forslag (model:) tælles først, når en koder har godkendt dem.".into(),
        ("suggested-and-human", Lang::En) => "Rule suggestions that nobody has reviewed are counted, together with the codings a person made or accepted; suggestions a coder rejected are not counted. Learned suggestions (model:) count only once a coder accepts them.".into(),
        ("suggested-learned-and-human", Lang::Da) => "Forslag fra regler, som ingen har gennemgået, tælles med, og det samme gør forslag fra de lærte modeller (model:), sammen med de kodninger, som en person har lavet eller godkendt; forslag, som en koder har afvist, tælles ikke.".into(),
        ("suggested-learned-and-human", Lang::En) => "Rule suggestions and learned models' suggestions (model:) that nobody has reviewed are counted, together with the codings a person made or accepted; suggestions a coder rejected are not counted.".into(),
        ("human-only", Lang::Da) => "Kun kodninger, som en person har lavet eller godkendt, tælles med; forslag fra regler, som ingen har gennemgået, tælles ikke.".into(),
        ("human-only", Lang::En) => "Only codings a person made or accepted are counted; rule suggestions that nobody has reviewed are not counted.".into(),
        (other, lang) => match (other.strip_prefix("coder:"), lang) {
            (Some(c), Lang::Da) => format!("Kun koderen {c}s egne kodninger tælles med."),
            (Some(c), Lang::En) => format!("Only coder {c}'s own codings are counted."),
            (None, Lang::Da) => format!("Optalt efter reglen {other}."),
            (None, Lang::En) => format!("Counted under the policy {other}."),
        },
    }
}

/// A count with its split, e.g. `61 (17 reviewed, 44 unreviewed)` or
/// `61 (17 gennemgået, 44 ikke gennemgået)`.
pub fn split_text(total: usize, reviewed: usize, unreviewed: usize, lang: Lang) -> String {
    match lang {
        Lang::Da => format!("{total} ({reviewed} gennemgået, {unreviewed} ikke gennemgået)"),
        Lang::En => format!("{total} ({reviewed} reviewed, {unreviewed} unreviewed)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_has_a_sentence_in_both_languages() {
        for p in [
            "suggested-and-human",
            "human-only",
            "suggested-learned-and-human",
        ] {
            let da = counted_text(p, Lang::Da);
            let en = counted_text(p, Lang::En);
            assert!(
                da.contains("forslag fra regler, som ingen har gennemgået")
                    || da.starts_with("Forslag fra regler, som ingen har gennemgået"),
                "{da}"
            );
            assert!(en.contains("nobody has reviewed"), "{en}");
            assert_ne!(da, en);
        }
        assert!(counted_text("suggested-and-human", Lang::Da).contains("tælles med,"));
        assert!(counted_text("human-only", Lang::Da).contains("tælles ikke"));
        assert_eq!(
            counted_text("coder:R01", Lang::En),
            "Only coder R01's own codings are counted."
        );
    }

    #[test]
    fn split_reads_in_both_languages() {
        assert_eq!(
            split_text(61, 17, 44, Lang::Da),
            "61 (17 gennemgået, 44 ikke gennemgået)"
        );
        assert_eq!(
            split_text(3, 3, 0, Lang::En),
            "3 (3 reviewed, 0 unreviewed)"
        );
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }
}
