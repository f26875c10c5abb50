//! Hardening: output to a closed pipe or a full disk, numeric and other
//! argument validation, privacy of private attributes, CSV formulas.

mod common;
use common::*;
use std::process::{Command as StdCommand, Stdio};

/// The commands that print results on standard output.
const PRINTING: &[&[&str]] = &[
    &["stats"],
    &["check", "--verbose"],
    &["search", "det"],
    &["search", "det", "--json"],
    &["export", "segments"],
    &["matrix"],
    &["matrix", "--format", "csv"],
    &["agree", "--coders", "R01,R02"],
    &["saturation"],
    &["codebook", "test"],
    &["trace", "LG-V1"],
    &["export", "translation"],
    &["code"],
];

fn spor_std(study: &std::path::Path, args: &[&str]) -> StdCommand {
    let mut c = StdCommand::new(assert_cmd::cargo::cargo_bin("spor"));
    c.arg("--study").arg(study).args(args);
    c
}

#[test]
fn closed_pipe_ends_quietly_with_exit_0() {
    let s = sundtek();
    assert_eq!(spor_run(s.path(), &["index"]).0, 0);
    for args in PRINTING {
        let mut child = spor_std(s.path(), args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // close the reading end before spor writes anything
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("error"), "{args:?}: {err}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn full_disk_on_stdout_is_an_error_not_a_panic() {
    let s = sundtek();
    assert_eq!(spor_run(s.path(), &["index"]).0, 0);
    for args in PRINTING {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = spor_std(s.path(), args)
            .stdout(Stdio::from(full))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("cannot write to standard output") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn numeric_arguments_are_validated() {
    let s = sundtek();
    for (args, needle) in [
        (&["--threads", "100000", "stats"][..], "--threads"),
        (&["--threads", "0", "stats"][..], "--threads"),
        (&["saturation", "--threshold", "NaN"][..], "--threshold"),
        (&["saturation", "--threshold", "inf"][..], "--threshold"),
        (&["saturation", "--base", "0"][..], "--base"),
        (&["saturation", "--run", "0"][..], "--run"),
        (&["search", "det", "--limit", "0"][..], "--limit"),
        (
            &["search", "det", "--limit", "18446744073709551615"][..],
            "--limit",
        ),
    ] {
        let (code, _, err) = spor_run(s.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle) && !err.contains("panicked"), "{err}");
    }
    let (code, _, err) = spor_run(s.path(), &["--threads", "256", "stats"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn arguments_naming_nothing_are_refused() {
    let s = sundtek();
    for (args, needle) in [
        (
            &["saturation", "--by", "nosuch"][..],
            "--by: unknown attribute \"nosuch\"",
        ),
        (&["matrix", "--coder", "nosuch"][..], "no coder \"nosuch\""),
        (&["agree", "--coders", "R01,R01"][..], "names \"R01\" twice"),
        (
            &["code", "add", "int-01#2", "technofix", "--coder", "x.csv"][..],
            "--coder x for codings/x.csv",
        ),
        (
            &["review", "technofix", "--coder", "../R01"][..],
            "coder's name",
        ),
        (&["search", ""][..], "error: empty query"),
    ] {
        let (code, _, err) = spor_run(s.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert!(!s.path().join("codings/x.csv.csv").exists());
    assert!(!s.path().join("codings/x.csv").exists());
}

/// Add a `private:initialer` column to participants.csv.
fn add_private_column(study: &std::path::Path) {
    let p = study.join("participants.csv");
    let t: String = std::fs::read_to_string(&p)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},private:initialer\n")
            } else {
                format!("{l},XY\n")
            }
        })
        .collect();
    std::fs::write(&p, t).unwrap();
}

#[test]
fn private_attributes_are_not_search_filters() {
    let s = sundtek();
    add_private_column(s.path());
    for args in [
        &["search", "teknologi AND initialer:XY"][..],
        &["search", "teknologi -initialer:XY"][..],
        &["search", "teknologi", "--where", "initialer=XY"][..],
        &["saturation", "--by", "initialer"][..],
        &["matrix", "--by", "initialer"][..],
    ] {
        let (code, out, err) = spor_run(s.path(), args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            err.contains("\"initialer\" is marked private"),
            "{args:?}: {err}"
        );
    }
    // the documented setting allows it for the team's own work
    let toml = s.path().join("spor.toml");
    let mut t = std::fs::read_to_string(&toml).unwrap();
    t.push_str("\n[privacy]\nprivate_filters = true\n");
    std::fs::write(&toml, t).unwrap();
    let (code, out, err) = spor_run(s.path(), &["search", "teknologi AND initialer:XY"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("[[teknologi"), "{out}");
}

#[test]
fn csv_outputs_neutralise_formulas() {
    let s = sundtek();
    let memo = "=HYPERLINK(\"http://example.invalid\",\"klik\")";
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            "int-13#6",
            "technofix",
            "--coder",
            "R01",
            "--memo",
            memo,
        ],
    );
    assert_eq!(code, 0, "{err}");
    for dialect in ["standard", "excel-da"] {
        let (code, _, err) = spor_run(s.path(), &["--csv-dialect", dialect, "code"]);
        assert_eq!(code, 0, "{err}");
        let csv = std::fs::read_to_string(s.path().join("out/codings.csv")).unwrap();
        assert!(csv.contains("'=HYPERLINK("), "{dialect}");
        assert!(
            !csv.lines()
                .any(|l| l.split([',', ';']).any(|c| c.starts_with('='))),
            "{dialect}"
        );
    }
    // the coder's own file keeps what the coder wrote
    let own = std::fs::read_to_string(s.path().join("codings/R01.csv")).unwrap();
    assert!(own.contains("=HYPERLINK("), "{own}");
}

/// Point int-01's `file` at `to` in documents.csv.
fn repoint_int01(study: &std::path::Path, to: &str) {
    edit(study, "documents.csv", "transcripts/int-01.txt", to);
}

/// `spor check` on a study whose int-01 row is bad: exit 1, and the
/// message, never a hang (a timeout fails the test).
fn check_names(study: &std::path::Path, needle: &str) {
    let mut c = spor(study);
    c.arg("check").timeout(std::time::Duration::from_secs(60));
    let (code, out, err) = run(c);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        (out.clone() + &err).contains(needle),
        "{needle:?} not in {out}{err}"
    );
    let (code, _, err) = spor_run(study, &["export", "segments"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn transcripts_outside_the_study_are_refused() {
    let s = sundtek();
    repoint_int01(s.path(), "../../etc/passwd");
    check_names(s.path(), "\"../../etc/passwd\" is outside the study folder");
    let s = sundtek();
    repoint_int01(s.path(), "/etc/passwd");
    check_names(s.path(), "\"/etc/passwd\" is outside the study folder");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_study_and_special_files_are_refused() {
    let s = sundtek();
    let outside = s.path().parent().unwrap().join("outside.txt");
    std::fs::copy(s.path().join("transcripts/int-01.txt"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, s.path().join("transcripts/link.txt")).unwrap();
    repoint_int01(s.path(), "transcripts/link.txt");
    check_names(s.path(), "is a symlink to");
    // the documented setting allows it
    let toml = s.path().join("spor.toml");
    let mut t = std::fs::read_to_string(&toml).unwrap();
    t.push_str("\n[input]\nfollow_symlinks = true\n");
    std::fs::write(&toml, t).unwrap();
    let (code, _, err) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 0, "{err}");

    // a symlink to a device inside the rules still is no regular file
    let s = sundtek();
    std::os::unix::fs::symlink("/dev/zero", s.path().join("transcripts/zero.txt")).unwrap();
    let toml = s.path().join("spor.toml");
    let mut t = std::fs::read_to_string(&toml).unwrap();
    t.push_str("\n[input]\nfollow_symlinks = true\n");
    std::fs::write(&toml, t).unwrap();
    repoint_int01(s.path(), "transcripts/zero.txt");
    check_names(s.path(), "not a regular file");

    // a FIFO would block a reader forever
    let s = sundtek();
    let fifo = s.path().join("transcripts/fifo.txt");
    let ok = StdCommand::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(ok.success());
    repoint_int01(s.path(), "transcripts/fifo.txt");
    check_names(s.path(), "not a regular file");
}

#[test]
fn a_same_size_edit_with_its_old_mtime_restored_is_noticed() {
    let s = sundtek();
    let p = s.path().join("transcripts/int-01.txt");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let set = |t| {
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(t)
            .unwrap()
    };
    set(old);
    assert_eq!(spor_run(s.path(), &["index"]).0, 0);
    // age the index meta so that its stat cache is trusted
    let meta = s.path().join(".spor/index/spor-index.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&meta).unwrap()).unwrap();
    v["written_ns"] = serde_json::json!(u64::MAX);
    std::fs::write(&meta, serde_json::to_vec(&v).unwrap()).unwrap();
    let text = std::fs::read_to_string(&p).unwrap();
    // same length: swap one word of the text for another of equal bytes
    let edited = text.replacen("altså", "ALTSÅ", 1);
    assert_ne!(edited, text);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&p, &edited).unwrap();
    set(old);
    let (code, out, err) = spor_run(s.path(), &["index", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["changed"], serde_json::json!(["int-01"]), "{out}");
}

#[test]
fn queries_have_a_cost_limit() {
    let s = sundtek();
    assert_eq!(spor_run(s.path(), &["index"]).0, 0);
    // 625 wildcards in 3 KB took minutes on a large study
    let many = vec!["*xy*"; 625].join(" ");
    let t = std::time::Instant::now();
    let (code, _, err) = spor_run(s.path(), &["search", &many]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("more than 100 wildcard terms"), "{err}");
    assert!(t.elapsed().as_secs() < 30, "{:?}", t.elapsed());
    // wildcards that each match hundreds of words
    let wide = vec!["*er*"; 40].join(" OR ");
    let (code, _, err) = spor_run(s.path(), &["search", &wide]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the query is too costly to run"), "{err}");
    // a few are fine
    let (code, _, err) = spor_run(s.path(), &["search", "*er* OR *te*"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn two_runs_at_once_both_succeed() {
    let s = sundtek();
    let a = spor_std(s.path(), &["run"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let b = spor_std(s.path(), &["run"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
    }
    let (code, _, err) = spor_run(s.path(), &["audit"]);
    assert_eq!(code, 0, "{err}");
    // nothing left over from either run's swap
    let names: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with(".out.")), "{names:?}");
}

#[test]
fn a_search_during_a_rebuild_waits_and_succeeds() {
    let s = sundtek();
    assert_eq!(spor_run(s.path(), &["index"]).0, 0);
    let rebuild = spor_std(s.path(), &["index", "--rebuild"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let searches: Vec<_> = (0..3)
        .map(|_| {
            spor_std(s.path(), &["search", "teknologi", "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in searches {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(!v.as_array().unwrap().is_empty());
    }
    assert_eq!(rebuild.wait_with_output().unwrap().status.code(), Some(0));
}

#[cfg(target_os = "linux")]
#[test]
fn a_held_lock_makes_a_writer_wait_then_fail_clearly() {
    if StdCommand::new("flock").arg("--version").output().is_err() {
        eprintln!("skipped: no flock(1)");
        return;
    }
    let s = sundtek();
    std::fs::create_dir_all(s.path().join(".spor")).unwrap();
    let lock = s.path().join(".spor/lock");
    // --no-fork: flock becomes the sleep, so killing it frees the lock
    let mut holder = StdCommand::new("flock")
        .arg("--no-fork")
        .arg(&lock)
        .args(["sleep", "30"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let out = spor_std(s.path(), &["index"])
        .env("SPOR_LOCK_TIMEOUT", "1")
        .output()
        .unwrap();
    let _ = holder.kill();
    let _ = holder.wait();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("waiting for another spor command"), "{err}");
    assert!(err.contains("held this study's lock"), "{err}");
    // once it is free, the same command runs
    let (code, _, err) = spor_run(s.path(), &["index"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_damaged_index_is_rebuilt_with_a_warning() {
    let s = sundtek();
    assert_eq!(spor_run(s.path(), &["index"]).0, 0);
    let dir = s.path().join(".spor/index");
    let mut damaged = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "idx" || x == "store") {
            std::fs::write(&p, b"").unwrap();
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    let (code, out, err) = spor_run(s.path(), &["search", "teknologi", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("built anew: the index's segments could not be read"),
        "{err}"
    );
    assert!(
        err.contains("cannot read the index file") && !err.contains("IoError {"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(!v.as_array().unwrap().is_empty());
}

/// Set the mode of `dir` and everything under it (`add`: bits to set,
/// `clear`: bits to clear; directories keep their search bit).
fn chmod_tree(dir: &std::path::Path, add: u32, clear: u32) {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(dir).unwrap();
    let mode = (meta.permissions().mode() | add) & !clear;
    if meta.is_dir() {
        for e in std::fs::read_dir(dir).unwrap() {
            chmod_tree(&e.unwrap().path(), add, clear);
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode | 0o111)).unwrap();
    } else {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[test]
fn read_only_commands_work_on_a_read_only_spor_folder() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    let top = s.path().parent().unwrap().parent().unwrap().to_path_buf();
    chmod_tree(&top, 0o444, 0);
    chmod_tree(&s.path().join(".spor"), 0, 0o222);
    let spor_dir = s.path().join(".spor");
    // root writes anyway: run spor as `nobody` then, through setpriv
    let probe = spor_dir.join("probe");
    let as_root = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(&probe);
    let bin = assert_cmd::cargo::cargo_bin("spor");
    let spor_cmd = |args: &[&str]| -> StdCommand {
        if as_root {
            let mut c = StdCommand::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(top.join("spor"));
            c.arg("--study").arg(s.path()).args(args);
            c
        } else {
            let mut c = StdCommand::new(&bin);
            c.arg("--study").arg(s.path()).args(args);
            c
        }
    };
    if as_root {
        let has_setpriv = StdCommand::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !has_setpriv {
            eprintln!("skipped: running as root without setpriv");
            return;
        }
        std::fs::copy(&bin, top.join("spor")).unwrap();
    }
    let writable = top.join("w");
    std::fs::create_dir(&writable).unwrap();
    chmod_tree(&writable, 0o777, 0);
    let report = writable.join("report.html");
    let report = report.to_str().unwrap();
    for args in [
        &["search", "teknologi"][..],
        &["matrix"],
        &["audit"],
        &["report", "-o", report],
    ] {
        let out = spor_cmd(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
    assert!(std::path::Path::new(report).is_file());
    // nothing was written into .spor/
    chmod_tree(&spor_dir, 0o200, 0);
}

#[test]
fn damaged_caches_are_rebuilt_with_a_warning_and_change_nothing() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(s.path().join("out/codings.csv")).unwrap();
    let cache = s.path().join(".spor/cache/suggestions.json");
    let anchors = s.path().join(".spor/anchors.json");
    assert!(cache.is_file() && anchors.is_file());
    std::fs::write(&cache, b"{\"version\": 3, \"documents\": {\"x\"").unwrap();
    std::fs::write(&anchors, b"\0\0garbage").unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("the suggestion cache could not be read"),
        "{err}"
    );
    assert!(
        err.contains(".spor/anchors.json") && err.contains("could not be read"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(s.path().join("out/codings.csv")).unwrap(),
        before
    );
    // and rebuilt: the next run is quiet about it
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("could not be read"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_search_while_a_writer_holds_the_study_waits_then_succeeds() {
    if StdCommand::new("flock").arg("--version").output().is_err() {
        eprintln!("skipped: no flock(1)");
        return;
    }
    let s = sundtek();
    assert_eq!(spor_run(s.path(), &["index"]).0, 0);
    let lock = s.path().join(".spor/lock");
    // a writer (here flock itself) holds the study for two seconds
    let mut holder = StdCommand::new("flock")
        .arg("--no-fork")
        .arg(&lock)
        .args(["sleep", "2"])
        .spawn()
        .unwrap();
    // wait until the lock is surely held
    let t = std::time::Instant::now();
    while StdCommand::new("flock")
        .args(["--nonblock"])
        .arg(&lock)
        .arg("true")
        .status()
        .unwrap()
        .success()
    {
        assert!(t.elapsed().as_secs() < 10, "flock never held the lock");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = spor_std(s.path(), &["search", "teknologi", "--json"])
        .env("SPOR_LOCK_TIMEOUT", "60")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("waiting for another spor command"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!v.as_array().unwrap().is_empty());
    holder.wait().unwrap();
}
