//! A deterministic generator of large studies: documents made of the example
//! study's participant turns mixed with real Danish sentences (UD Danish DDT),
//! with the example study's professions and speaker labels.

use spor_corpus::{Corpus, Role, Study};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A small deterministic PRNG (xorshift64*), so that the same size gives
/// the same study.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn ddt_sentences(files: &[PathBuf]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        match std::fs::read_to_string(f) {
            Ok(text) => out.extend(
                text.lines()
                    .filter_map(|l| l.strip_prefix("# text = "))
                    .map(str::to_owned),
            ),
            Err(_) => eprintln!(
                "note: {} not found; using the example study only",
                f.display()
            ),
        }
    }
    out
}

/// Write a study of about `target` bytes of transcripts into `out`; returns
/// the bytes written.
pub fn study(example: &Path, ddt: &[PathBuf], out: &Path, target: u64) -> u64 {
    let ex = Study::open(example).expect("example study opens");
    let corpus = Corpus::read(&ex);
    let turns: Vec<&str> = corpus
        .segments()
        .filter(|s| s.role == Role::Participant.as_str() && s.words > 5)
        .map(|s| s.text.as_str())
        .collect();
    let sentences = ddt_sentences(ddt);
    let professions: Vec<&str> = {
        let mut p: Vec<&str> = corpus.segments().map(|s| s.profession.as_str()).collect();
        p.sort();
        p.dedup();
        p.retain(|x| *x != "forsker");
        p
    };
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out.join("transcripts")).unwrap();
    std::fs::write(
        out.join("spor.toml"),
        "[study]\nname = \"generated benchmark study\"\ncodebooks = []\n",
    )
    .unwrap();
    let mut docs = String::from("document,file,kind,phase,date,setting\n");
    let mut parts = String::from("document,speaker,participant,profession,role\n");
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut written = 0u64;
    let mut n = 0usize;
    let doc_size = 200_000usize;
    while written < target {
        n += 1;
        let id = format!("gen-{n:05}");
        let file = format!("transcripts/{id}.txt");
        let speakers = 1 + rng.below(4);
        let _ = writeln!(
            docs,
            "{id},{file},{},{},2024-{:02}-{:02},{}",
            if speakers > 1 {
                "workshop"
            } else {
                "interview"
            },
            1 + rng.below(3),
            1 + rng.below(12),
            1 + rng.below(28),
            ["hospital", "kommune", "region"][rng.below(3)]
        );
        let _ = writeln!(parts, "{id},Interviewer,R01,forsker,interviewer");
        for k in 1..=speakers {
            let _ = writeln!(
                parts,
                "{id},Deltager {k},G{:06},{},participant",
                rng.below(5000),
                professions[rng.below(professions.len())]
            );
        }
        let mut text = format!("Genereret transskription {id} (syntetisk benchmark)\n");
        while text.len() < doc_size {
            let who = 1 + rng.below(speakers);
            let _ = writeln!(text, "Interviewer: Kan du uddybe det?");
            let _ = write!(text, "Deltager {who}: ");
            for _ in 0..(1 + rng.below(4)) {
                if !sentences.is_empty() && rng.below(2) == 0 {
                    text.push_str(&sentences[rng.below(sentences.len())]);
                } else {
                    text.push_str(turns[rng.below(turns.len())]);
                }
                text.push(' ');
            }
            text.push('\n');
        }
        // a share of files in the encodings real studies have
        let bytes: Vec<u8> = match n % 5 {
            0 => text.replace('\n', "\r\n").into_bytes(),
            _ => text.into_bytes(),
        };
        written += bytes.len() as u64;
        std::fs::write(out.join(&file), bytes).unwrap();
    }
    std::fs::write(out.join("documents.csv"), docs).unwrap();
    std::fs::write(out.join("participants.csv"), parts).unwrap();
    written
}
