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
        .filter(|s| s.role() == Role::Participant && s.words > 5)
        .map(|s| s.text.as_str())
        .collect();
    let sentences = ddt_sentences(ddt);
    let professions: Vec<&str> = {
        let mut p: Vec<&str> = corpus.segments().map(|s| s.profession().as_str()).collect();
        p.sort();
        p.dedup();
        p.retain(|x| *x != "forsker");
        p
    };
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out.join("transcripts")).unwrap();
    copy_setup(example, out);
    let mut docs = String::from("document,file,kind,phase,date,setting\n");
    let mut parts = String::from("document,speaker,participant,profession,role\n");
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut written = 0u64;
    let mut n = 0usize;
    let doc_size = 200_000usize;
    while written < target {
        n += 1;
        let id = format!("gen-{n:05}");
        // a share of files in the formats and encodings real studies have
        let format = match n % 20 {
            7 => "docx",
            13 => "vtt",
            _ => "txt",
        };
        let file = format!("transcripts/{id}.{format}");
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
        let turns_of_doc = dialogue(&mut rng, speakers, &sentences, &turns, doc_size);
        let bytes = encode(format, n, &id, &turns_of_doc);
        written += bytes.len() as u64;
        std::fs::write(out.join(&file), bytes).unwrap();
    }
    std::fs::write(out.join("documents.csv"), docs).unwrap();
    std::fs::write(out.join("participants.csv"), parts).unwrap();
    written
}

/// The example's codebooks and curriculum, so that every stage runs, and
/// a spor.toml naming them.
fn copy_setup(example: &Path, out: &Path) {
    // the example's codebooks and curriculum, so that every stage runs
    let books_dir = example.join("../../codebooks");
    std::fs::create_dir_all(out.join("codebooks")).unwrap();
    let mut books = Vec::new();
    for name in ["sundtek-cues.toml", "mtv-domains.toml"] {
        if std::fs::copy(books_dir.join(name), out.join("codebooks").join(name)).is_ok() {
            books.push(format!("\"codebooks/{name}\""));
        }
    }
    let curriculum =
        std::fs::copy(example.join("curriculum.toml"), out.join("curriculum.toml")).is_ok();
    std::fs::write(
        out.join("spor.toml"),
        format!(
            "[study]\nname = \"generated benchmark study\"\ncodebooks = [{}]\n{}",
            books.join(", "),
            if curriculum {
                "curriculum = \"curriculum.toml\"\n"
            } else {
                ""
            }
        ),
    )
    .unwrap();
}

/// One document's turns: the interviewer asks, a participant answers with
/// one to four sentences (from the DDT when given, else the example's
/// turns), until about `doc_size` bytes.
fn dialogue(
    rng: &mut Rng,
    speakers: usize,
    sentences: &[String],
    turns: &[&str],
    doc_size: usize,
) -> Vec<(String, String)> {
    let mut turns_of_doc: Vec<(String, String)> = Vec::new();
    let mut size = 0;
    while size < doc_size {
        let who = 1 + rng.below(speakers);
        let mut said = String::new();
        for _ in 0..(1 + rng.below(4)) {
            if !sentences.is_empty() && rng.below(2) == 0 {
                said.push_str(&sentences[rng.below(sentences.len())]);
            } else {
                said.push_str(turns[rng.below(turns.len())]);
            }
            said.push(' ');
        }
        let said = said.trim_end().to_owned();
        size += said.len() + 50;
        turns_of_doc.push(("Interviewer".into(), "Kan du uddybe det?".into()));
        turns_of_doc.push((format!("Deltager {who}"), said));
    }
    turns_of_doc
}

/// A document's bytes in its format: .docx, .vtt, or text (every fifth
/// with CRLF line ends, every fifth in Windows-1252 when it fits).
fn encode(format: &str, n: usize, id: &str, turns_of_doc: &[(String, String)]) -> Vec<u8> {
    match format {
        "docx" => docx(turns_of_doc),
        "vtt" => vtt(turns_of_doc),
        _ => {
            let mut text = format!("Genereret transskription {id} (syntetisk benchmark)\n");
            for (who, said) in turns_of_doc {
                let _ = writeln!(text, "{who}: {said}");
            }
            match n % 5 {
                0 => text.replace('\n', "\r\n").into_bytes(),
                // Windows-1252 when every character fits
                1 => {
                    let (b, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
                    if lossy {
                        text.into_bytes()
                    } else {
                        b.into_owned()
                    }
                }
                _ => text.into_bytes(),
            }
        }
    }
}

/// A WebVTT file: one cue per turn with a voice tag, 5 s each.
fn vtt(turns: &[(String, String)]) -> Vec<u8> {
    let mut out = String::from("WEBVTT\n\n");
    for (i, (who, said)) in turns.iter().enumerate() {
        let t = |s: usize| format!("{:02}:{:02}:{:02}.000", s / 3600, s / 60 % 60, s % 60);
        let _ = write!(
            out,
            "{}\n{} --> {}\n<v {who}>{said}\n\n",
            i + 1,
            t(i * 5),
            t(i * 5 + 5)
        );
    }
    out.into_bytes()
}

/// A minimal Word document: one paragraph per turn, `Label: text`.
fn docx(turns: &[(String, String)]) -> Vec<u8> {
    use std::io::Write as _;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut body = String::new();
    for (who, said) in turns {
        let _ = write!(
            body,
            "<w:p><w:r><w:t xml:space=\"preserve\">{}: {}</w:t></w:r></w:p>",
            esc(who),
            esc(said)
        );
    }
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
            ),
        ),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, content) in files {
        z.start_file(name, opts).unwrap();
        z.write_all(content.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}
