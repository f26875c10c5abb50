//! A read corpus holds each transcript's text once: a turn's text is a
//! slice of its document's, and what every turn of a document or speaker
//! repeats (document id, kind, phase, date, speaker, participant,
//! profession) is one shared string.

use spor_corpus::{Corpus, Study};
use std::path::Path;

#[test]
fn turns_share_their_documents_text_and_attributes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sundtek");
    let corpus = Corpus::read(&Study::open(&root).unwrap());
    assert!(corpus.documents.len() > 5);
    for doc in &corpus.documents {
        let text = doc.text.as_ptr() as usize..doc.text.as_ptr() as usize + doc.text.len();
        let first = &doc.segments[0];
        for seg in &doc.segments {
            let at = seg.text.as_ptr() as usize;
            assert!(
                text.contains(&at) || seg.text.is_empty(),
                "{}: the turn's text is a copy",
                seg.segment
            );
            let offset = at - doc.text.as_ptr() as usize;
            assert_eq!(&doc.text[offset..offset + seg.text.len()], &*seg.text);
            for (a, b) in [
                (&seg.document, &first.document),
                (&seg.kind, &first.kind),
                (&seg.phase, &first.phase),
                (&seg.date, &first.date),
            ] {
                assert_eq!(
                    a.as_ptr(),
                    b.as_ptr(),
                    "{}: a document attribute copied",
                    seg.segment
                );
            }
            if let Some(same) = doc.segments.iter().find(|s| s.speaker == seg.speaker) {
                assert_eq!(seg.profession.as_ptr(), same.profession.as_ptr());
                assert_eq!(seg.participant.as_ptr(), same.participant.as_ptr());
            }
        }
    }
}
