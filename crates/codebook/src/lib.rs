//! `spor-codebook` owns codebooks and the curriculum. Codebooks are TOML files listing codes (with labels,
//! definitions, inclusion and exclusion criteria, examples, and for cue
//! codebooks the finding, cue and translation) and the rules that suggest
//! them, written in spor's query language. Reading validates everything and
//! names file, line and column for each problem. The curriculum
//! (`curriculum.toml`) lists the module's learning goals and format
//! elements, each linked to the codes it answers.
//!
//! ```
//! let text = r#"
//! [codebook]
//! id = "demo"
//! title = "Demo"
//! version = "1"
//! language = "da"
//!
//! [[codes]]
//! id = "training"
//! label = "Oplæring"
//! label_en = "Training"
//! definition = "Turns about training."
//! examples = ["Vi fik kun én times oplæring."]
//!
//! [[codes.rules]]
//! id = "training-1"
//! query = "*oplæring"
//! "#;
//! let book = spor_codebook::Codebook::parse(text, "demo.toml".as_ref()).unwrap();
//! assert_eq!(book.codes[0].rules[0].id, "training-1");
//! ```
#![deny(missing_docs)]

mod curriculum;
pub mod edit;
mod model;
mod parse;

pub use curriculum::{Curriculum, Element, GoalKind, Module};
pub use model::{Code, Codebook, CodebookSet, Example, Rule};
pub use parse::{CodebookError, Problem};
