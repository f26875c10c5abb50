//! `spor codebook test`: codebooks have tests, like code. Every example of a
//! code must be matched by one of its own rules; no counter-example may be.

use crate::Result;
use serde::Serialize;
use spor_codebook::CodebookSet;
use spor_index::{Filters, SegmentIndex};
use std::collections::BTreeSet;

/// A failed expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Codebook file.
    pub file: String,
    /// Line of the code (or of the rule, for counter-examples).
    pub line: usize,
    /// Code id.
    pub code: String,
    /// The rule that matched a counter-example (none for a missed example).
    pub rule: Option<String>,
    /// `example not matched` or `counter-example matched`.
    pub kind: &'static str,
    /// The example's text.
    pub text: String,
}

/// The outcome of testing codebooks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Examples checked.
    pub examples: usize,
    /// Counter-examples checked.
    pub counter_examples: usize,
    /// Failures, in codebook and code order.
    pub failures: Vec<Failure>,
}

/// Test every code's examples and counter-examples against its rules (rule
/// scopes other than roles do not apply to examples).
pub fn test(books: &CodebookSet) -> Result<Report> {
    let mut report = Report::default();
    for (book, code) in books.codes() {
        let mut texts = Vec::new();
        for (i, e) in code.examples.iter().enumerate() {
            texts.push((format!("ex#{}", i + 1), e.text.clone()));
        }
        for (i, e) in code.counter_examples.iter().enumerate() {
            texts.push((format!("cx#{}", i + 1), e.text.clone()));
        }
        report.examples += code.examples.len();
        report.counter_examples += code.counter_examples.len();
        if texts.is_empty() {
            continue;
        }
        let index = SegmentIndex::in_memory(&texts)?;
        let mut matched_examples = BTreeSet::new();
        for rule in &code.rules {
            let hits = index.search(&rule.query, &Filters::default(), None)?;
            for h in hits {
                if let Some(n) = h.segment.strip_prefix("ex#") {
                    matched_examples.insert(n.parse::<usize>().unwrap_or(0));
                } else if let Some(n) = h.segment.strip_prefix("cx#") {
                    let i: usize = n.parse().unwrap_or(1);
                    report.failures.push(Failure {
                        file: book.path.display().to_string(),
                        line: rule.line,
                        code: code.id.clone(),
                        rule: Some(rule.id.clone()),
                        kind: "counter-example matched",
                        text: code.counter_examples[i - 1].text.clone(),
                    });
                }
            }
        }
        for (i, e) in code.examples.iter().enumerate() {
            if !matched_examples.contains(&(i + 1)) {
                report.failures.push(Failure {
                    file: book.path.display().to_string(),
                    line: code.line,
                    code: code.id.clone(),
                    rule: None,
                    kind: "example not matched",
                    text: e.text.clone(),
                });
            }
        }
    }
    Ok(report)
}
