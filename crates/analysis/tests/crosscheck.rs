//! spor's alpha and kappa on randomly generated codings, against the PyPI
//! package `krippendorff` (alpha) and an independent numpy kappa, to 1e-9.
//! Runs when `SPOR_PYTHON` names a Python with `krippendorff` and `numpy`
//! (`scripts/test` sets it up); prints that it is skipped otherwise, and
//! fails when `SPOR_REQUIRE_CROSSCHECK` is set (as in CI).

use spor_analysis::agreement::{cohen_kappa, krippendorff_alpha_nominal};
use std::io::Write;
use std::process::{Command, Stdio};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn alpha_and_kappa_match_python() {
    let Ok(python) = std::env::var("SPOR_PYTHON") else {
        assert!(
            std::env::var("SPOR_REQUIRE_CROSSCHECK").is_err(),
            "SPOR_REQUIRE_CROSSCHECK is set but SPOR_PYTHON is not"
        );
        eprintln!("skipped: set SPOR_PYTHON to a Python with krippendorff and numpy");
        return;
    };
    let mut rng = Lcg(42);
    let mut matrices: Vec<Vec<Vec<Option<u32>>>> = Vec::new(); // coders x units
    let mut pairs: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
    for case in 0..200 {
        let coders = 2 + rng.next(4) as usize;
        let units = 5 + rng.next(60) as usize;
        let cats = 2 + rng.next(if case % 2 == 0 { 1 } else { 4 }) as u32;
        let missing = rng.next(30);
        let m: Vec<Vec<Option<u32>>> = (0..coders)
            .map(|_| {
                (0..units)
                    .map(|_| (rng.next(100) >= missing).then(|| rng.next(cats as u64) as u32))
                    .collect()
            })
            .collect();
        matrices.push(m);
        let n = 10 + rng.next(90) as usize;
        let a: Vec<u32> = (0..n).map(|_| rng.next(cats as u64) as u32).collect();
        let b: Vec<u32> = a
            .iter()
            .map(|&x| {
                if rng.next(100) < 60 {
                    x
                } else {
                    rng.next(cats as u64) as u32
                }
            })
            .collect();
        pairs.push((a, b));
    }
    let req = serde_json::json!({
        "alpha": matrices,
        "kappa": pairs.iter().map(|(a, b)| vec![a.clone(), b.clone()]).collect::<Vec<_>>(),
    });
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/crosscheck/agreement.py"
    );
    let mut child = Command::new(&python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(req.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python failed");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut compared = 0;
    for (i, m) in matrices.iter().enumerate() {
        // spor's data model is units x coders
        let units: Vec<Vec<Option<u32>>> = (0..m[0].len())
            .map(|u| m.iter().map(|c| c[u]).collect())
            .collect();
        let ours = krippendorff_alpha_nominal(&units);
        let theirs = v["alpha"][i].as_f64();
        match (ours, theirs) {
            (Some(a), Some(b)) => {
                assert!(
                    (a - b).abs() < 1e-9,
                    "case {i}: spor {a} vs krippendorff {b}"
                );
                compared += 1;
            }
            (None, None) => {}
            (a, b) => panic!("case {i}: spor {a:?} vs krippendorff {b:?}"),
        }
    }
    for (i, (a, b)) in pairs.iter().enumerate() {
        let ours = cohen_kappa(a, b);
        let theirs = v["kappa"][i].as_f64();
        match (ours, theirs) {
            (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "kappa case {i}: {x} vs {y}"),
            (None, None) => {}
            (x, y) => panic!("kappa case {i}: {x:?} vs {y:?}"),
        }
    }
    assert!(compared > 150, "only {compared} alpha cases compared");
    eprintln!(
        "cross-checked {compared} alpha values and {} kappa values to 1e-9",
        pairs.len()
    );
}
