//! Honest counts and the report's language, end to end on temp copies of
//! the example study: every count splits into turns a person reviewed and
//! unreviewed rule suggestions, and a coder's acceptance moves one turn
//! from one to the other; the report speaks Danish by default and English
//! on request.

mod common;
use common::*;
use serde_json::Value;

fn json(study: &std::path::Path, args: &[&str]) -> Value {
    let (code, out, err) = spor_run(study, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn row<'a>(rows: &'a Value, code: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no row for {code}"))
}

fn counts(r: &Value) -> (u64, u64, u64) {
    (
        r["segments"].as_u64().unwrap(),
        r["reviewed_segments"].as_u64().unwrap(),
        r["unreviewed_segments"].as_u64().unwrap(),
    )
}

/// An unreviewed turn of `code`, from its trace.
fn unreviewed_turn(study: &std::path::Path, code: &str) -> String {
    let t = json(study, &["trace", "--code", code, "--format", "json"]);
    let q = t["codes"][0]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["reviewed"] == false)
        .expect("an unreviewed quote");
    assert!(
        !q["matched"].as_array().unwrap().is_empty(),
        "a rule suggestion names the words it matched: {q}"
    );
    q["segment"].as_str().unwrap().to_owned()
}

#[test]
fn accepting_a_suggestion_moves_one_turn_from_unreviewed_to_reviewed() {
    let s = sundtek();
    let code = "readiness";
    let before = json(s.path(), &["export", "translation", "--format", "json"]);
    let (n, rev, unrev) = counts(row(&before, code));
    assert_eq!(n, rev + unrev);
    assert!(unrev > 0, "the example has unreviewed suggestions");
    assert!(
        row(&before, code)["policy_text"]
            .as_str()
            .unwrap()
            .contains("nobody has reviewed are counted")
    );
    let seg = unreviewed_turn(s.path(), code);
    let (c, _, err) = spor_run(s.path(), &["code", "add", &seg, code, "--coder", "T"]);
    assert_eq!(c, 0, "{err}");

    let after = json(s.path(), &["export", "translation", "--format", "json"]);
    assert_eq!(counts(row(&after, code)), (n, rev + 1, unrev - 1));

    // CSV: the same split in its own columns
    let (c, csv, _) = spor_run(s.path(), &["export", "translation", "--format", "csv"]);
    assert_eq!(c, 0);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let line = r
        .records()
        .map(|x| x.unwrap())
        .find(|x| &x[col("code")] == code)
        .unwrap();
    assert_eq!(line[col("segments")], n.to_string());
    assert_eq!(line[col("reviewed_segments")], (rev + 1).to_string());
    assert_eq!(line[col("unreviewed_segments")], (unrev - 1).to_string());

    // Markdown says it in words
    let (c, md, _) = spor_run(s.path(), &["export", "translation", "--format", "md"]);
    assert_eq!(c, 0);
    assert!(
        md.contains(&format!(
            "{n} ({} reviewed, {} unreviewed)",
            rev + 1,
            unrev - 1
        )),
        "{md}"
    );

    // the trace: the accepted turn is now reviewed and listed first
    let t = json(s.path(), &["trace", "--code", code, "--format", "json"]);
    let tc = &t["codes"][0];
    assert_eq!(tc["reviewed_segments"], rev + 1);
    assert_eq!(tc["unreviewed_segments"], unrev - 1);
    let quotes = tc["segments"].as_array().unwrap();
    let first_unreviewed = quotes.iter().position(|q| q["reviewed"] == false).unwrap();
    assert!(
        quotes[..first_unreviewed]
            .iter()
            .any(|q| q["segment"] == seg.as_str())
    );
    assert!(
        quotes[first_unreviewed..]
            .iter()
            .all(|q| q["reviewed"] == false)
    );
    let (c, md, _) = spor_run(s.path(), &["trace", "--code", code]);
    assert_eq!(c, 0);
    assert!(md.contains(&format!(
        "{n} ({} reviewed, {} unreviewed) participant turns",
        rev + 1,
        unrev - 1
    )));
}

#[test]
fn matrix_cells_split_their_counts() {
    let s = sundtek();
    let m = json(
        s.path(),
        &["matrix", "--by", "profession", "--format", "json"],
    );
    let cells = m.as_array().unwrap();
    assert!(!cells.is_empty());
    let mut unreviewed = 0;
    for c in cells {
        let (n, r, u) = counts(c);
        assert_eq!(n, r + u, "{c}");
        unreviewed += u;
    }
    assert!(unreviewed > 0);
    // one coder's own codings are all reviewed
    let m = json(
        s.path(),
        &[
            "matrix",
            "--by",
            "profession",
            "--coder",
            "R01",
            "--format",
            "json",
        ],
    );
    for c in m.as_array().unwrap() {
        assert_eq!(c["unreviewed_segments"], 0, "{c}");
    }
}

#[test]
fn human_only_counts_no_unreviewed_turn() {
    let s = sundtek();
    std::fs::write(
        s.path().join("spor.toml"),
        std::fs::read_to_string(s.path().join("spor.toml")).unwrap()
            + "\n[coding]\npolicy = \"human-only\"\n",
    )
    .unwrap();
    let rows = json(s.path(), &["export", "translation", "--format", "json"]);
    for r in rows.as_array().unwrap() {
        assert_eq!(r["unreviewed_segments"], 0, "{r}");
        assert!(
            r["policy_text"]
                .as_str()
                .unwrap()
                .starts_with("Only codings a person made or accepted")
        );
    }
}

fn report(study: &std::path::Path, args: &[&str]) -> String {
    let mut a = vec!["report"];
    a.extend_from_slice(args);
    let (code, _, err) = spor_run(study, &a);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(study.join("out/report.html")).unwrap()
}

#[test]
fn the_report_speaks_danish_by_default_and_english_on_request() {
    let s = sundtek();
    let da = report(s.path(), &[]);
    assert!(da.contains("<html lang=\"da\">"));
    assert!(da.contains("<h2 id=\"h-translation\">Fra fund til format</h2>"));
    assert!(da.contains("Forslag fra regler, som ingen har gennemgået, tælles med"));
    assert!(da.contains("ikke gennemgået"));
    // a bar on each finding and each learning goal or format element
    let findings = da.matches("<details class=\"finding\"").count();
    let goals = da.matches("<details class=\"trace\"").count();
    assert!(findings > 0 && goals > 0);
    assert!(da.matches("<span class=\"split\" role=\"img\"").count() >= findings + goals);
    // labels, not ids, in the heat map
    assert!(da.contains(">Teknologiparathed<") || da.contains(">Teknologiparathed</tspan>"));
    // the agreement table gives a verdict per code
    assert!(da.contains("pålidelig"));

    let en = report(s.path(), &["--lang", "en"]);
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("<h2 id=\"h-translation\">From findings to format</h2>"));
    assert!(!en.contains("Fra fund til format"));

    edit(
        s.path(),
        "spor.toml",
        "curriculum = \"curriculum.toml\"",
        "curriculum = \"curriculum.toml\"\nlanguage = \"en\"",
    );
    assert!(report(s.path(), &[]).contains("<html lang=\"en\">"));
    assert!(report(s.path(), &["--lang", "da"]).contains("<html lang=\"da\">"));

    let (code, _, err) = spor_run(s.path(), &["report", "--lang", "de"]);
    assert_eq!(code, 2);
    assert!(err.contains("--lang: unknown language \"de\""), "{err}");
}

#[test]
fn a_study_without_findings_says_so() {
    let s = sundtek();
    edit(
        s.path(),
        "spor.toml",
        "codebooks = [\"../../codebooks/sundtek-cues.toml\", ",
        "codebooks = [",
    );
    let html = report(s.path(), &[]);
    assert!(html.contains("id=\"no-findings\""), "no message");
    assert!(!html.contains("<details class=\"finding\""));
}
