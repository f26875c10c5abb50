//! REFI-QDA export of the example study: deterministic bytes, selections
//! that slice exactly the segment texts, and (with xmllint) schema validity.

use spor_codebook::CodebookSet;
use spor_coding::coders::{Decision, HumanCoding};
use spor_coding::{Policy, merge};
use spor_corpus::{Corpus, Study};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

fn here(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn example() -> (Study, Corpus, CodebookSet, spor_coding::Codings) {
    let study = Study::open(&here("../../examples/sundtek")).expect("example study");
    let corpus = Corpus::read(&study);
    let paths: Vec<(PathBuf, PathBuf)> = ["sundtek-cues.toml", "mtv-domains.toml"]
        .iter()
        .map(|f| {
            (
                here(&format!("../../codebooks/{f}")),
                PathBuf::from(format!("codebooks/{f}")),
            )
        })
        .collect();
    let books = CodebookSet::read(&paths).expect("codebooks");
    let mut human = spor_coding::coders::read_all(&study, &corpus, &books).codings;
    let seg = corpus.segments().nth(1).expect("a segment").segment.clone();
    let codes: Vec<String> = books.codes().map(|(_, c)| c.id.clone()).take(3).collect();
    for (i, code) in codes.iter().enumerate() {
        human.push(HumanCoding {
            coder: if i == 0 { "zz-test" } else { "aa-test" }.into(),
            segment: seg.to_string(),
            code: code.clone(),
            decision: if i == 2 {
                Decision::Rejected
            } else {
                Decision::Accepted
            },
            memo: "hånd & <memo>".into(),
            line: 0,
            passages: Vec::new(),
        });
    }
    let mut codings = merge(&[], &human, Policy::default());
    for (code, status) in [
        (&codes[1], spor_coding::Status::Suggested),
        (&codes[2], spor_coding::Status::Rejected),
    ] {
        codings.rows.push(spor_coding::Coding {
            segment: seg.to_string().into(),
            code: code.as_str().into(),
            codebook: Default::default(),
            origin: spor_coding::Origin::Rule("test-rule".into()),
            status,
            rules: "test-rule".into(),
            matched: Default::default(),
            score: Some(1.0),
            notes: None,
        });
    }
    (study, corpus, books, codings)
}

fn attr<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let start = line.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = line[start..].find('"')? + start;
    Some(&line[start..end])
}

#[test]
fn qdpx_is_deterministic_and_selections_slice_segments() {
    let (study, corpus, books, codings) = example();
    let a = spor_export::qdpx::qdpx(&study, &corpus, &books, &codings).expect("qdpx");
    let b = spor_export::qdpx::qdpx(&study, &corpus, &books, &codings).expect("qdpx");
    assert!(a == b, "two exports differ");
    assert_eq!(
        spor_export::qdpx::qdc(&books),
        spor_export::qdpx::qdc(&books)
    );

    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a)).expect("zip");
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    assert_eq!(names[0], "project.qde");
    assert_eq!(names.len(), 1 + corpus.documents.len());
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for n in &names {
        let mut s = String::new();
        zip.by_name(n).unwrap().read_to_string(&mut s).unwrap();
        assert!(!s.starts_with('\u{feff}'), "{n} has a BOM");
        assert!(!s.contains('\r'), "{n} has CR");
        files.insert(n.clone(), s);
    }
    let qde = &files["project.qde"];
    assert_eq!(
        qde,
        &spor_export::qdpx::project_qde(&study, &corpus, &books, &codings)
    );
    let mut source: Option<&str> = None;
    let mut checked = 0;
    let mut passages = 0;
    for line in qde.lines() {
        let t = line.trim_start();
        if t.starts_with("<TextSource ") {
            let path = attr(t, "plainTextPath").unwrap();
            let file = path.strip_prefix("internal://").unwrap();
            assert_eq!(file, file.to_lowercase());
            source = Some(&files[&format!("sources/{file}")]);
        } else if t.starts_with("<PlainTextSelection ") {
            let seg_id = attr(t, "name").unwrap();
            let start: usize = attr(t, "startPosition").unwrap().parse().unwrap();
            let end: usize = attr(t, "endPosition").unwrap().parse().unwrap();
            let text: String = source
                .unwrap()
                .chars()
                .skip(start)
                .take(end - start)
                .collect();
            // a passage's selection is named `<segment> (<start>-<end>)`
            let (seg_id, passage) = match seg_id.split_once(" (") {
                Some((id, r)) => {
                    let (a, b) = r.trim_end_matches(')').split_once('-').unwrap();
                    (
                        id,
                        Some((a.parse::<usize>().unwrap(), b.parse::<usize>().unwrap())),
                    )
                }
                None => (seg_id, None),
            };
            let seg = corpus.segment(seg_id).expect("segment");
            match passage {
                None => assert_eq!(text, seg.text, "{seg_id}"),
                Some((a, b)) => {
                    let want: String = seg.text.chars().skip(a).take(b - a).collect();
                    assert_eq!(text, want, "{seg_id} {a}-{b}");
                    assert_eq!(start, seg.char_start as usize + a);
                    passages += 1;
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no selections");
    // the example's coders coded passages of long turns
    assert!(passages >= 10, "{passages} passage selections");
    // Cases are named by participant id, never by speaker label.
    for s in &study.speakers {
        if s.label != s.participant {
            assert!(
                !qde.contains(&format!("<Case guid=\"{}", s.label))
                    && !qde.contains(&format!("name=\"{}\">", s.label))
                    || s.label.len() < 3,
                "speaker label {:?} in the project",
                s.label
            );
        }
    }
    // The rejected hand coding is not exported; the two accepted ones are.
    assert!(qde.contains("name=\"aa-test\""));
    assert!(qde.contains("name=\"zz-test\""));
    assert!(qde.contains("name=\"spor rules\""));
    let rules_user = spor_export::qdpx::guid("user:rules");
    assert_eq!(
        qde.matches(&format!("creatingUser=\"{rules_user}\""))
            .count(),
        1,
        "one unrejected rule coding"
    );
    println!("{checked} selections checked");
}

#[test]
fn private_attributes_are_left_out() {
    let (mut study, corpus, books, codings) = example();
    let public = spor_export::qdpx::project_qde(&study, &corpus, &books, &codings);
    assert!(public.contains("name=\"years\"") && public.contains("<IntegerValue>"));
    study.private.insert("years".into());
    study.private.insert("setting".into());
    let qde = spor_export::qdpx::project_qde(&study, &corpus, &books, &codings);
    assert!(!qde.contains("name=\"years\""));
    assert!(!qde.contains("name=\"setting\""));
    assert!(!qde.contains("<IntegerValue>"));
    assert!(!qde.contains(&spor_export::qdpx::guid("var:years")));
    assert!(!qde.contains(&spor_export::qdpx::guid("var:setting")));
}

#[test]
fn validates_against_the_schemas() {
    let shared = Path::new("/work/shared/data/refi-qda");
    let xmllint = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if !xmllint || !shared.join("Project.xsd").exists() {
        println!("skipped: xmllint or the schemas are absent");
        return;
    }
    let (study, corpus, books, codings) = example();
    let dir = std::env::temp_dir().join(format!("spor-qdpx-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let qde = dir.join("project.qde");
    let qdc = dir.join("codebook.qdc");
    std::fs::write(
        &qde,
        spor_export::qdpx::project_qde(&study, &corpus, &books, &codings),
    )
    .unwrap();
    std::fs::write(&qdc, spor_export::qdpx::qdc(&books)).unwrap();
    for (file, xsd) in [(&qde, "Project.xsd"), (&qdc, "Codebook.xsd")] {
        let out = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(shared.join(xsd))
            .arg(file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{} does not validate: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .take(20)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
