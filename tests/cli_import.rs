//! `spor import qdpx|qdc`: the round trip through spor's own export keeps
//! the translation table; the REFI-QDA samples import with their counts;
//! a hand-made project exercises the tolerant reader; bad archives fail
//! cleanly, naming the file and entry, and leave nothing behind.

mod common;
mod import_support;
use common::*;
use import_support::*;
use serde_json::Value;
use std::path::Path;

fn segments(study: &Path) -> Vec<Value> {
    let (code, out, err) = spor_run(study, &["export", "segments", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn round_trip_through_qdpx_keeps_the_translation_table() {
    let s = sundtek();
    let base = s.path().parent().unwrap().to_path_buf(); // <tmp>/examples
    let x = base.join("x.qdpx");
    let (code, _, err) = spor_run(s.path(), &["export", "qdpx", "-o", x.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v = import(&base, &x, "imported");
    let imp = base.join("imported");
    assert_eq!(v["documents"], 25);
    assert_eq!(v["origin"], "spor");
    assert_eq!(v["positions"], "code-point");
    let sel = &v["selections"];
    assert!(sel["total"].as_u64().unwrap() > 300);
    assert_eq!(sel["mapped"], sel["total"], "every selection is one turn");
    for k in ["cross_turn", "clamped", "out_of_range", "outside_turns"] {
        assert_eq!(sel[k], 0, "{k}");
    }
    assert_eq!(v["coders"], serde_json::json!(["R01", "R02"]));
    assert!(v["rule_suggestions"].as_u64().unwrap() > 500);
    assert_eq!(
        v["codebooks"],
        serde_json::json!(["codebooks/sundtek-cues.toml", "codebooks/mtv-domains.toml"])
    );

    // The sheets and the coders' files come back.
    assert_eq!(
        sorted_lines(&imp.join("participants.csv")),
        sorted_lines(&s.path().join("participants.csv"))
    );
    let strip_file = |rows: Vec<std::collections::BTreeMap<String, String>>| {
        rows.into_iter()
            .map(|mut r| {
                r.remove("file");
                r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip_file(csv_rows(&imp.join("documents.csv"))),
        strip_file(csv_rows(&s.path().join("documents.csv")))
    );
    // The same segments: ids, speakers, participants, text, lines, offsets.
    let key = |v: Vec<Value>| -> Vec<Vec<Value>> {
        v.into_iter()
            .map(|s| {
                [
                    "segment",
                    "speaker",
                    "participant",
                    "profession",
                    "role",
                    "text",
                    "line_start",
                    "line_end",
                    "char_start",
                    "char_end",
                ]
                .iter()
                .map(|k| s[*k].clone())
                .collect()
            })
            .collect()
    };
    assert_eq!(key(segments(&imp)), key(segments(s.path())));

    // REFI-QDA has no curriculum and no rules: add the curriculum, name the
    // original codebooks, and `spor run` writes the same translation table.
    std::fs::copy(
        s.path().join("curriculum.toml"),
        imp.join("curriculum.toml"),
    )
    .unwrap();
    let imported_toml = std::fs::read_to_string(imp.join("spor.toml")).unwrap();
    std::fs::write(
        imp.join("spor.toml"),
        "[study]\nname = \"SUNDTEK\"\ncodebooks = [\"../../codebooks/sundtek-cues.toml\", \"../../codebooks/mtv-domains.toml\"]\ncurriculum = \"curriculum.toml\"\n",
    )
    .unwrap();
    for study in [s.path(), imp.as_path()] {
        let (code, out, err) = spor_run(study, &["run"]);
        assert_eq!(code, 0, "{}: {out}{err}", study.display());
    }
    // The coders' decisions come back, passages and all (REFI-QDA carries
    // decisions, not anchors or `done` rows): the human rows of
    // out/codings.csv are the same.
    let human = |p: &Path| -> Vec<Vec<String>> {
        csv_rows(&p.join("out/codings.csv"))
            .into_iter()
            .filter(|r| r["origin"].starts_with("coder:"))
            .map(|r| {
                ["segment", "code", "origin", "status", "passages", "quotes"]
                    .iter()
                    .map(|k| r[*k].clone())
                    .collect()
            })
            .collect()
    };
    let (a, b) = (human(s.path()), human(&imp));
    assert!(
        a.iter().filter(|r| !r[4].is_empty()).count() >= 8,
        "the example has passages"
    );
    assert_eq!(b, a);
    let want = std::fs::read_to_string(s.path().join("out/translation.csv")).unwrap();
    assert_eq!(
        std::fs::read_to_string(imp.join("out/translation.csv")).unwrap(),
        want
    );

    // With the imported codebooks (ids, findings, cues and translations
    // but no rules) and the rule suggestions counted as a coder, every
    // figure is the same; only the exemplar quotes may differ, since spor
    // ranks them by the rules' scores, which REFI-QDA does not carry.
    std::fs::write(
        imp.join("spor.toml"),
        imported_toml.replace(
            "codebooks = [",
            "curriculum = \"curriculum.toml\"\ncodebooks = [",
        ) + "\n# the rule suggestions, imported as a coder, agree poorly with people\n[audit]\nmin_alpha = -1\n",
    )
    .unwrap();
    std::fs::rename(
        imp.join("import/spor-rules.csv"),
        imp.join("codings/spor-rules.csv"),
    )
    .unwrap();
    let (code, out, err) = spor_run(&imp, &["run"]);
    assert_eq!(code, 0, "{out}{err}");
    let figures = |p: &Path| {
        csv_rows(p)
            .into_iter()
            .map(|mut r| {
                // the rule suggestions are now a coder's file: reviewed
                r.retain(|k, _| {
                    !k.starts_with("quote_") && !k.starts_with("cite_") && !k.contains("reviewed_")
                });
                r
            })
            .collect::<Vec<_>>()
    };
    for r in csv_rows(&imp.join("out/translation.csv")) {
        assert_eq!(r["reviewed_segments"], r["segments"]);
        assert_eq!(r["unreviewed_segments"], "0");
    }
    let got = figures(&imp.join("out/translation.csv"));
    assert_eq!(got.len(), 8);
    assert_eq!(got, figures(&s.path().join("out/translation.csv")));
}

#[test]
fn samples_import_with_their_counts() {
    let Some(dir) = samples() else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    /// What a sample imports to.
    struct Expect {
        name: &'static str,
        documents: u64,
        codes: u64,
        categories: u64,
        selections: u64,
        coders: &'static [&'static str],
    }
    let cases = [
        Expect {
            name: "nvivo-win12-oltas",
            documents: 2,
            codes: 152,
            categories: 1,
            selections: 303,
            coders: &["Gergo", "floriansipos"],
        },
        Expect {
            name: "nvivo-mac12-oltas",
            documents: 2,
            codes: 152,
            categories: 1,
            selections: 297,
            coders: &["floriansipos"],
        },
        Expect {
            name: "nvivo-mac15-codes-only",
            documents: 0,
            codes: 262,
            categories: 0,
            selections: 0,
            coders: &[],
        },
        Expect {
            name: "qc-demo",
            documents: 2,
            codes: 262,
            categories: 0,
            selections: 158,
            coders: &["cp"],
        },
    ];
    for e in cases {
        let (name, docs, codes, cats, total, coders) = (
            e.name,
            e.documents,
            e.codes,
            e.categories,
            e.selections,
            e.coders,
        );
        let v = import(t.path(), &dir.join(format!("{name}.qdpx")), name);
        assert_eq!(v["documents"], docs, "{name}");
        assert_eq!(v["codes"], codes, "{name}");
        assert_eq!(v["categories"], cats, "{name}");
        assert_eq!(v["coders"], serde_json::json!(coders), "{name}");
        let sel = &v["selections"];
        assert_eq!(sel["total"], total, "{name}");
        assert_eq!(sel["mapped"], total, "{name}: every selection in one turn");
        for k in [
            "cross_turn",
            "clamped",
            "out_of_range",
            "outside_turns",
            "not_text",
        ] {
            assert_eq!(sel[k], 0, "{name}: {k}");
        }
        let (code, out, err) = spor_run(&t.path().join(name), &["check"]);
        assert_eq!(code, 0, "{name}: {out}{err}");
    }
    let win = import(t.path(), &dir.join("nvivo-win12-oltas.qdpx"), "win-again");
    assert_eq!(win["positions"], "utf16");
    let warnings = win["warnings"].to_string();
    assert!(warnings.contains("no speaker labels"), "{warnings}");
    // Counted as code points, NVivo's positions drift onto other turns.
    let (code, _, err) = spor_in(
        t.path(),
        &[
            "import",
            "qdpx",
            dir.join("nvivo-win12-oltas.qdpx").to_str().unwrap(),
            "--into",
            "win-cp",
            "--positions",
            "code-point",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_ne!(
        sorted_lines(&t.path().join("win-cp/codings/floriansipos.csv")),
        sorted_lines(&t.path().join("win-again/codings/floriansipos.csv"))
    );
    let q = import(t.path(), &dir.join("qc-demo.qdpx"), "qc-again");
    assert_eq!(q["positions"], "code-point");
    assert_eq!(
        q["codings"], 199,
        "205 codings, 6 of them twice on one turn"
    );
    let m15 = import(
        t.path(),
        &dir.join("nvivo-mac15-codes-only.qdpx"),
        "m15-again",
    );
    assert!(m15["warnings"].to_string().contains("has no text"));

    // The Windows and Mac exports of one project give the same transcripts
    // and the same codings: the Mac export is a day older and lacks the 6
    // selections Gergo made on the last day.
    let (w, m) = (
        t.path().join("nvivo-win12-oltas"),
        t.path().join("nvivo-mac12-oltas"),
    );
    for doc in ["videos_selection", "videos_10_selected"] {
        let f = format!("transcripts/{doc}.txt");
        let a = std::fs::read_to_string(w.join(&f)).unwrap();
        let b = std::fs::read_to_string(m.join(&f)).unwrap();
        assert_eq!(a.trim_end(), b.trim_end(), "{doc}");
    }
    assert_eq!(
        sorted_lines(&w.join("codings/floriansipos.csv")),
        sorted_lines(&m.join("codings/floriansipos.csv"))
    );
    // 6 codings in one document, its `done` row and the header
    assert_eq!(sorted_lines(&w.join("codings/Gergo.csv")).len(), 8);
    assert_eq!(
        sorted_lines(&w.join("participants.csv")),
        sorted_lines(&m.join("participants.csv"))
    );
}

#[test]
fn hand_made_project_imports_tolerantly_and_reports_what_it_cannot_place() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("hand.qdpx");
    std::fs::write(&f, hand_made()).unwrap();
    let (code, out, err) = spor_in(
        t.path(),
        &["import", "qdpx", "hand.qdpx", "--into", "study"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("imported hand.qdpx (MAXQDA 24) into study"),
        "{out}"
    );
    for w in [
        "hand.qdpx: warning: source \"Interview 1\" selection s2: spans 2 turns (Interview-1#2-3); coded on each",
        "hand.qdpx: warning: source \"Interview 1\" selection s3: positions",
        "past the end of the text",
        "hand.qdpx: warning: source \"Interview 1\" selection s4: ends at",
        "hand.qdpx: warning: source \"Interview 1\" selection s5: lies outside every turn",
        "source \"Noter\": the text has no speaker labels",
        "1 selection(s) in PDF, picture, audio or video sources skipped",
        "not imported (spor has no place for them): 1 set(s)",
        "participants.csv: warning: 2 speaker(s) have no case",
        "dates that are not ISO 8601 went to the column source_date: Interview-1",
    ] {
        assert!(err.contains(w), "{w}\n{err}");
    }
    let s = t.path().join("study");
    let docs = csv_rows(&s.join("documents.csv"));
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["document"], "Interview-1");
    assert_eq!(docs[0]["kind"], "interview");
    assert_eq!(docs[0]["source_date"], "12-03-2024");
    assert_eq!(docs[0]["afdeling"], "Kirurgi");
    assert_eq!(docs[1]["kind"], "text");
    let parts = csv_rows(&s.join("participants.csv"));
    let anna = parts.iter().find(|r| r["speaker"] == "Anna").unwrap();
    assert_eq!(
        (
            anna["participant"].as_str(),
            anna["profession"].as_str(),
            anna["years"].as_str()
        ),
        ("Anna", "sygeplejerske", "12")
    );
    let int = parts
        .iter()
        .find(|r| r["speaker"] == "Interviewer")
        .unwrap();
    assert_eq!(int["role"], "interviewer");
    let noter = parts.iter().find(|r| r["document"] == "Noter").unwrap();
    assert_eq!(
        (noter["speaker"].as_str(), noter["profession"].as_str()),
        ("Ukendt", "ukendt")
    );
    assert_eq!(
        std::fs::read_to_string(s.join("transcripts/Noter.txt")).unwrap(),
        "Ukendt: Første afsnit.\n\nUkendt: Andet afsnit om arbejdsgange.\n"
    );
    assert!(
        !std::fs::read_to_string(s.join("transcripts/Interview-1.txt"))
            .unwrap()
            .contains('\r')
    );
    assert_eq!(
        sorted_lines(&s.join("codings/Anne-Hansen.csv")),
        [
            // selections of part of a turn are passages of it
            "Interview-1#2,oplaering,accepted,,0,15,Vi fik en time.",
            "Interview-1#2,arbejdsgange,accepted,,16,33,Det var for lidt.",
            "Interview-1#3,arbejdsgange,accepted,,,,",
            "Interview-1#4,arbejdsgange,accepted,,20,27,natten.",
            "Noter#2,arbejdsgange,accepted,,0,12,Andet afsnit",
            "Interview-1,,done,,,,",
            "Noter,,done,,,,",
            "segment,code,status,memo,start,end,quote",
        ]
        .map(String::from)
        .iter()
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    let book = std::fs::read_to_string(s.join("codebooks/hand.toml")).unwrap();
    assert!(book.contains("id = \"temaer\"") && book.contains("parent = \"temaer\""));
    assert!(book.contains("colour = \"#aabbcc\""));
    let (code, out, err) = spor_run(&s, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = spor_run(&s, &["code"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn bad_archives_fail_cleanly() {
    let good = hand_made();
    refused(
        "truncated.qdpx",
        &good[..good.len() / 2],
        &["truncated.qdpx: not a readable .qdpx archive"],
    );
    refused(
        "notzip.qdpx",
        b"just text",
        &["notzip.qdpx: not a readable"],
    );
    let spaces = vec![b' '; 40 * 1024 * 1024];
    refused(
        "bomb.qdpx",
        &zip_of(&[("project.qde", &spaces)]),
        &[
            "bomb.qdpx: entry project.qde:",
            "compression ratio",
            "hint:",
        ],
    );
    refused(
        "dotdot.qdpx",
        &zip_of(&[
            ("project.qde", b"<Project name='x'/>"),
            ("sources/../../evil.txt", b"x"),
        ]),
        &["dotdot.qdpx: entry sources/../../evil.txt: path leaves the archive"],
    );
    refused(
        "absolute.qdpx",
        &zip_of(&[
            ("project.qde", b"<Project name='x'/>"),
            ("/tmp/evil.txt", b"x"),
        ]),
        &["absolute.qdpx: entry /tmp/evil.txt: absolute path"],
    );
    refused(
        "xxe.qdpx",
        &zip_of(&[(
            "project.qde",
            br#"<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Project name="&xxe;"/>"#,
        )]),
        &["xxe.qdpx: entry project.qde: line 1", "DOCTYPE", "hint:"],
    );
    refused(
        "entity.qdpx",
        &zip_of(&[("project.qde", b"<Project name='x'>&xxe;</Project>")]),
        &[
            "entity.qdpx: entry project.qde:",
            "entity &xxe; is not defined",
        ],
    );
    refused(
        "notxml.qdpx",
        &zip_of(&[("project.qde", b"PK this is not XML at all")]),
        &["notxml.qdpx: entry project.qde: line 1, column 1"],
    );
    refused(
        "wrongroot.qdpx",
        &zip_of(&[("project.qde", b"<CodeBook/>")]),
        &["wrongroot.qdpx: entry project.qde: not a REFI-QDA project"],
    );
    refused(
        "noqde.qdpx",
        &zip_of(&[("sources/a.txt", b"x")]),
        &["noqde.qdpx: no project.qde"],
    );
    refused(
        "twoqde.qdpx",
        &zip_of(&[("a.qde", b"<Project/>"), ("b.qde", b"<Project/>")]),
        &["twoqde.qdpx: 2 .qde files"],
    );
    // An existing, non-empty target is never touched.
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("h.qdpx"), &good).unwrap();
    std::fs::create_dir(t.path().join("study")).unwrap();
    std::fs::write(t.path().join("study/keep.txt"), "mine").unwrap();
    let (code, _, err) = spor_in(t.path(), &["import", "qdpx", "h.qdpx", "--into", "study"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("study: exists and is not an empty folder"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(t.path().join("study")).unwrap().count(),
        1
    );
}

#[test]
fn qdc_from_spor_export_comes_back() {
    let s = sundtek();
    let qdc = s.path().join("c.qdc");
    let (code, _, _) = spor_run(s.path(), &["export", "qdc", "-o", qdc.to_str().unwrap()]);
    assert_eq!(code, 0);
    let t = tempfile::tempdir().unwrap();
    let (code, out, err) = spor_in(t.path(), &["import", "qdc", qdc.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("wrote codebooks/sundtek-cues.toml"), "{out}");
    for id in ["sundtek-cues", "mtv-domains"] {
        let orig = spor_codebook::Codebook::read(
            &root().join(format!("codebooks/{id}.toml")),
            Path::new("orig"),
        )
        .unwrap();
        let p = t.path().join(format!("codebooks/{id}.toml"));
        let back = spor_codebook::Codebook::read(&p, &p).unwrap();
        assert_eq!(
            (back.id.as_str(), back.version.as_str()),
            (id, orig.version.as_str())
        );
        assert_eq!(back.title, orig.title);
        assert_eq!(back.codes.len(), orig.codes.len());
        for (a, b) in orig.codes.iter().zip(&back.codes) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.label, b.label);
            if !a.label_en.is_empty() {
                assert_eq!(a.label_en, b.label_en);
            }
            assert_eq!(a.parent, b.parent);
            assert_eq!(a.colour, b.colour);
            assert_eq!(a.definition.trim(), b.definition);
            assert_eq!(
                (&a.finding, &a.cue, &a.translation),
                (&b.finding, &b.cue, &b.translation)
            );
            assert!(b.rules.is_empty());
        }
    }
    // Never over an existing file without --force; one file per codebook.
    let (code, _, err) = spor_in(t.path(), &["import", "qdc", qdc.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("codebooks/sundtek-cues.toml: exists") && err.contains("--force"),
        "{err}"
    );
    let (code, _, _) = spor_in(
        t.path(),
        &["import", "qdc", qdc.to_str().unwrap(), "--force"],
    );
    assert_eq!(code, 0);
    let (code, _, err) = spor_in(
        t.path(),
        &["import", "qdc", qdc.to_str().unwrap(), "-o", "one.toml"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("holds 2 codebooks"), "{err}");
}

#[test]
fn qdc_namespace_variants_sets_and_dotted_names() {
    let t = tempfile::tempdir().unwrap();
    let data = root().join("tests/data/qdc");
    let read = |name: &str| {
        let p = t.path().join(name);
        spor_codebook::Codebook::read(&p, &p).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let imp = |file: &str, out: &str| {
        spor_in(
            t.path(),
            &[
                "import",
                "qdc",
                data.join(file).to_str().unwrap(),
                "-o",
                out,
            ],
        )
    };

    let (code, out, err) = imp("nvivo-mac.qdc", "nvivo.toml");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("5 codes, 1 categories"), "{out}");
    let b = read("nvivo.toml");
    assert_eq!(b.id, "nvivo");
    let ids: Vec<(&str, Option<&str>)> = b
        .codes
        .iter()
        .map(|c| (c.id.as_str(), c.parent.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            ("implementering", None),
            ("oplaering", Some("implementering")),
            ("e-laering", Some("oplaering")),
            ("arbejdsgange", Some("implementering")),
            ("brugerinddragelse", None),
        ]
    );
    assert_eq!(b.codes[1].colour.as_deref(), Some("#33cc88"));
    assert_eq!(b.codes[1].definition, "Tid, kurser og superbrugere.");

    // Dots are part of the name, not a hierarchy; sets are not imported.
    let (code, _, err) = imp("atlas-dotted.qdc", "atlas.toml");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 set(s) not imported"), "{err}");
    let b = read("atlas.toml");
    let ids: Vec<&str> = b.codes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["mtv.teknologi", "mtv.teknologi.nedetid", "mtv.etik"]);
    assert!(b.codes.iter().all(|c| c.parent.is_none()));
    assert_eq!(b.codes[1].label, "MTV.Teknologi.Nedetid");
    assert_eq!(b.codes[0].colour.as_deref(), Some("#1f4e79"));
    assert_eq!(b.codes[2].colour.as_deref(), Some("#ff8000"));
    assert_eq!(b.codes[2].definition, "Samtykke, privatliv & værdighed.");

    // The specification's namespace, a BOM, ids that are not GUIDs, and a
    // code named like its parent.
    let (code, _, err) = imp("standard.qdc", "std.toml");
    assert_eq!(code, 0, "{err}");
    let b = read("std.toml");
    let ids: Vec<&str> = b.codes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["parathed", "parathed.parathed", "evaluering"]);

    let bad = t.path().join("bad.qdc");
    std::fs::write(
        &bad,
        "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><CodeBook/>",
    )
    .unwrap();
    let (code, _, err) = spor_in(t.path(), &["import", "qdc", "bad.qdc", "-o", "bad.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.qdc: line 1") && err.contains("DOCTYPE"),
        "{err}"
    );
    assert!(!t.path().join("bad.toml").exists());
}

#[test]
fn empty_plain_text_falls_back_to_the_docx() {
    let docx = std::fs::read(root().join("tests/data/int-04.docx")).unwrap();
    let qde = br#"<Project xmlns="urn:QDA-XML:project:1.0" name="m" origin="NVivo for Mac 15.0.0"><Sources><TextSource guid="d1" name="int-04" plainTextPath="internal://d1.txt" richTextPath="internal://d1.docx"/></Sources></Project>"#;
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("m.qdpx");
    let entries: [(&str, &[u8]); 4] = [
        ("project.qde", qde),
        ("sources/d1.txt", b"\n"),
        ("sources/d1.docx", &docx),
        ("sources/.root", b""),
    ];
    std::fs::write(&f, zip_of(&entries)).unwrap();
    let v = import(t.path(), &f, "study");
    assert_eq!(v["documents"], 1);
    assert!(
        v["warnings"]
            .to_string()
            .contains("read the text from sources/d1.docx")
    );
    assert_eq!(v["turns"], 22, "{v}");
    let (code, out, err) = spor_run(&t.path().join("study"), &["check"]);
    assert_eq!(code, 0, "{out}{err}");
}
