//! A read corpus holds each transcript's text once: a turn's text is a
//! slice of its document's, and what every turn of a document or speaker
//! repeats (document id, kind, phase, date, attributes; speaker,
//! participant, profession, role, attributes) is held once and shared.

use spor_corpus::{Corpus, Study};
use std::path::Path;
use std::sync::Arc;

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
            assert!(
                Arc::ptr_eq(&seg.doc, &first.doc),
                "{}: the document's fields copied",
                seg.segment
            );
            assert_eq!(seg.document(), &doc.meta.id);
            let same = doc.segments.iter().find(|s| s.speaker() == seg.speaker());
            assert!(
                Arc::ptr_eq(&seg.who, &same.unwrap().who),
                "{}: the speaker's fields copied",
                seg.segment
            );
        }
    }
}
