//! End-to-end tests of the coding stage: `spor code`, coders' files,
//! `spor code add|remove`, `spor review` with piped answers, the counting
//! policy, and `spor codebook test|eval`.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const CUES: [&str; 8] = [
    "context",
    "interprofessional",
    "organisational-barriers",
    "user-involvement",
    "readiness",
    "technofix",
    "evaluation",
    "training-in-practice",
];
const DOMAINS: [&str; 7] = [
    "teknologi",
    "patient",
    "organisation",
    "oekonomi",
    "etik",
    "miljoe",
    "ulighed",
];

fn codings(study: &Path) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(study.join("out/codings.csv")).unwrap();
    r.records().map(|x| x.unwrap()).collect()
}

fn code_json(study: &Path) -> Value {
    let (code, out, err) = spor_run(study, &["code", "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn code_suggests_every_cue_and_domain() {
    let s = sundtek();
    let v = code_json(s.path());
    let codes = v["codes"].as_array().unwrap();
    for id in CUES.iter().chain(DOMAINS.iter()) {
        let c = codes
            .iter()
            .find(|c| c["code"] == *id)
            .unwrap_or_else(|| panic!("{id}"));
        assert!(c["suggested"].as_u64().unwrap() > 0, "{id}: {c}");
    }
    assert_eq!(v["policy"], "suggested-and-human");
    let rows = codings(s.path());
    let mut r = csv::Reader::from_path(s.path().join("out/codings.csv")).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        &h[..9],
        [
            "segment",
            "document",
            "turn",
            "speaker",
            "participant",
            "profession",
            "code",
            "origin",
            "status"
        ]
    );
    assert!(
        rows.iter()
            .any(|r| r[7].starts_with("rule:") && &r[8] == "suggested" && !r[12].is_empty())
    );
    // only participant turns are suggested by default
    let (_, out, _) = spor_run(s.path(), &["export", "segments", "--format", "json"]);
    let segs: Vec<Value> = serde_json::from_str(&out).unwrap();
    for r in rows.iter().filter(|r| r[7].starts_with("rule:")) {
        let seg = segs.iter().find(|x| x["segment"] == r[0]).unwrap();
        assert_eq!(seg["role"], "participant");
    }
}

#[test]
fn codings_are_deterministic() {
    let s = sundtek();
    code_json(s.path());
    let a = std::fs::read(s.path().join("out/codings.csv")).unwrap();
    std::fs::remove_dir_all(s.path().join(".spor")).unwrap();
    code_json(s.path());
    let b = std::fs::read(s.path().join("out/codings.csv")).unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_coders_file_survives_byte_identical_and_bad_rows_are_reported() {
    let s = sundtek();
    code_json(s.path());
    let rows = codings(s.path());
    let sug = rows
        .iter()
        .find(|r| &r[6] == "technofix" && r[7].starts_with("rule:"))
        .unwrap();
    let seg = sug[0].to_owned();
    // Danish Excel style: BOM, ';', CRLF, an extra column, bad rows
    let text = format!(
        "\u{feff}segment;code;status;memo;kodet af\r\n{seg};technofix;rejected;\"ikke technofix; snarere parathed\";A\r\nint-99#1;technofix;;;A\r\n{seg};nosuchcode;;;A\r\nint-01#2;context;accepted;;A\r\n"
    );
    let p = s.path().join("codings/A.csv");
    std::fs::write(&p, &text).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(
        code, 1,
        "rows that do not count make spor code exit 1: {err}"
    );
    assert!(
        err.contains("codings/A.csv:3: error: unknown segment \"int-99#1\""),
        "{err}"
    );
    assert!(
        err.contains("codings/A.csv:4: error: unknown code \"nosuchcode\""),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        text,
        "spor code never rewrites a coder's file"
    );
    let rows = codings(s.path());
    let both: Vec<_> = rows
        .iter()
        .filter(|r| r[0] == seg && &r[6] == "technofix")
        .collect();
    assert!(
        both.iter()
            .any(|r| r[7].starts_with("rule:") && &r[8] == "rejected" && &r[15] == "no")
    );
    assert!(
        both.iter()
            .any(|r| &r[7] == "coder:A" && &r[8] == "rejected" && r[14].contains("parathed"))
    );
    assert!(rows.iter().any(|r| &r[0] == "int-01#2"
        && &r[7] == "coder:A"
        && &r[8] == "accepted"
        && &r[15] == "yes"));
}

#[test]
fn add_and_remove_append_to_the_coders_file() {
    let s = sundtek();
    let p = s.path().join("codings/B.csv");
    let prefix = "segment;code;status;memo\r\nint-01#2;context;accepted;første\r\n";
    std::fs::write(&p, prefix).unwrap();
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            "int-01#4",
            "readiness",
            "--coder",
            "B",
            "--memo",
            "tempo, ikke parat",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, _) = spor_run(
        s.path(),
        &["code", "remove", "int-01#2", "context", "--coder", "B"],
    );
    assert_eq!(code, 0);
    let after = std::fs::read_to_string(&p).unwrap();
    assert!(after.starts_with(prefix), "{after}");
    assert_eq!(
        &after[prefix.len()..],
        "int-01#4;readiness;accepted;tempo, ikke parat\r\nint-01#2;context;rejected;\r\n"
    );
    // the last decision counts
    code_json(s.path());
    let rows = codings(s.path());
    assert!(
        rows.iter()
            .any(|r| &r[0] == "int-01#2" && &r[7] == "coder:B" && &r[8] == "rejected")
    );
    assert!(
        rows.iter()
            .any(|r| &r[0] == "int-01#4" && &r[7] == "coder:B" && &r[8] == "accepted")
    );
    // bad input leaves the file alone
    let (code, _, err) = spor_run(
        s.path(),
        &["code", "add", "int-01#999", "readiness", "--coder", "B"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("unknown segment"), "{err}");
    let (code, _, _) = spor_run(
        s.path(),
        &["code", "add", "int-01#4", "nosuch", "--coder", "B"],
    );
    assert_eq!(code, 2);
    let (code, _, _) = spor_run(
        s.path(),
        &["code", "add", "int-01#4", "readiness", "--coder", "rules"],
    );
    assert_eq!(code, 2);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), after);
    // a new coder's file is created with a header
    let (code, _, _) = spor_run(
        s.path(),
        &["code", "add", "int-01#4", "readiness", "--coder", "C"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(s.path().join("codings/C.csv")).unwrap(),
        "segment,code,status,memo,anchor,start,end,quote\nint-01#4,readiness,accepted,,993c5ec872e4f3f2,,,\n"
    );
}

#[test]
fn review_with_piped_answers_is_resumable() {
    let s = sundtek();
    let mut c = spor(s.path());
    c.args(["review", "technofix", "--coder", "D"])
        .write_stdin("a\nr\nx\ns\nq\n");
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("[1/"), "{out}");
    assert!(
        out.contains("please answer a, p QUOTE, r, s, m TEXT, u or q"),
        "{out}"
    );
    assert!(
        out.contains("[[") && out.contains("]]"),
        "matched words are marked: {out}"
    );
    assert!(out.contains("1 accepted, 1 rejected, 1 skipped"), "{out}");
    let file = std::fs::read_to_string(s.path().join("codings/D.csv")).unwrap();
    let lines: Vec<&str> = file.lines().collect();
    assert_eq!(lines.len(), 3, "{file}");
    assert!(lines[1].contains(",technofix,accepted,,"), "{file}");
    assert!(lines[2].contains(",technofix,rejected,,"), "{file}");
    // every row carries the anchor of the text it was made on
    assert!(lines[1].split(',').nth(4).unwrap().len() == 16, "{file}");
    let first = lines[1].split(',').next().unwrap().to_owned();
    // resume: the decided ones are not asked again; EOF stops cleanly
    let mut c = spor(s.path());
    c.args(["review", "technofix", "--coder", "D"])
        .write_stdin("");
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(!out.contains(&format!("] {first} ")), "{out}");
    assert_eq!(
        std::fs::read_to_string(s.path().join("codings/D.csv")).unwrap(),
        file
    );
    // the accepted suggestion is now accepted, the rejected one rejected
    code_json(s.path());
    let rows = codings(s.path());
    assert!(rows.iter().any(|r| r[0] == first
        && &r[6] == "technofix"
        && r[7].starts_with("rule:")
        && &r[8] == "accepted"));
}

#[test]
fn counting_policy_from_flag_and_manifest() {
    let s = sundtek();
    let p = s.path().join("codings/E.csv");
    std::fs::write(&p, "segment,code\nint-01#2,context\n").unwrap();
    let v = code_json(s.path());
    let counted = |v: &Value| -> u64 {
        v["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["counted_segments"].as_u64().unwrap())
            .sum()
    };
    assert!(counted(&v) > 100);
    let (_, out, _) = spor_run(s.path(), &["code", "--json", "--policy", "human-only"]);
    let h: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(h["policy"], "human-only");
    let human_rows: u64 = ["R01", "R02"]
        .iter()
        .map(|c| {
            std::fs::read_to_string(s.path().join(format!("codings/{c}.csv")))
                .map(|t| t.lines().count() as u64 - 1)
                .unwrap_or(0)
        })
        .sum();
    assert!(counted(&h) >= 1 && counted(&h) <= 1 + human_rows, "{h}");
    let m = s.path().join("spor.toml");
    let t = std::fs::read_to_string(&m).unwrap() + "\n[coding]\npolicy = \"human-only\"\n";
    std::fs::write(&m, t).unwrap();
    let v = code_json(s.path());
    assert_eq!(v["policy"], "human-only");
    let rows = codings(s.path());
    assert!(rows.iter().all(|r| &r[16] == "human-only"));
    assert!(
        rows.iter()
            .filter(|r| r[7].starts_with("rule:"))
            .all(|r| &r[15] == "no")
    );
    let t = std::fs::read_to_string(&m)
        .unwrap()
        .replace("human-only", "everything");
    std::fs::write(&m, t).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown [coding] policy \"everything\""),
        "{err}"
    );
}

#[test]
fn shipped_codebooks_pass_their_tests() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["codebook", "test"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 codebook(s), 15 codes"), "{out}");
    assert!(out.contains(", 0 failure(s)"), "{out}");
}

#[test]
fn codebook_test_names_code_rule_and_text() {
    let s = sundtek();
    let cb = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("codebooks/sundtek-cues.toml")).unwrap();
    // one of technofix's own examples, added as a counter-example too
    let at = text.find("id = \"technofix\"").unwrap();
    let cx = at + text[at..].find("counter_examples = [").unwrap() + "counter_examples = [".len();
    let text = format!(
        "{}\"Vi købte løsningen, før vi havde beskrevet behovet.\", {}",
        &text[..cx],
        &text[cx..]
    );
    std::fs::write(cb.path().join("cues.toml"), text).unwrap();
    let m = s.path().join("spor.toml");
    let t = std::fs::read_to_string(&m).unwrap();
    let t = t.replace(
        "../../codebooks/sundtek-cues.toml",
        cb.path().join("cues.toml").to_str().unwrap(),
    );
    std::fs::write(&m, t).unwrap();
    let (code, out, _) = spor_run(s.path(), &["codebook", "test"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("counter-example matched by rule"), "{out}");
    assert!(
        out.contains("technofix: counter-example matched by rule technofix-"),
        "{out}"
    );
    assert!(
        out.contains("Vi købte løsningen, før vi havde beskrevet behovet."),
        "{out}"
    );
}

#[test]
fn broken_codebook_names_file_line_and_column() {
    let s = sundtek();
    let cb = s.path().join("broken.toml");
    std::fs::write(
        &cb,
        "[codebook]\nid = \"b\"\ntitle = \"B\"\nversion = \"1\"\nlanguage = \"da\"\n\n[[codes]]\nid = \"x\"\nlabel = \"X\"\nlabel_en = \"X\"\ndefinition = \"d\"\n[[codes.rules]]\nid = \"x-1\"\nquery = \"teknologi AND (\"\n",
    )
    .unwrap();
    let m = s.path().join("spor.toml");
    let t = std::fs::read_to_string(&m).unwrap();
    std::fs::write(
        &m,
        t.replace("codebooks = [", "codebooks = [\"broken.toml\", "),
    )
    .unwrap();
    let (code, _, err) = spor_run(s.path(), &["codebook", "test"]);
    assert_eq!(code, 2);
    assert!(err.contains("error: broken.toml:14:24: rule x-1:"), "{err}");
}

#[test]
fn rules_against_a_coder() {
    let s = sundtek();
    std::fs::write(
        s.path().join("codings/F.csv"),
        "segment,code\nint-01#2,context\nint-01#4,context\n",
    )
    .unwrap();
    let (code, out, err) = spor_run(s.path(), &["codebook", "eval", "--coder", "F", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["documents"], serde_json::json!(["int-01"]));
    let ctx = v["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "context")
        .unwrap();
    let tp = ctx["true_positives"].as_u64().unwrap();
    let fn_ = ctx["false_negatives"].as_u64().unwrap();
    assert_eq!(tp + fn_, 2);
    let (code, _, err) = spor_run(s.path(), &["codebook", "eval", "--coder", "nobody"]);
    assert_eq!(code, 2);
    assert!(err.contains("has coded no document"), "{err}");
}

#[test]
fn same_codings_whatever_the_thread_count() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["--threads", "1", "code"]);
    assert_eq!(code, 0, "{err}");
    let one = std::fs::read(s.path().join("out/codings.csv")).unwrap();
    std::fs::remove_dir_all(s.path().join(".spor")).unwrap();
    let (code, _, _) = spor_run(s.path(), &["--threads", "2", "code"]);
    assert_eq!(code, 0);
    assert_eq!(
        one,
        std::fs::read(s.path().join("out/codings.csv")).unwrap()
    );
}

/// The index may be built with any number of threads, from scratch or
/// brought up to date after edits: `spor code` writes the same codings
/// (phrases and proximity are matched on positions, never on the index's
/// segment layout).
#[test]
fn same_codings_from_an_updated_index_and_a_fresh_one() {
    let s = sundtek();
    let codings = || std::fs::read(s.path().join("out/codings.csv")).unwrap();
    let (code, _, err) = spor_run(s.path(), &["--threads", "2", "code"]);
    assert_eq!(code, 0, "{err}");
    // edits that sloppy phrases of the rules match, with repeated words
    edit(
        s.path(),
        "transcripts/int-01.txt",
        "Det opdagede vi først, da vi havde dem i drift.",
        "Det opdagede vi først, da vi havde dem i drift. Der var ingen der havde regnet med det, ingen havde regnet med at der ikke var plads ved sengen.",
    );
    edit(
        s.path(),
        "transcripts/int-02.txt",
        "men jeg holder stille [griner].",
        "men jeg holder stille [griner]. Den første nat i drift gik det galt, og vi havde ikke taget højde for det.",
    );
    let (code, _, err) = spor_run(s.path(), &["--threads", "2", "code"]);
    assert_eq!(code, 0, "{err}");
    let updated = codings();
    assert!(
        String::from_utf8_lossy(&updated).contains("regnet"),
        "the edit is coded"
    );
    // the updated index without the rules' cache, then a fresh index
    std::fs::remove_dir_all(s.path().join(".spor/cache")).unwrap();
    let (code, _, err) = spor_run(s.path(), &["--threads", "1", "code"]);
    assert_eq!(code, 0, "{err}");
    assert!(updated == codings(), "updated index without cache differs");
    std::fs::remove_dir_all(s.path().join(".spor")).unwrap();
    let (code, _, err) = spor_run(s.path(), &["--threads", "1", "code"]);
    assert_eq!(code, 0, "{err}");
    assert!(updated == codings(), "fresh index with one thread differs");
}

/// `spor code` reuses what unchanged rules matched in unchanged documents
/// (`.spor/cache/suggestions.json`); after a rule and a transcript change,
/// the cached run gives the same codings as a run from scratch.
#[test]
fn cached_recoding_equals_a_clean_run() {
    let s = sundtek();
    let v = code_json(s.path());
    assert_eq!(v["cache"]["rules_reused"], 0, "{}", v["cache"]);
    assert!(s.path().join(".spor/cache/suggestions.json").is_file());
    let v = code_json(s.path());
    assert_eq!(
        v["cache"]["rules_run"], 0,
        "nothing changed: {}",
        v["cache"]
    );
    let first = std::fs::read(s.path().join("out/codings.csv")).unwrap();
    // a rule is widened, a transcript gains a turn that only it matches
    edit(
        s.path(),
        "../../codebooks/sundtek-cues.toml",
        "query = '(test* OR *test",
        "query = '(test* OR prøvekørsl* OR *test",
    );
    let t = std::fs::read_to_string(s.path().join("transcripts/int-01.txt")).unwrap();
    let eol = if t.contains("\r\n") { "\r\n" } else { "\n" };
    let (code, out, err) = spor_run(s.path(), &["export", "segments", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let segs: Value = serde_json::from_str(&out).unwrap();
    let speaker = segs
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["document"] == "int-01" && x["role"] == "participant")
        .map(|x| x["speaker"].as_str().unwrap().to_owned())
        .unwrap();
    let mut t = t;
    if !t.ends_with(eol) {
        t.push_str(eol);
    }
    t.push_str(&format!(
        "{speaker}: Prøvekørslen foregik i et demolokale, ikke på afdelingen.{eol}"
    ));
    std::fs::write(s.path().join("transcripts/int-01.txt"), t).unwrap();
    let v = code_json(s.path());
    // only the widened rule runs over the index; the others on int-01 alone
    assert_eq!(v["cache"]["rules_run"], 1, "{}", v["cache"]);
    assert_eq!(v["cache"]["documents_rerun"], 1, "{}", v["cache"]);
    let cached = std::fs::read(s.path().join("out/codings.csv")).unwrap();
    assert_ne!(first, cached, "the changes should change the codings");
    let new_turn = String::from_utf8_lossy(&cached)
        .lines()
        .any(|l| l.contains(",context,") && l.contains("prøvekørslen"));
    assert!(new_turn, "the widened rule codes the new turn");
    std::fs::remove_dir_all(s.path().join(".spor")).unwrap();
    code_json(s.path());
    let clean = std::fs::read(s.path().join("out/codings.csv")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&cached),
        String::from_utf8_lossy(&clean)
    );
}
