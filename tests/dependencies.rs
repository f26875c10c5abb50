//! No unused dependency: every crate a workspace package's `Cargo.toml`
//! declares is named somewhere in that package's Rust sources.
//!
//! This is the check `cargo machete` makes, done with what the test suite
//! already has (the `toml` crate), so CI needs no extra tool. A dependency
//! counts as used when a source file names it as a path (`name::`), in a
//! `use name` or in an `extern crate name`; full-line comments do not
//! count. A package may list crates it needs without naming them (a crate
//! that only selects another crate's feature) under
//! `[package.metadata.cargo-machete] ignored`, the key `cargo machete`
//! reads too, with a comment saying why.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The dependency tables of a manifest whose entries must be used.
const TABLES: &[&str] = &["dependencies", "dev-dependencies", "build-dependencies"];

/// Unused dependencies known and left for now, as (package folder relative
/// to the workspace root, crate name). Each entry must still be unused: once
/// the manifest is fixed (or the crate is used), the test asks for the entry
/// to go. Empty: every declared dependency is used.
const KNOWN: &[(&str, &str)] = &[];

/// One unused dependency: which manifest, which table, which crate.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Unused {
    manifest: PathBuf,
    table: String,
    name: String,
}

impl std::fmt::Display for Unused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: [{}] {} is never used in the package's sources",
            self.manifest.display(),
            self.table,
            self.name
        )
    }
}

/// The package folders of the workspace rooted at `root`: the root package
/// itself and every member (a trailing `/*` means every subfolder with a
/// `Cargo.toml`).
fn packages(root: &Path) -> Vec<PathBuf> {
    let manifest = read_manifest(&root.join("Cargo.toml"));
    let mut out = vec![root.to_path_buf()];
    let members = manifest
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
        .cloned()
        .unwrap_or_default();
    for member in members {
        let member = member.as_str().expect("workspace members are strings");
        if let Some(parent) = member.strip_suffix("/*") {
            let mut dirs: Vec<PathBuf> = fs::read_dir(root.join(parent))
                .unwrap_or_else(|e| panic!("{}: {e}", root.join(parent).display()))
                .map(|e| e.expect("readable folder entry").path())
                .filter(|p| p.join("Cargo.toml").is_file())
                .collect();
            dirs.sort();
            out.extend(dirs);
        } else {
            out.push(root.join(member));
        }
    }
    out
}

/// A manifest parsed as a TOML table.
fn read_manifest(path: &Path) -> toml::Table {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `.rs` file under `dir`, skipping `target/` and nested packages
/// (folders with their own `Cargo.toml`), in a stable order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == "target" || name.starts_with('.') || path.join("Cargo.toml").is_file() {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The sources a table's entries may be used from: `build.rs` for build
/// dependencies, every target's sources otherwise (unit tests in `src/`
/// use dev-dependencies too).
fn sources(package: &Path, table: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if table == "build-dependencies" {
        let build = package.join("build.rs");
        if build.is_file() {
            files.push(build);
        }
        return files;
    }
    for dir in ["src", "tests", "benches", "examples"] {
        rust_files(&package.join(dir), &mut files);
    }
    let build = package.join("build.rs");
    if build.is_file() {
        files.push(build);
    }
    files
}

/// Whether `ident` occurs in `source` as a crate name: followed by `::`,
/// or after `use ` or `extern crate `, with identifier boundaries.
/// Lines that are wholly comments are skipped.
fn names_crate(source: &str, ident: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    for line in source.lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut from = 0;
        while let Some(at) = line[from..].find(ident) {
            let start = from + at;
            let end = start + ident.len();
            from = end;
            let before = line[..start].chars().next_back();
            let after = line[end..].chars().next();
            if before.is_some_and(is_ident) || after.is_some_and(is_ident) {
                continue;
            }
            let prefix = line[..start].trim_end();
            if line[end..].trim_start().starts_with("::")
                || prefix.ends_with("use") && !prefix[..prefix.len() - 3].ends_with(is_ident)
                || prefix.ends_with("extern crate")
            {
                return true;
            }
        }
    }
    false
}

/// The crates a package ignores on purpose:
/// `[package.metadata.cargo-machete] ignored`.
fn ignored(manifest: &toml::Table) -> BTreeSet<String> {
    manifest
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("cargo-machete"))
        .and_then(|c| c.get("ignored"))
        .and_then(|i| i.as_array())
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The dependency tables of a manifest, with their names: the top-level
/// ones and those under `[target.'cfg(...)']`.
fn tables(manifest: &toml::Table) -> Vec<(String, &toml::Table)> {
    let mut out = Vec::new();
    for table in TABLES {
        if let Some(t) = manifest.get(*table).and_then(|t| t.as_table()) {
            out.push((table.to_string(), t));
        }
    }
    if let Some(targets) = manifest.get("target").and_then(|t| t.as_table()) {
        for (cfg, target) in targets {
            for table in TABLES {
                if let Some(t) = target.get(*table).and_then(|t| t.as_table()) {
                    out.push((format!("target.{cfg}.{table}"), t));
                }
            }
        }
    }
    out
}

/// The unused dependencies of the package in `package`. The name code uses
/// is the entry's key (a `package = "..."` rename changes what is fetched,
/// not what the code names), with `-` read as `_`.
fn unused_in(package: &Path) -> Vec<Unused> {
    let manifest_path = package.join("Cargo.toml");
    let manifest = read_manifest(&manifest_path);
    let ignored = ignored(&manifest);
    let mut out = Vec::new();
    for (table, deps) in tables(&manifest) {
        let kind = table.rsplit('.').next().unwrap_or(&table);
        let texts: Vec<String> = sources(package, kind)
            .iter()
            .map(|f| fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
            .collect();
        for name in deps.keys() {
            if ignored.contains(name) {
                continue;
            }
            let ident = name.replace('-', "_");
            if !texts.iter().any(|t| names_crate(t, &ident)) {
                out.push(Unused {
                    manifest: manifest_path.clone(),
                    table: table.clone(),
                    name: name.clone(),
                });
            }
        }
    }
    out
}

#[test]
fn every_declared_dependency_is_used() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let packages = packages(root);
    assert!(
        packages.len() > 5,
        "the workspace members were not found: {packages:?}"
    );
    let mut unused: Vec<Unused> = packages.iter().flat_map(|p| unused_in(p)).collect();
    unused.sort();
    let is_known = |u: &Unused| {
        KNOWN
            .iter()
            .any(|(dir, name)| u.manifest == root.join(dir).join("Cargo.toml") && u.name == *name)
    };
    for (dir, name) in KNOWN {
        let manifest = root.join(dir).join("Cargo.toml");
        assert!(
            unused
                .iter()
                .any(|u| u.manifest == manifest && u.name == *name),
            "{}: {name} is no longer unused: remove its entry from KNOWN in tests/dependencies.rs",
            manifest.display()
        );
    }
    unused.retain(|u| !is_known(u));
    let lines: Vec<String> = unused.iter().map(ToString::to_string).collect();
    assert!(
        lines.is_empty(),
        "unused dependencies (remove them, or list them under \
         [package.metadata.cargo-machete] ignored with the reason):\n{}",
        lines.join("\n")
    );
}

#[test]
fn a_crate_counts_as_used_only_when_code_names_it() {
    assert!(names_crate("use serde::Serialize;", "serde"));
    assert!(names_crate(
        "    let x = serde_json ::to_string(&y);",
        "serde_json"
    ));
    assert!(names_crate("use rayon;", "rayon"));
    assert!(names_crate("pub use toml as t;", "toml"));
    assert!(names_crate("extern crate mimalloc;", "mimalloc"));
    assert!(names_crate("#[derive(serde::Deserialize)]", "serde"));
    // a longer identifier, a field, a comment or a string mention does not count
    assert!(!names_crate("use serde_json::Value;", "serde"));
    assert!(!names_crate("let x = my_serde::f();", "serde"));
    assert!(!names_crate("// serde::Serialize would do", "serde"));
    assert!(!names_crate("/// see [`serde::Serialize`]", "serde"));
    assert!(!names_crate("let serde = 1;", "serde"));
    assert!(!names_crate("let reuse serde = 1;", "serde"));
}

#[test]
fn a_declared_but_unnamed_dependency_is_reported_with_its_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path();
    fs::create_dir_all(package.join("src")).unwrap();
    fs::create_dir_all(package.join("tests")).unwrap();
    fs::write(
        package.join("Cargo.toml"),
        r#"[package]
name = "probe"

[dependencies]
serde = "1"
unused-thing = "1"
renamed = { package = "other-name", version = "1" }
feature-only = "1"

[dev-dependencies]
tempfile = "3"
never-in-tests = "1"

[build-dependencies]
cc = "1"

[target.'cfg(unix)'.dependencies]
libc = "0.2"

[package.metadata.cargo-machete]
ignored = ["feature-only"]
"#,
    )
    .unwrap();
    fs::write(
        package.join("src/lib.rs"),
        "use serde::Serialize;\nfn f() { renamed::go(); }\n// cc::Build is not here\n",
    )
    .unwrap();
    fs::write(
        package.join("tests/t.rs"),
        "fn t() { let _ = tempfile::tempdir(); libc::getpid(); }\n",
    )
    .unwrap();
    let found: Vec<(String, String)> = unused_in(package)
        .into_iter()
        .map(|u| {
            assert_eq!(u.manifest, package.join("Cargo.toml"));
            (u.table, u.name)
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("dependencies".to_string(), "unused-thing".to_string()),
            ("dev-dependencies".to_string(), "never-in-tests".to_string()),
            ("build-dependencies".to_string(), "cc".to_string()),
        ]
    );
    let message = unused_in(package)[0].to_string();
    assert!(message.contains("Cargo.toml"), "{message}");
    assert!(message.contains("unused-thing"), "{message}");
}
