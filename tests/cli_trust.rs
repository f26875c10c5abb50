//! End-to-end tests of the evidence a reviewer can trust: codings anchored
//! to their text (moved with it, orphaned when it is gone), the audit that
//! checks outputs, curriculum, agreement and coder files, coverage, memos,
//! appends under concurrency, and `--study` that never climbs to another
//! study.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn human_rows(study: &Path, coder: &str) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(study.join("out/codings.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (seg, code, origin) = (col("segment"), col("code"), col("origin"));
    r.records()
        .map(|x| x.unwrap())
        .filter(|x| x[origin] == *format!("coder:{coder}"))
        .map(|x| (x[seg].to_owned(), x[code].to_owned()))
        .collect()
}

fn audit_json(study: &Path) -> (i32, Value) {
    let (code, out, err) = spor_run(study, &["audit", "--json"]);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}\n{err}")),
    )
}

fn checks(v: &Value) -> Vec<String> {
    v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["check"].as_str().unwrap().to_owned())
        .collect()
}

const INSERTED: &str = "Interviewer: (optagelsen starter)\n";

#[test]
fn inserting_a_turn_moves_every_coding_with_its_text() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let before = human_rows(s.path(), "R01");
    assert!(
        before
            .iter()
            .any(|(seg, c)| seg == "int-13#6" && c == "context")
    );
    let p = s.path().join("transcripts/int-13.txt");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{INSERTED}{text}")).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("moved int-13#6 -> int-13#7"), "{err}");
    let after = human_rows(s.path(), "R01");
    assert_eq!(before.len(), after.len());
    // every int-13 coding is one turn down, every other coding unchanged
    let shifted: Vec<(String, String)> = before
        .iter()
        .map(|(seg, c)| match seg.strip_prefix("int-13#") {
            Some(t) => (
                format!("int-13#{}", t.parse::<usize>().unwrap() + 1),
                c.clone(),
            ),
            None => (seg.clone(), c.clone()),
        })
        .collect();
    let mut a = after.clone();
    let mut b = shifted;
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // no coding sits on the inserted interviewer turn
    assert!(!after.iter().any(|(seg, _)| seg == "int-13#1"));
}

#[test]
fn moving_works_without_spor_folder_because_rows_carry_anchors() {
    let s = sundtek();
    let p = s.path().join("transcripts/int-13.txt");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{INSERTED}{text}")).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("moved int-13#6 -> int-13#7"), "{err}");
}

#[test]
fn a_typo_fix_keeps_the_coding_in_place() {
    let s = sundtek();
    spor_run(s.path(), &["code"]);
    // fix a "typo" in a coded turn: its text changes a little
    edit(
        s.path(),
        "transcripts/int-13.txt",
        "Syv år nu.",
        "Syv år nu, cirka.",
    );
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("orphaned"), "{err}");
}

#[test]
fn deleting_a_coded_turn_orphans_its_codings_and_fails_the_audit() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    let p = s.path().join("transcripts/int-13.txt");
    let text = std::fs::read_to_string(&p).unwrap();
    // remove the participant's answer at turn 6 (and the question before it)
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("Interviewer: Hvordan kom platformen"))
        .unwrap();
    let mut kept: Vec<&str> = lines[..start].to_vec();
    let mut i = start + 2;
    while i < lines.len() && !lines[i].starts_with("Interviewer:") {
        i += 1;
    }
    kept.extend(&lines[i..]);
    std::fs::write(&p, kept.join("\n") + "\n").unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(
        code, 1,
        "spor code exits 1 when codings are orphaned: {err}"
    );
    assert!(err.contains("orphaned coding: int-13#6 context"), "{err}");
    assert!(err.contains("codings/R01.csv:"), "{err}");
    let (code, v) = audit_json(s.path());
    assert_eq!(code, 1);
    let c = checks(&v);
    assert!(c.contains(&"orphaned-coding".to_owned()), "{c:?}");
    assert!(c.contains(&"input-changed".to_owned()), "{c:?}");
    // the audit says, turn by turn, what changed and what it touches
    let changes = v["changes"].as_array().unwrap();
    let int13 = changes.iter().find(|d| d["document"] == "int-13").unwrap();
    let removed: Vec<&Value> = int13["turns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["change"] == "removed")
        .collect();
    assert_eq!(removed.len(), 2, "{int13}");
    assert!(
        removed.iter().any(|t| t["codes_before"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "context")),
        "{int13}"
    );
    assert!(
        v["impact"]["codes_losing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "context")
    );
    assert!(!v["impact"]["elements"].as_array().unwrap().is_empty());
    let (_, text, _) = spor_run(s.path(), &["audit"]);
    assert!(text.contains("removed  int-13#6"), "{text}");
    // and the coder's file is untouched
    assert_eq!(
        std::fs::read(s.path().join("codings/R01.csv")).unwrap(),
        std::fs::read(root().join("examples/sundtek/codings/R01.csv")).unwrap()
    );
}

#[test]
fn hand_edited_outputs_fail_the_audit() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    let (code, v) = audit_json(s.path());
    assert_eq!(code, 0, "{v}");
    for file in [
        "out/translation.md",
        "out/codings.csv",
        "out/trace/LG-F3.md",
    ] {
        let p = s.path().join(file);
        let old = std::fs::read(&p).unwrap();
        let mut new = old.clone();
        new.extend_from_slice(b"\n161\n");
        std::fs::write(&p, &new).unwrap();
        let (code, v) = audit_json(s.path());
        assert_eq!(code, 1, "{file}");
        let hit = v["violations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["check"] == "output-changed" && x["subject"] == file);
        assert!(hit, "{file}: {v}");
        std::fs::write(&p, &old).unwrap();
    }
    std::fs::remove_file(s.path().join("out/translation.csv")).unwrap();
    let (code, v) = audit_json(s.path());
    assert_eq!(code, 1);
    assert!(checks(&v).contains(&"output-missing".to_owned()));
}

#[test]
fn a_curriculum_without_goals_fails_the_audit() {
    let s = sundtek();
    let p = s.path().join("curriculum.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    let cut = text.find("[[learning_goals]]").unwrap();
    let rest = &text[cut..];
    let fe = rest.find("[[format_elements]]").unwrap();
    std::fs::write(&p, format!("{}{}", &text[..cut], &rest[fe..])).unwrap();
    let (code, out, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 1, "{out}{err}");
    let audit = std::fs::read_to_string(s.path().join("out/audit.json")).unwrap();
    assert!(audit.contains("empty-curriculum"), "{audit}");
    assert!(
        audit.contains("min_alpha"),
        "thresholds are recorded: {audit}"
    );
}

#[test]
fn low_agreement_on_a_linked_code_fails_and_thresholds_are_printed() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    let (_, text, _) = spor_run(s.path(), &["audit"]);
    assert!(text.contains("min_alpha 0.667"), "{text}");
    assert!(text.contains("LG-F3"), "reviewed shares per goal: {text}");
    // a stricter threshold than technofix's alpha (about 0.7) fails it
    let toml = s.path().join("spor.toml");
    let mut t = std::fs::read_to_string(&toml).unwrap();
    t.push_str("\n[audit]\nmin_alpha = 0.9\nmin_reviewed_share = 0.5\n");
    std::fs::write(&toml, t).unwrap();
    let (code, v) = audit_json(s.path());
    assert_eq!(code, 1);
    let c = checks(&v);
    assert!(c.contains(&"low-agreement".to_owned()), "{c:?}");
    assert!(c.contains(&"unreviewed-evidence".to_owned()), "{c:?}");
    assert_eq!(v["settings"]["min_alpha"], 0.9);
    // an unknown key is an error, not silently ignored
    let mut t = std::fs::read_to_string(&toml).unwrap();
    t.push_str("min_alfa = 0.5\n");
    std::fs::write(&toml, t).unwrap();
    let (code, _, err) = spor_run(s.path(), &["audit"]);
    assert_eq!(code, 2);
    assert!(err.contains("min_alfa"), "{err}");
}

#[test]
fn bad_rows_in_a_coder_file_are_errors_and_the_rest_counts() {
    let s = sundtek();
    let p = s.path().join("codings/R02.csv");
    let mut text = std::fs::read_to_string(&p).unwrap();
    let rows = text.lines().count() - 1;
    text.push_str(
        "int-13#6;technofix;accepted;;\nint-13#8,technofix\nint-13#8,technofix,maybe,,\n",
    );
    std::fs::write(&p, &text).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 1, "{err}");
    for line in [rows + 2, rows + 3, rows + 4] {
        assert!(
            err.contains(&format!("codings/R02.csv:{line}:")),
            "{line}: {err}"
        );
    }
    // R02's good rows still count
    assert!(!human_rows(s.path(), "R02").is_empty());
    let (code, v) = audit_json(s.path());
    assert_eq!(code, 1);
    assert!(checks(&v).contains(&"coder-file-error".to_owned()));
    let (code, _, _) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 1, "spor check reads coder files");
}

#[test]
fn memos_are_a_history_never_cleared() {
    let s = sundtek();
    let add = |memo: &str| {
        let mut c = spor(s.path());
        c.args(["code", "add", "int-01#4", "technofix", "--coder", "MH"]);
        if !memo.is_empty() {
            c.args(["--memo", memo]);
        }
        let (code, _, err) = run(c);
        assert_eq!(code, 0, "{err}");
    };
    add("første tanke");
    add("");
    add("=HYPERLINK(\"x\"), på to\nlinjer");
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "memo",
            "--document",
            "int-01",
            "--coder",
            "MH",
            "Interviewet blev afbrudt",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let mut r = csv::Reader::from_path(s.path().join("out/codings.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let memo = h.iter().position(|x| x == "memo").unwrap();
    let origin = h.iter().position(|x| x == "origin").unwrap();
    let row = r
        .records()
        .map(|x| x.unwrap())
        .find(|x| &x[origin] == "coder:MH")
        .unwrap();
    assert!(row[memo].contains("første tanke"), "{:?}", &row[memo]);
    assert!(row[memo].contains("to\nlinjer"), "{:?}", &row[memo]);
    assert!(
        row[memo].find("første").unwrap() < row[memo].find("HYPERLINK").unwrap(),
        "oldest first"
    );
    // the coder's file holds the rows exactly as written
    let file = std::fs::read_to_string(s.path().join("codings/MH.csv")).unwrap();
    assert!(
        file.starts_with("segment,code,status,memo,anchor,start,end,quote\n"),
        "{file}"
    );
    assert!(
        file.contains("int-01,,memo,Interviewet blev afbrudt,"),
        "{file}"
    );
}

#[test]
fn reviewing_one_code_covers_only_that_code() {
    let s = sundtek();
    // MH reviews one technofix suggestion in int-01, nothing else
    let (code, _, err) = spor_run(
        s.path(),
        &["code", "remove", "int-01#4", "technofix", "--coder", "MH"],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = spor_run(s.path(), &["agree", "--coders", "rules,MH", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["coverage"]["MH"]["int-01"],
        serde_json::json!(["technofix"])
    );
    let units = |code: &str| {
        v["codes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()["n_units"]
            .as_u64()
            .unwrap()
    };
    assert!(units("technofix") > 0);
    assert_eq!(units("context"), 0, "MH never looked at context");
    // declaring the document done covers every code
    let (code, _, err) = spor_run(s.path(), &["code", "done", "int-01", "--coder", "MH"]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = spor_run(s.path(), &["agree", "--coders", "rules,MH", "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["coverage"]["MH"]["int-01"], "all");
}

#[test]
fn parallel_appends_keep_every_row() {
    let s = sundtek();
    let n = 24;
    let children: Vec<std::process::Child> = (0..n)
        .map(|i| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("spor"))
                .arg("--study")
                .arg(s.path())
                .args(["code", "memo", "--code", "technofix", "--coder", "PAR"])
                .arg(format!("memo {i}"))
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let text = std::fs::read_to_string(s.path().join("codings/PAR.csv")).unwrap();
    assert_eq!(text.lines().count(), n + 1, "{text}");
    for i in 0..n {
        assert!(text.contains(&format!(",memo {i},")), "{i}");
    }
}

#[cfg(unix)]
#[test]
fn appending_keeps_the_file_itself() {
    use std::os::unix::fs::PermissionsExt;
    let s = sundtek();
    let real = s.path().join("codings/real-R01.txt");
    std::fs::rename(s.path().join("codings/R01.csv"), &real).unwrap();
    std::os::unix::fs::symlink("real-R01.txt", s.path().join("codings/R01.csv")).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, _, err) = spor_run(
        s.path(),
        &["code", "add", "int-01#4", "technofix", "--coder", "R01"],
    );
    assert_eq!(code, 0, "{err}");
    let link = std::fs::symlink_metadata(s.path().join("codings/R01.csv")).unwrap();
    assert!(link.file_type().is_symlink(), "still a symlink");
    let meta = std::fs::metadata(&real).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("int-01#4,technofix,accepted")
    );
    // a read-only file is an error, and stays as it was
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&real).unwrap();
    let (code, _, err) = spor_run(
        s.path(),
        &["code", "add", "int-01#6", "technofix", "--coder", "R01"],
    );
    if std::fs::OpenOptions::new().append(true).open(&real).is_ok() {
        eprintln!("skipped: running as root, a read-only file is writable");
        return;
    }
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(std::fs::read(&real).unwrap(), before);
}

#[test]
fn a_missing_study_folder_is_an_error_not_a_search_upward() {
    let s = sundtek();
    let mut c = spor(&s.path().join("typo/x"));
    c.current_dir(s.path()).arg("run");
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("typo/x"), "{err}");
    assert!(!s.path().join("out").exists(), "nothing was written");
    // an output folder that does not exist is an error, not a new tree
    let (code, _, err) = spor_run(
        s.path(),
        &["export", "translation", "-o", "nosuch/dir/t.md"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("nosuch/dir"), "{err}");
    assert!(!s.path().join("nosuch").exists());
}

#[test]
fn the_coder_comes_from_spor_coder_when_not_given() {
    let s = sundtek();
    let mut c = spor(s.path());
    c.env("SPOR_CODER", "ENV1")
        .args(["code", "add", "int-01#4", "technofix"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(s.path().join("codings/ENV1.csv").is_file());
    let mut c = spor(s.path());
    c.env_remove("SPOR_CODER")
        .args(["code", "add", "int-01#4", "technofix"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("--coder"), "{err}");
}

#[test]
fn review_shows_the_code_and_context_takes_memos_and_undoes() {
    let s = sundtek();
    let mut c = spor(s.path());
    c.args(["review", "technofix", "--coder", "U"])
        .write_stdin("m Tvivl om afgrænsningen\na klart technofix\nr\nu\ns\nq\n");
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("  definition: "), "{out}");
    assert!(out.contains("  after ("), "the next turn is shown: {out}");
    assert!(out.contains("memo recorded"), "{out}");
    assert!(out.contains("withdrew the decision on"), "{out}");
    let file = std::fs::read_to_string(s.path().join("codings/U.csv")).unwrap();
    let rows: Vec<&str> = file.lines().skip(1).collect();
    assert_eq!(rows.len(), 4, "{file}");
    assert!(rows[0].contains(",technofix,memo,Tvivl om afgrænsningen,"));
    assert!(rows[1].contains(",technofix,accepted,klart technofix,"));
    assert!(rows[2].contains(",technofix,rejected,,"));
    let second = rows[2].split(',').next().unwrap();
    assert!(
        rows[3].starts_with(&format!("{second},technofix,withdrawn,,")),
        "{file}"
    );
    // the withdrawn decision is gone; the accepted one and its memos stay
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let first = rows[1].split(',').next().unwrap();
    let csv = std::fs::read_to_string(s.path().join("out/codings.csv")).unwrap();
    let mine: Vec<&str> = csv.lines().filter(|l| l.contains("coder:U")).collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert!(mine[0].starts_with(first));
    assert!(
        csv.contains("Tvivl om afgrænsningen\nklart technofix"),
        "memo history in order"
    );
}

#[test]
fn an_unclosed_quote_in_a_coder_file_is_reported_and_never_appended_into() {
    let s = sundtek();
    let p = s.path().join("codings/Q.csv");
    let text = "segment,code,status,memo\nint-01#4,technofix,accepted,\"glemt anførselstegn\nint-01#6,technofix,accepted,\n";
    std::fs::write(&p, text).unwrap();
    let (code, out, _) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("codings/Q.csv:2: error:") && out.contains("never closed"),
        "{out}"
    );
    let (code, _, err) = spor_run(
        s.path(),
        &["code", "add", "int-01#8", "technofix", "--coder", "Q"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("never closed"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        text,
        "the file is untouched"
    );
}
