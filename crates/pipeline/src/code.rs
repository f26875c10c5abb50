//! The coding stage for a whole study: read it, bring the index up to
//! date, run the rules and merge the coders' files.

use crate::error::{PipelineError, Result};
use crate::observe::{Level, Observer, timed};
use crate::open::{known_attributes, load_codebooks, load_curriculum, read_corpus};
use spor_analysis::Evidence;
use spor_codebook::{CodebookSet, Curriculum};
use spor_coding::coders::CoderFiles;
use spor_coding::{Codings, Policy};
use spor_corpus::{Corpus, Severity, Study};

/// Everything the coding stage produces for a study.
pub struct Coded {
    /// The study.
    pub study: Study,
    /// Its transcripts, segmented.
    pub corpus: Corpus,
    /// Its codebooks.
    pub books: CodebookSet,
    /// Suggestions and human codings, merged under the policy.
    pub codings: Codings,
    /// The coders' files as read (with their diagnostics).
    pub coder_files: CoderFiles,
    /// Which rules ran and which came from the suggestion cache.
    pub cache: spor_coding::cache::CacheReport,
    /// The models learned from the coders (`None` with `[learn] enabled =
    /// false`); their suggestions are in [`Coded::codings`] as
    /// `model:<code>` rows.
    pub learned: Option<spor_learn::Learned>,
}

/// What `spor code` writes or keeps up to date besides its output, relative
/// to the study folder: the anchor store, the index's record of its
/// contents and the caches. A stamp of `spor code` ([`crate::fresh`]) holds
/// only while each is as the run left it.
pub fn products() -> Vec<String> {
    vec![
        spor_coding::anchor::ANCHOR_FILE.to_owned(),
        format!(".spor/index/{}", spor_index::index::META),
        spor_coding::cache::CACHE_FILE.to_owned(),
        spor_learn::cache::CACHE_FILE.to_owned(),
        spor_learn::predict::PREDICTIONS_FILE.to_owned(),
    ]
}

/// A counting policy by name (`suggested-and-human` or `human-only`).
pub fn parse_policy(name: &str) -> Result<Policy> {
    Policy::parse(name).ok_or_else(|| PipelineError::Usage {
        message: format!("unknown policy {name:?}"),
        hint: Some("policies are \"suggested-and-human\" and \"human-only\"".into()),
    })
}

/// Read the study, bring the index up to date, run the rules and merge the
/// coders' files. `policy` overrides spor.toml's. The coders' files'
/// problems are reported as messages (errors at [`Level::Error`]); they
/// are also in [`Coded::coder_files`].
pub fn code_study(study: Study, policy: Option<Policy>, obs: &dyn Observer) -> Result<Coded> {
    let corpus = read_corpus(&study, obs)?;
    let books = load_codebooks(&study)?;
    let known = known_attributes(&study);
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    spor_coding::suggest::check_rules(&books, &known)?;
    let index = crate::index::ensure(&study, obs)?;
    let rules: usize = books.codes().map(|(_, c)| c.rules.len()).sum();
    obs.start("coding", rules as u64, "rules");
    let coded = timed(obs, "code", || {
        spor_coding::code_study(&study, &corpus, &index, &books, policy, &|| obs.tick())
    });
    obs.finish();
    let (mut codings, coder_files, cache) = coded?;
    let learned = timed(obs, "learn", || {
        spor_learn::learn_study(&study, &corpus, &books, &mut codings)
    })?;
    for (step, seconds) in learned.iter().flat_map(|l| &l.timings) {
        obs.timing(&format!("learn-{step}"), *seconds);
    }
    if let Some(e) = &cache.read_error {
        obs.message(
            Level::Warning,
            &format!("warning: the suggestion cache could not be read ({e}); every rule ran again and the cache was rebuilt"),
        );
    }
    if let Some(e) = &cache.write_error {
        obs.message(
            Level::Warning,
            &format!("warning: the suggestion cache could not be written: {e}"),
        );
    }
    for d in &coder_files.diagnostics {
        let level = match d.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Note => Level::Note,
        };
        obs.message(level, &d.to_string());
    }
    if coder_files.newly_anchored > 0 {
        obs.message(
            Level::Note,
            &format!(
                "note: {} coding(s) written without an anchor were anchored on the text their segment holds now (kept in {})",
                coder_files.newly_anchored,
                spor_coding::anchor::ANCHOR_FILE
            ),
        );
    }
    Ok(Coded {
        study,
        corpus,
        books,
        codings,
        coder_files,
        cache,
        learned,
    })
}

/// A coded study with its curriculum: what every analysis starts from.
pub struct Analysed {
    /// The coded study.
    pub coded: Coded,
    /// The curriculum, if spor.toml names one.
    pub curriculum: Option<Curriculum>,
}

impl Analysed {
    /// The evidence view over the codings (all groups shown; narrow it
    /// with [`Evidence::with_min_cell`]).
    pub fn evidence(&self) -> Evidence<'_> {
        Evidence::new(
            &self.coded.corpus,
            &self.coded.books,
            self.curriculum.as_ref(),
            &self.coded.codings,
            &self.coded.study.private,
        )
    }
}

/// [`code_study`], then read the curriculum.
pub fn analyse(study: Study, policy: Option<Policy>, obs: &dyn Observer) -> Result<Analysed> {
    let coded = code_study(study, policy, obs)?;
    let curriculum = load_curriculum(&coded.study)?;
    Ok(Analysed { coded, curriculum })
}
