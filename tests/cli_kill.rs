//! Kill `spor run` and `spor index` at arbitrary moments: `out/` is always
//! a complete set (the old one or the new one) and the index still works.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, SystemTime};

/// A pseudo-random number of milliseconds below `max` (from the clock).
fn random_ms(max: u64) -> u64 {
    let n = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    (n.wrapping_mul(6364136223846793005) >> 17) % max.max(1)
}

/// Whether `dir` holds exactly the outputs its manifest lists, with their
/// hashes.
fn complete(dir: &Path) -> Result<usize, String> {
    let m = std::fs::read(dir.join("manifest.json")).map_err(|e| format!("no manifest: {e}"))?;
    let m: serde_json::Value = serde_json::from_slice(&m).map_err(|e| e.to_string())?;
    let outputs = m["outputs"].as_array().ok_or("no outputs")?;
    for o in outputs {
        let rel = o["path"].as_str().unwrap().trim_start_matches("out/");
        let bytes = std::fs::read(dir.join(rel)).map_err(|e| format!("{rel}: {e}"))?;
        if spor_corpus::sha256_hex(&bytes) != o["sha256"].as_str().unwrap() {
            return Err(format!("{rel} differs from the manifest"));
        }
    }
    Ok(outputs.len())
}

fn spawn(study: &Path, args: &[&str]) -> std::process::Child {
    StdCommand::new(assert_cmd::cargo::cargo_bin("spor"))
        .arg("--study")
        .arg(study)
        .arg("-q")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The out/ of the study, or the set a killed swap moved aside.
fn current_out(study: &Path) -> PathBuf {
    let out = study.join("out");
    if out.exists() {
        return out;
    }
    std::fs::read_dir(study)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".out.old-"))
        })
        .expect("neither out/ nor the previous set moved aside")
}

#[test]
fn killed_runs_and_index_updates_leave_a_complete_out_and_a_working_index() {
    let s = sundtek();
    let t = std::time::Instant::now();
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    let full = t.elapsed().as_millis() as u64;
    let iterations: usize = std::env::var("SPOR_KILL_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    for i in 0..iterations {
        // change an input so that the new set differs from the old one
        let p = s.path().join("transcripts/int-01.txt");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str(&format!("\nInterviewer: Tak for i dag ({i}).\n"));
        std::fs::write(&p, text).unwrap();
        let args: &[&str] = if i % 2 == 0 {
            &["run"]
        } else {
            &["index", "--rebuild"]
        };
        let mut child = spawn(s.path(), args);
        std::thread::sleep(Duration::from_millis(random_ms(full)));
        let _ = child.kill();
        let _ = child.wait();
        let out = current_out(s.path());
        let n = complete(&out).unwrap_or_else(|e| panic!("iteration {i} ({args:?}): {e}"));
        assert!(n > 10, "{n}");
        // the index still answers (rebuilt or updated as needed)
        let (code, out, err) = spor_run(s.path(), &["search", "teknologi", "--json"]);
        assert_eq!(code, 0, "iteration {i}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(!v.as_array().unwrap().is_empty());
    }
    // a last run completes, cleans up after the killed ones and passes
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    complete(&s.path().join("out")).unwrap();
    let names: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with(".out.")), "{names:?}");
}
