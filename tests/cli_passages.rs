//! Passages inside a turn on the command line: `spor code add|remove|memo`
//! with `--passage START-END` or `--quote TEXT`, and `spor check` on
//! passages written by hand.

mod common;
use common::{edit, spor_run, sundtek};

const TURN: &str = "int-13#6";

fn file(study: &std::path::Path, coder: &str) -> String {
    std::fs::read_to_string(study.join(format!("codings/{coder}.csv"))).unwrap()
}

#[test]
fn add_by_quote_or_offsets_writes_the_passage_and_remove_takes_it_back() {
    let s = sundtek();
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--quote",
            "Vi blev ikke  spurgt",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("(passage 143-162: \"Vi blev ikke spurgt\")"),
        "{err}"
    );
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--passage",
            "463-485",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // both offsets and quote: they must agree
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--passage",
            "463-485",
            "--quote",
            "Det er jo",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("is not the turn's text at 463-485"), "{err}");
    let text = file(s.path(), "P");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "segment,code,status,memo,anchor,start,end,quote");
    assert_eq!(
        lines[1],
        "int-13#6,context,accepted,,8271670a2af5303b,143,162,Vi blev ikke spurgt"
    );
    assert_eq!(
        lines[2],
        "int-13#6,context,accepted,,8271670a2af5303b,463,485,Det er jo ikke sikkert"
    );
    assert_eq!(lines.len(), 3);
    // spor check reads it without a complaint
    let (code, out, err) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    // remove with a passage writes a withdrawn row for that passage only
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "remove",
            TURN,
            "context",
            "--quote",
            "Vi blev ikke spurgt",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = file(s.path(), "P");
    assert!(
        text.ends_with(
            "int-13#6,context,withdrawn,,8271670a2af5303b,143,162,Vi blev ikke spurgt\n"
        ),
        "{text}"
    );
    // memo on a passage of a coding
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "memo",
            "--segment",
            TURN,
            "--code",
            "context",
            "--quote",
            "Det er jo ikke sikkert",
            "--coder",
            "P",
            "Sikkerhed, ikke kun kontekst",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(file(s.path(), "P").ends_with(
        "int-13#6,context,memo,\"Sikkerhed, ikke kun kontekst\",8271670a2af5303b,463,485,Det er jo ikke sikkert\n"
    ));
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "memo",
            "--document",
            "int-13",
            "--quote",
            "x",
            "--coder",
            "P",
            "m",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("give --segment and --code"), "{err}");
}

#[test]
fn an_ambiguous_or_missing_quote_is_an_error_listing_what_there_is() {
    let s = sundtek();
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code", "add", TURN, "context", "--quote", "har", "--coder", "P",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("occurs 3 times in int-13#6; choose one with --passage"),
        "{err}"
    );
    for c in [
        "--passage 257-260",
        "--passage 317-320",
        "--passage 339-342",
    ] {
        assert!(err.contains(c), "{c}: {err}");
    }
    assert!(err.contains("[har] svimmelhed"), "{err}");
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--quote",
            "robotstøvsuger",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("\"robotstøvsuger\" is not in the turn's text"),
        "{err}"
    );
    assert!(err.contains("Altså, den blev købt centralt."), "{err}");
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--passage",
            "400-9999",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("past the turn's end"), "{err}");
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--passage",
            "40-9",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("must be before END"), "{err}");
    assert!(!s.path().join("codings/P.csv").exists());
}

#[test]
fn a_passage_into_an_old_header_is_refused_with_the_edit_to_make() {
    let s = sundtek();
    let before = "segment,code,status,memo,anchor\nint-13#6,patient,accepted,,8271670a2af5303b\n";
    std::fs::write(s.path().join("codings/Q.csv"), before).unwrap();
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--quote",
            "Vi blev ikke spurgt",
            "--coder",
            "Q",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("edit line 1 from `segment,code,status,memo,anchor` to `segment,code,status,memo,anchor,start,end,quote`"),
        "{err}"
    );
    assert_eq!(file(s.path(), "Q"), before);
    // after the edit, old rows count and the passage is recorded
    edit(
        s.path(),
        "codings/Q.csv",
        "memo,anchor\n",
        "memo,anchor,start,end,quote\n",
    );
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--quote",
            "Vi blev ikke spurgt",
            "--coder",
            "Q",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn check_names_the_line_of_a_bad_passage() {
    let s = sundtek();
    std::fs::write(
        s.path().join("codings/P.csv"),
        "segment,code,status,memo,anchor,start,end,quote\n\
         int-13#6,context,accepted,,8271670a2af5303b,143,162,Vi blev ikke spurgt\n\
         int-13#6,technofix,accepted,,8271670a2af5303b,143,162,Vi blev spurgt\n\
         int-13#6,readiness,accepted,,8271670a2af5303b,162,143,x\n",
    )
    .unwrap();
    let (code, out, err) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 1, "{out}{err}");
    let all = format!("{out}{err}");
    assert!(
        all.contains("codings/P.csv:3") && all.contains("is not the turn's text at 143-162"),
        "{all}"
    );
    assert!(
        all.contains("codings/P.csv:4") && all.contains("start 162 is not before its end 143"),
        "{all}"
    );
    assert!(!all.contains("codings/P.csv:2"), "{all}");
}

/// The part of `text` from the first line containing `from` up to (not
/// including) the next line starting with `stop`.
fn section(text: &str, from: &str, stop: &str) -> String {
    let mut out = Vec::new();
    let mut on = false;
    for l in text.lines() {
        if on && l.starts_with(stop) {
            break;
        }
        if !on && l.contains(from) {
            on = true;
        }
        if on {
            out.push(l);
        }
    }
    out.join("\n")
}

/// The example's coders coded passages of ws-04#2 (R01 one, R02 two, of
/// `context`), ws-05#13 and int-18#8: every output quotes those passages,
/// with `…` where the turn goes on and the passages' lines, not the turn.
#[test]
fn outputs_quote_the_passages_not_the_whole_turn() {
    use std::io::Read;
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    let out = s.path().join("out");
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    // the whole turn's first words, which no passage holds
    let whole = "Jamen, jeg kan tage skærmbesøgene";
    // a trace dossier: R01's and R02's passages of one turn together
    let trace = section(&read("trace/FE-1.md"), "### ws-04#2 ", "### ");
    assert!(!trace.contains(whole), "{trace}");
    insta::assert_snapshot!("trace_passages", trace);
    // the translation table (md): a passage, with its line
    let md = read("translation.md");
    let i = md.find("> … Udbudsreglerne").unwrap();
    let quote = md[i..].lines().take(3).collect::<Vec<_>>().join("\n");
    assert!(!quote.contains("Åh, mange."), "{quote}");
    insta::assert_snapshot!("translation_md_passage", quote);
    // csv and xlsx hold the same text
    let csv = read("translation.csv");
    assert!(csv.contains("… Udbudsreglerne, for det første."), "{csv}");
    assert!(!csv.contains("Åh, mange. [griner] Udbudsreglerne"));
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(out.join("translation.xlsx")).unwrap()).unwrap();
    let mut xml = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().starts_with("xl/") && f.name().ends_with(".xml") {
            f.read_to_string(&mut xml).unwrap();
        }
    }
    assert!(xml.contains("… Udbudsreglerne, for det første."));
    assert!(!xml.contains("Åh, mange. [griner] Udbudsreglerne"));
    // the report: the passage and its footer
    let html = read("report.html");
    let at = html
        .find("<p>… Men så har vi dem")
        .expect("the passages in the report");
    let block = &html[at..];
    let block = &block[..block.find("</footer>").unwrap() + 9];
    assert!(!block.contains(whole));
    insta::assert_snapshot!("report_passages", block);
    // out/codings.csv: the passages of each coder, last columns
    let mut rdr = csv::Reader::from_path(out.join("codings.csv")).unwrap();
    let head = rdr.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (seg, code, origin, passages, quotes) = (
        col("segment"),
        col("code"),
        col("origin"),
        col("passages"),
        col("quotes"),
    );
    // the passage columns come after counted,policy (then the learned
    // model's probability and words)
    assert_eq!(passages, col("policy") + 1);
    assert_eq!(quotes, passages + 1);
    let codings: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[seg] == "ws-04#2" && &r[code] == "context")
        .map(|r| format!("{} | {} | {:?}", &r[origin], &r[passages], &r[quotes]))
        .collect();
    insta::assert_snapshot!("codings_csv_passages", codings.join("\n"));
    // the turn counts once for context, whatever its passages
    let (code, j, err) = spor_run(
        s.path(),
        &["matrix", "--by", "profession", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let before = sundtek();
    std::fs::write(
        before.path().join("codings/R01.csv"),
        read_lines_without_passages(&s.path().join("codings/R01.csv")),
    )
    .unwrap();
    std::fs::write(
        before.path().join("codings/R02.csv"),
        read_lines_without_passages(&s.path().join("codings/R02.csv")),
    )
    .unwrap();
    let (code, j0, err) = spor_run(
        before.path(),
        &["matrix", "--by", "profession", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(j, j0, "passages change no count");
}

/// A coder's file with its passage rows left out (whole-turn codings only).
fn read_lines_without_passages(p: &std::path::Path) -> String {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_path(p)
        .unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    for rec in r.records() {
        let rec = rec.unwrap();
        if rec.get(5).unwrap_or("").is_empty() || &rec[0] == "segment" {
            w.write_record(rec.iter().take(5)).unwrap();
        }
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// A passage follows its quote when the transcript is edited, and is an
/// orphan (an error, not counted; the audit fails) when its words are gone.
#[test]
fn a_passage_follows_its_quote_or_is_orphaned() {
    let s = sundtek();
    for q in ["Vi blev ikke spurgt", "Det er jo ikke sikkert"] {
        let (code, _, err) = spor_run(
            s.path(),
            &[
                "code", "add", TURN, "context", "--quote", q, "--coder", "R01",
            ],
        );
        assert_eq!(code, 0, "{err}");
    }
    let last_line = file(s.path(), "R01").lines().count();
    let (code, out, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{out}{err}");
    // words inserted before both passages
    edit(
        s.path(),
        "transcripts/int-13.txt",
        "Altså, den blev købt centralt.",
        "Altså, den blev faktisk købt helt centralt.",
    );
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("passage int-13#6 143-162 of context is now int-13#6 156-175"),
        "{err}"
    );
    let mut rdr = csv::Reader::from_path(s.path().join("out/codings.csv")).unwrap();
    let row = rdr
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[0] == TURN && &r[6] == "context" && &r[7] == "coder:R01")
        .expect("P's coding");
    assert_eq!(&row[row.len() - 4], "156-175 476-498");
    // the second passage's words are gone: an orphan at its line
    edit(
        s.path(),
        "transcripts/int-13.txt",
        "Det er jo ikke sikkert.",
        "Det er farligt.",
    );
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "codings/R01.csv:{last_line}: error: orphaned passage"
        )),
        "{err}"
    );
    let (code, out, err) = spor_run(s.path(), &["audit"]);
    assert_eq!(code, 1, "{out}{err}");
}

#[test]
fn review_shows_the_passages_coded_on_the_turn_and_accepts_a_narrower_one() {
    let s = sundtek();
    let review = |answers: &str| {
        let mut c = common::spor(s.path());
        c.args(["review", "technofix", "--coder", "V"])
            .write_stdin(answers.to_owned());
        common::run(c)
    };
    // the first card: its turn id and text (matched words between [[ ]])
    let (code, out, err) = review("q\n");
    assert_eq!(code, 0, "{err}");
    let head = out.lines().find(|l| l.starts_with("[1/")).unwrap();
    let segment = head.split_whitespace().nth(1).unwrap().to_owned();
    let turn = out
        .lines()
        .find_map(|l| l.strip_prefix("  turn: "))
        .unwrap();
    let words: Vec<String> = turn
        .replace("[[", "")
        .replace("]]", "")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert!(words.len() > 8, "{turn}");
    let first = words[..4].join(" ");
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            &segment,
            "technofix",
            "--quote",
            &first,
            "--coder",
            "W",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // the card shows W's passage; a quote not in the turn is refused and
    // asked again; a quote in it is accepted as V's passage
    let narrower = words[4..8].join(" ");
    let (code, out, err) = review(&format!("p ikke i turen overhovedet\np {narrower}\nq\n"));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("  coded: W: technofix «{first}»")),
        "{out}"
    );
    assert!(out.contains("is not in"), "{out}");
    assert!(out.contains("accepted the passage"), "{out}");
    let v = file(s.path(), "V");
    let rows: Vec<&str> = v.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{v}");
    assert!(
        rows[0].starts_with(&format!("{segment},technofix,accepted,,")),
        "{v}"
    );
    assert!(rows[0].contains(&narrower), "the quote is in the row: {v}");
    // counted: the turn is coded by V with that passage
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(s.path().join("out/codings.csv")).unwrap();
    assert!(
        csv.lines().any(|l| l.starts_with(&format!("{segment},"))
            && l.contains("coder:V")
            && l.contains(&narrower)),
        "{csv}"
    );
}
