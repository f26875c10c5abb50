//! REFI-QDA notes come back as memos: a note on a coded selection is the
//! coding row's memo (later notes in repeated rows, in order), a note on a
//! source a `memo` row naming the document, a note on a code a `memo` row
//! naming the code.

mod common;
mod import_support;
use import_support::*;

fn project() -> Vec<u8> {
    let t = INTERVIEW;
    let qde = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Memos" origin="QualCoder 3.6">
<Users><User guid="{{AAAAAAAA-0000-0000-0000-000000000001}}" name="Anne Hansen"/></Users>
<CodeBook><Codes><Code guid="C2" name="Oplæring" isCodable="true"/><Code guid="C3" name="Arbejdsgange" isCodable="true"><NoteRef targetGUID="N3"/></Code></Codes></CodeBook>
<Sources>
<TextSource guid="B1" name="Interview 1" plainTextPath="internal://b1.txt"><PlainTextSelection guid="S1" startPosition="{}" endPosition="{}"><Coding guid="K1" creatingUser="{{AAAAAAAA-0000-0000-0000-000000000001}}"><CodeRef targetGUID="C2"/></Coding><NoteRef targetGUID="N1"/><NoteRef targetGUID="N2"/></PlainTextSelection><PlainTextSelection guid="S2" startPosition="{}" endPosition="{}"><Coding guid="K2" creatingUser="{{AAAAAAAA-0000-0000-0000-000000000001}}"><CodeRef targetGUID="C3"/></Coding></PlainTextSelection><NoteRef targetGUID="N4"/><NoteRef targetGUID="N5"/></TextSource>
</Sources>
<Notes>
<Note guid="N1" name="første" creatingUser="{{AAAAAAAA-0000-0000-0000-000000000001}}"><PlainTextContent>En time er for lidt.</PlainTextContent></Note>
<Note guid="N2" name="senere" creatingUser="{{AAAAAAAA-0000-0000-0000-000000000001}}"><PlainTextContent>Se også natten.</PlainTextContent></Note>
<Note guid="N3" name="kode" creatingUser="{{AAAAAAAA-0000-0000-0000-000000000001}}"><PlainTextContent>Bred kode, del den op?</PlainTextContent></Note>
<Note guid="N4" name="dokument" creatingUser="{{AAAAAAAA-0000-0000-0000-000000000001}}"><PlainTextContent>Interviewet blev afbrudt.</PlainTextContent></Note>
<Note guid="N5" name="fil" plainTextPath="internal://n5.txt"/>
</Notes>
</Project>"##,
        at(t, "Vi fik"),
        at(t, " Det var"),
        at(t, "De passede"),
        at(t, " ikke"),
    );
    zip_of(&[
        ("project.qde", qde.as_bytes()),
        ("sources/b1.txt", t.as_bytes()),
    ])
}

#[test]
fn notes_come_back_as_memos_in_the_coders_file() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("memos.qdpx"), project()).unwrap();
    let (code, _, err) = spor_in(
        t.path(),
        &["import", "qdpx", "memos.qdpx", "--into", "study"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("not imported (spor has no place for them): 1 note(s)"),
        "{err}"
    );
    let s = t.path().join("study");
    let file = std::fs::read_to_string(s.join("codings/Anne-Hansen.csv")).unwrap();
    assert_eq!(
        file.lines().collect::<Vec<_>>(),
        [
            "segment,code,status,memo,start,end,quote",
            // the selections cover parts of the turns: passages
            "Interview-1#2,oplaering,accepted,En time er for lidt.,0,15,Vi fik en time.",
            "Interview-1#2,oplaering,accepted,Se også natten.,0,15,Vi fik en time.",
            "Interview-1#4,arbejdsgange,accepted,,0,10,De passede",
            "Interview-1,,done,,,,",
            "Interview-1,,memo,Interviewet blev afbrudt.,,,",
            ",arbejdsgange,memo,Bred kode, del den op?",
        ]
        .iter()
        .map(|l| if l.contains("Bred kode, del") {
            ",arbejdsgange,memo,\"Bred kode, del den op?\",,,"
        } else {
            l
        })
        .collect::<Vec<_>>()
    );
}
