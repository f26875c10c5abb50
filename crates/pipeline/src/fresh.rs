//! Whether a command's last result still holds, as make and cargo know a
//! target is fresh: when the study's inputs, the settings and spor itself
//! are as they were when the command last ran, and what it wrote (its
//! outputs, the index, the caches) is as it left them, running it again
//! would write the same bytes and say the same things. The command can
//! then report its last result instead of doing the work again.
//!
//! Nothing is read to decide: every file is compared by its status (size,
//! modification and status-change times, inode), as git's index does.
//! The inputs' statuses are taken before the command reads them, and an
//! input whose times are within two seconds of that moment is not trusted
//! (git's racy rule), so an edit made while the command ran, or within a
//! coarse file system clock's tick, is never missed. What the command
//! wrote is compared exactly as it was just after it was written.
//!
//! A stamp is a cache: a missing, damaged or outdated stamp only means the
//! work is done again.
//!
//! ```no_run
//! use spor_pipeline::{fresh, open};
//!
//! let study = open::open_study(None)?;
//! let taken = fresh::Inputs::take(&study, fresh::now_ns(), &[]);
//! let products = ["out/codings.csv"];
//! match fresh::check(&study.root, "code", "policy=None", &taken, &products) {
//!     Some(last) => println!("up to date: {last}"),
//!     None => { /* do the work, then fresh::record(...) */ }
//! }
//! # Ok::<(), spor_pipeline::PipelineError>(())
//! ```

use serde::{Deserialize, Serialize};
use spor_corpus::Study;
use spor_corpus::status::FileStatus;
use std::path::Path;

pub use spor_corpus::status::now_ns;

/// Where stamps live, relative to the study folder (one file per command).
pub const DIR: &str = ".spor/cache/fresh";

/// Bump when what a stamp means changes.
const STAMP_VERSION: u32 = 1;

/// The statuses of a command's inputs, taken before it reads them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    /// When the statuses were taken (nanoseconds since the epoch).
    taken_ns: u128,
    /// Each input (relative to the study folder, or as spor.toml names it)
    /// with its status; `None` for a file that does not exist.
    files: Vec<(String, Option<FileStatus>)>,
}

impl Inputs {
    /// The statuses of every input of `study` (spor.toml, the two sheets,
    /// every transcript, the codebooks, the curriculum, every coder's
    /// file) and of `extra` files. `started_ns` is when the command began,
    /// before it opened the study: an input changed after it is never
    /// trusted.
    pub fn take(study: &Study, started_ns: u128, extra: &[&str]) -> Inputs {
        let mut names = spor_analysis::manifest::input_files(study);
        names.extend(extra.iter().map(|s| s.to_string()));
        Inputs {
            taken_ns: started_ns,
            files: statuses(&study.root, names),
        }
    }
}

fn statuses(root: &Path, names: Vec<String>) -> Vec<(String, Option<FileStatus>)> {
    names
        .into_iter()
        .map(|n| {
            let s = FileStatus::of(&root.join(&n));
            (n, s)
        })
        .collect()
}

/// What a command left: the stamp file.
#[derive(Debug, Serialize, Deserialize)]
struct Stamp {
    version: u32,
    /// spor's version and the executable's status: a rebuilt spor may
    /// write other bytes.
    spor: String,
    exe: Option<FileStatus>,
    /// The command's settings that decide its output (flags).
    settings: String,
    inputs: Inputs,
    /// What the command wrote, as it was just after.
    products: Vec<(String, Option<FileStatus>)>,
    /// What the command reported, for the caller to report again.
    result: serde_json::Value,
}

fn exe_status() -> Option<FileStatus> {
    std::env::current_exe()
        .ok()
        .and_then(|p| FileStatus::of(&p))
}

fn stamp_path(root: &Path, command: &str) -> std::path::PathBuf {
    root.join(DIR).join(format!("{command}.json"))
}

/// The result `command` recorded last, if it still holds: same spor, same
/// `settings`, every input as in `inputs` and settled before the last run
/// began, and every one of `products` as the last run left it.
pub fn check(
    root: &Path,
    command: &str,
    settings: &str,
    inputs: &Inputs,
    products: &[&str],
) -> Option<serde_json::Value> {
    let bytes = std::fs::read(stamp_path(root, command)).ok()?;
    let stamp: Stamp = serde_json::from_slice(&bytes).ok()?;
    let same_spor = stamp.version == STAMP_VERSION
        && stamp.spor == env!("CARGO_PKG_VERSION")
        && stamp.exe == exe_status()
        && stamp.settings == settings;
    let settled = stamp
        .inputs
        .files
        .iter()
        .all(|(_, s)| s.is_none_or(|s| s.settled_before(stamp.inputs.taken_ns)));
    let same_inputs = stamp.inputs.files == inputs.files;
    let same_products = stamp.products.len() == products.len()
        && stamp
            .products
            .iter()
            .zip(products)
            .all(|((name, was), p)| name == p && *was == FileStatus::of(&root.join(p)));
    (same_spor && settled && same_inputs && same_products).then_some(stamp.result)
}

/// Record that `command` ran on `inputs` (taken before it read them) with
/// `settings`, wrote `products` (their statuses are taken now) and
/// reported `result`. A stamp that cannot be written is only a cache
/// missed: the error is returned for the caller to ignore or mention.
pub fn record(
    root: &Path,
    command: &str,
    settings: &str,
    inputs: Inputs,
    products: &[&str],
    result: serde_json::Value,
) -> std::io::Result<()> {
    let stamp = Stamp {
        version: STAMP_VERSION,
        spor: env!("CARGO_PKG_VERSION").to_owned(),
        exe: exe_status(),
        settings: settings.to_owned(),
        inputs,
        products: statuses(root, products.iter().map(|s| s.to_string()).collect()),
        result,
    };
    let bytes = serde_json::to_vec(&stamp).map_err(std::io::Error::other)?;
    spor_corpus::fsutil::write_atomic(&stamp_path(root, command), &bytes)
        .map_err(std::io::Error::other)
}

/// Forget `command`'s stamp (its next run does the work).
pub fn forget(root: &Path, command: &str) {
    let _ = std::fs::remove_file(stamp_path(root, command));
}

#[cfg(test)]
mod tests {
    use super::*;
    use spor_corpus::status::RACY_NS;

    fn study(dir: &Path) -> Study {
        std::fs::create_dir_all(dir.join("transcripts")).unwrap();
        std::fs::write(
            dir.join("spor.toml"),
            "[study]\nname = \"t\"\ncodebooks = []\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("documents.csv"),
            "document,file,kind,phase,date\na,transcripts/a.txt,interview,1,2024-01-01\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("participants.csv"),
            "document,speaker,participant,profession,role\na,P,P1,læge,participant\n",
        )
        .unwrap();
        std::fs::write(dir.join("transcripts/a.txt"), "P: Det gik fint.\n").unwrap();
        std::fs::create_dir_all(dir.join("out")).unwrap();
        std::fs::write(dir.join("out/x.csv"), "x\n").unwrap();
        Study::open(dir).unwrap()
    }

    /// Take the inputs as if the command had started well after every
    /// file was written (the racy rule would otherwise distrust them all).
    fn later(study: &Study) -> Inputs {
        Inputs::take(study, now_ns() + 3 * RACY_NS, &[])
    }

    #[test]
    fn a_stamp_holds_until_an_input_a_product_or_a_setting_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let s = study(dir);
        let v = serde_json::json!({"rows": 3});
        assert_eq!(check(dir, "code", "p", &later(&s), &["out/x.csv"]), None);
        record(dir, "code", "p", later(&s), &["out/x.csv"], v.clone()).unwrap();
        assert_eq!(
            check(dir, "code", "p", &later(&s), &["out/x.csv"]),
            Some(v.clone())
        );
        // another command, other settings, other products: not this stamp
        assert_eq!(check(dir, "run", "p", &later(&s), &["out/x.csv"]), None);
        assert_eq!(check(dir, "code", "q", &later(&s), &["out/x.csv"]), None);
        assert_eq!(check(dir, "code", "p", &later(&s), &[]), None);
        // a product rewritten with the same bytes is no longer as left
        std::fs::write(dir.join("out/x.csv"), "x\n").unwrap();
        let p = dir.join("out/x.csv.new");
        std::fs::write(&p, "x\n").unwrap();
        std::fs::rename(&p, dir.join("out/x.csv")).unwrap();
        assert_eq!(check(dir, "code", "p", &later(&s), &["out/x.csv"]), None);
        record(dir, "code", "p", later(&s), &["out/x.csv"], v.clone()).unwrap();
        assert_eq!(
            check(dir, "code", "p", &later(&s), &["out/x.csv"]),
            Some(v.clone())
        );
        // an input replaced, and a new coder's file
        let t = dir.join("transcripts/a.txt.new");
        std::fs::write(&t, "P: Det gik godt.\n").unwrap();
        std::fs::rename(&t, dir.join("transcripts/a.txt")).unwrap();
        assert_eq!(check(dir, "code", "p", &later(&s), &["out/x.csv"]), None);
        record(dir, "code", "p", later(&s), &["out/x.csv"], v.clone()).unwrap();
        std::fs::create_dir_all(dir.join("codings")).unwrap();
        std::fs::write(dir.join("codings/R1.csv"), "segment,code,status\n").unwrap();
        assert_eq!(check(dir, "code", "p", &later(&s), &["out/x.csv"]), None);
        // a damaged stamp is a missed cache
        std::fs::write(dir.join(DIR).join("code.json"), "{").unwrap();
        assert_eq!(check(dir, "code", "p", &later(&s), &["out/x.csv"]), None);
        record(dir, "code", "p", later(&s), &["out/x.csv"], v.clone()).unwrap();
        forget(dir, "code");
        assert_eq!(check(dir, "code", "p", &later(&s), &["out/x.csv"]), None);
    }

    #[test]
    fn inputs_changed_near_when_the_last_run_began_are_not_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let s = study(dir);
        // the files were written just now: a run beginning now cannot tell
        // an edit in the same clock tick from none
        let v = serde_json::json!(null);
        let now = Inputs::take(&s, now_ns(), &[]);
        record(dir, "code", "p", now, &[], v.clone()).unwrap();
        assert_eq!(check(dir, "code", "p", &later(&s), &[]), None);
        // a missing input recorded as missing holds while it stays missing
        let extra = ["codings/none.csv"];
        let take = || Inputs::take(&s, now_ns() + 3 * RACY_NS, &extra);
        record(dir, "code", "p", take(), &[], v.clone()).unwrap();
        assert_eq!(check(dir, "code", "p", &take(), &[]), Some(v));
        std::fs::create_dir_all(dir.join("codings")).unwrap();
        std::fs::write(dir.join("codings/none.csv"), "").unwrap();
        assert_eq!(check(dir, "code", "p", &take(), &[]), None);
    }
}
