//! Fuzzing the codebook and curriculum readers with arbitrary TOML-ish text:
//! no panic, and bounded time per input. `PROPTEST_CASES` scales the number
//! of cases (default 64).

use proptest::prelude::*;
use spor_codebook::{Codebook, Curriculum};
use std::path::Path;
use std::time::{Duration, Instant};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

const BOUND: Duration = Duration::from_secs(5);

fn tomlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[codebook]\nid = \"c\"\nlabel = \"C\"\nversion = \"1\"\n".to_owned()),
        Just("[[codes]]\nid = \"a\"\nlabel = \"A\"\n".to_owned()),
        Just("[[codes.rules]]\nid = \"r\"\nquery = \"".to_owned()),
        Just("examples = [\"x\"]\n".to_owned()),
        Just("parent = \"a\"\n".to_owned()),
        Just("[module]\nid = \"m\"\nname = \"M\"\n".to_owned()),
        Just("[[goals]]\nid = \"LG-1\"\ntext = \"t\"\ncodes = [\"a\"]\n".to_owned()),
        Just("[[elements]]\nid = \"FE-1\"\n".to_owned()),
        Just("\"\n".to_owned()),
        Just("'''".to_owned()),
        Just("= ".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("\n".to_owned()),
        Just("*".to_owned()),
        any::<char>().prop_map(String::from),
        "[a-z_ ]{0,8}",
    ];
    prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn codebooks_and_curricula_from_arbitrary_text(s in tomlish(), b in prop::collection::vec(any::<u8>(), 0..2048)) {
        let t = Instant::now();
        let lossy = String::from_utf8_lossy(&b);
        for text in [s.as_str(), &lossy] {
            let _ = Codebook::parse(text, Path::new("c.toml"));
            let _ = Curriculum::parse(text, Path::new("curriculum.toml"));
        }
        prop_assert!(t.elapsed() < BOUND);
    }
}
