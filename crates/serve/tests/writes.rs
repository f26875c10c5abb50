//! Every write endpoint of `spor serve`: the row lands in the coder's file
//! (or the codebook changes in place), the page's next read shows it, and
//! many actions, one after another or at once, lose nothing.

mod common;
use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

fn turn<'a>(doc: &'a Value, segment: &str) -> &'a Value {
    doc["turns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["segment"] == segment)
        .unwrap()
}

#[tokio::test]
async fn coding_accepting_rejecting_and_undoing_append_rows() {
    let s = sundtek();
    let r = router(&s, "MH");
    let csrf = csrf(&r).await;
    let code = |seg: &str, code: &str, status: &str| {
        post(
            "/api/code",
            &csrf,
            &json!({"segment": seg, "code": code, "status": status}),
        )
    };
    assert_eq!(
        send(&r, code("int-13#4", "patient", "accepted"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        send(&r, code("int-13#6", "context", "rejected"))
            .await
            .status(),
        StatusCode::OK
    );
    let file = coder_file(&s, "MH");
    let lines: Vec<&str> = file.lines().collect();
    assert!(
        lines[0].starts_with("segment,code,status,memo,anchor"),
        "{file}"
    );
    assert!(
        lines[1].starts_with("int-13#4,patient,accepted,,"),
        "{file}"
    );
    assert!(
        lines[2].starts_with("int-13#6,context,rejected,,"),
        "{file}"
    );
    // the anchor is the fingerprint of the turn's text
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    let text = turn(&doc, "int-13#4")["text"].as_str().unwrap();
    assert!(
        lines[1].contains(&spor_coding::anchor::fingerprint(text)),
        "{file}"
    );
    // the page sees the decisions
    let t4 = turn(&doc, "int-13#4");
    assert!(
        t4["codings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["coder"] == "MH" && c["code"] == "patient" && c["decision"] == "accepted"),
        "{t4}"
    );
    let sug = &t4["suggestions"][0];
    assert_eq!(sug["code"], "patient");
    assert_eq!(sug["mine"], "accepted");
    assert!(
        sug["matched"].as_str().unwrap().contains("skærmbesøg"),
        "{sug}"
    );
    // one turn alone, as the page reads it after an action
    let one = json(send(&r, get("/api/doc/int-13?turn=int-13%234")).await).await;
    assert_eq!(one["turn"], *t4);
    let none = send(&r, get("/api/doc/int-13?turn=int-13%2399")).await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);
    // undo: a withdrawn row, and the suggestion is unreviewed again
    assert_eq!(
        send(&r, code("int-13#4", "patient", "withdrawn"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(rows(&s, "MH"), 3);
    assert!(
        coder_file(&s, "MH")
            .lines()
            .nth(3)
            .unwrap()
            .starts_with("int-13#4,patient,withdrawn,")
    );
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    let t4 = turn(&doc, "int-13#4");
    assert!(
        !t4["codings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["coder"] == "MH"),
        "{t4}"
    );
    assert_eq!(t4["suggestions"][0]["mine"], Value::Null);
    // a former id is written as the code's id now; bad input writes nothing
    for (body, what) in [
        (
            json!({"segment": "int-13#99", "code": "patient", "status": "accepted"}),
            "segment",
        ),
        (
            json!({"segment": "int-13#4", "code": "nope", "status": "accepted"}),
            "code",
        ),
        (
            json!({"segment": "int-13#4", "code": "patient", "status": "maybe"}),
            "status",
        ),
        (
            json!({"segment": "int-13#4", "code": "patient", "status": "accepted", "start": 5, "end": 3}),
            "span",
        ),
        (
            json!({"segment": "int-13#4", "code": "patient", "status": "accepted", "start": 0, "end": 99999}),
            "span",
        ),
        (
            json!({"segment": "int-13#4", "code": "patient", "status": "accepted", "start": 0, "end": 4, "quote": "Nope"}),
            "quote",
        ),
    ] {
        let resp = send(&r, post("/api/code", &csrf, &body)).await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{what}");
    }
    assert_eq!(rows(&s, "MH"), 3);
}

#[tokio::test]
async fn memos_on_a_coding_a_document_and_a_code() {
    let s = sundtek();
    let r = router(&s, "MH");
    let csrf = csrf(&r).await;
    for body in [
        json!({"segment": "int-13#4", "code": "patient", "text": "Tvivl: er det brug eller træning?"}),
        json!({"document": "int-13", "text": "Meget om platformen"}),
        json!({"code": "patient", "text": "Skelne fra brugerinddragelse"}),
    ] {
        let resp = send(&r, post("/api/memo", &csrf, &body)).await;
        assert_eq!(resp.status(), StatusCode::OK, "{body}");
    }
    let file = coder_file(&s, "MH");
    assert!(
        file.contains("int-13#4,patient,memo,Tvivl: er det brug eller træning?,"),
        "{file}"
    );
    assert!(file.contains("int-13,,memo,Meget om platformen,"), "{file}");
    assert!(
        file.contains(",patient,memo,Skelne fra brugerinddragelse,"),
        "{file}"
    );
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    assert_eq!(doc["memos"][0]["text"], "Meget om platformen");
    assert_eq!(
        turn(&doc, "int-13#4")["memos"][0]["text"],
        "Tvivl: er det brug eller træning?"
    );
    let state = json(send(&r, get("/api/state")).await).await;
    assert_eq!(
        state["code_memos"][0]["text"],
        "Skelne fra brugerinddragelse"
    );
    for body in [
        json!({"document": "int-13", "text": "  "}),
        json!({"segment": "int-13#4", "text": "no code"}),
        json!({"document": "nope", "text": "x"}),
        json!({"text": "about nothing"}),
    ] {
        let resp = send(&r, post("/api/memo", &csrf, &body)).await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{body}");
    }
    assert_eq!(rows(&s, "MH"), 3);
    // done: the document counts as coded by MH
    let resp = send(&r, post("/api/done", &csrf, &json!({"document": "int-13"}))).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let docs = json(send(&r, get("/api/documents")).await).await;
    let d = docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "int-13")
        .unwrap();
    let mh = d["progress"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["coder"] == "MH")
        .unwrap();
    assert_eq!(mh["done"], "all");
}

#[tokio::test]
async fn codebook_work_keeps_comments_and_codings() {
    let s = sundtek();
    let r = router(&s, "MH");
    let csrf = csrf(&r).await;
    let book_path = s.root.join("../../codebooks/sundtek-cues.toml");
    let before = std::fs::read_to_string(&book_path).unwrap();
    let comments: Vec<&str> = before
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect();
    assert!(!comments.is_empty());
    // create, with Danish letters in the label
    let v = json(send(&r, post("/api/codebook/add", &csrf, &json!({"label": "Arbejdsmiljø på stuen", "definition": "Når turen taler om arbejdsstillinger."}))).await).await;
    assert_eq!(v["id"], "arbejdsmiljoe-paa-stuen");
    let state = json(send(&r, get("/api/state")).await).await;
    let c = state["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "arbejdsmiljoe-paa-stuen")
        .unwrap();
    assert_eq!(c["label"], "Arbejdsmiljø på stuen");
    // code with it, then edit its fields
    let resp = send(&r, post("/api/code", &csrf, &json!({"segment": "int-13#6", "code": "arbejdsmiljoe-paa-stuen", "status": "accepted"}))).await;
    assert_eq!(resp.status(), StatusCode::OK);
    for (field, value) in [
        ("definition", json!("Ny definition")),
        ("include", json!("når det sker på stuen\nnår det gør ondt")),
        ("exclude", json!(["ren teknik"])),
        ("examples", json!(["Jeg fik ondt i ryggen af den monitor."])),
        ("parent", json!("context")),
    ] {
        let resp = send(
            &r,
            post(
                "/api/codebook/edit",
                &csrf,
                &json!({"id": "arbejdsmiljoe-paa-stuen", "field": field, "value": value}),
            ),
        )
        .await;
        assert_eq!(resp.status(), StatusCode::OK, "{field}");
    }
    let state = json(send(&r, get("/api/state")).await).await;
    let c = state["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "arbejdsmiljoe-paa-stuen")
        .unwrap()
        .clone();
    assert_eq!(c["definition"], "Ny definition");
    assert_eq!(
        c["include"],
        json!(["når det sker på stuen", "når det gør ondt"])
    );
    assert_eq!(c["exclude"], json!(["ren teknik"]));
    assert_eq!(c["parent"], "context");
    // a parent cycle is refused, and nothing is written
    let text = std::fs::read_to_string(&book_path).unwrap();
    let resp = send(
        &r,
        post(
            "/api/codebook/edit",
            &csrf,
            &json!({"id": "context", "field": "parent", "value": "arbejdsmiljoe-paa-stuen"}),
        ),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(text, std::fs::read_to_string(&book_path).unwrap());
    // rename: the old id stays as an alias, the coding follows
    let v = json(
        send(
            &r,
            post(
                "/api/codebook/rename",
                &csrf,
                &json!({"old": "arbejdsmiljoe-paa-stuen", "new": "", "label": "Ergonomi"}),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(v["id"], "ergonomi");
    let after = std::fs::read_to_string(&book_path).unwrap();
    for c in &comments {
        assert!(after.contains(c), "comment kept: {c}");
    }
    assert!(
        after.contains("aliases = [\"arbejdsmiljoe-paa-stuen\"]"),
        "{after}"
    );
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    let t6 = turn(&doc, "int-13#6");
    assert!(
        t6["codings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["coder"] == "MH" && c["code"] == "ergonomi"),
        "{t6}"
    );
    // merge into another code: an alias again, the coding follows
    let resp = send(
        &r,
        post(
            "/api/codebook/merge",
            &csrf,
            &json!({"from": "ergonomi", "into": "context"}),
        ),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    assert!(
        turn(&doc, "int-13#6")["codings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["coder"] == "MH" && c["code"] == "context")
    );
    let state = json(send(&r, get("/api/state")).await).await;
    assert!(
        !state["codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "ergonomi")
    );
    // refused: an id taken, an empty label
    let resp = send(
        &r,
        post("/api/codebook/add", &csrf, &json!({"label": "Context"})),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = send(&r, post("/api/codebook/add", &csrf, &json!({"label": " "}))).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_thousand_actions_leave_a_thousand_rows() {
    let s = sundtek();
    let r = router(&s, "MH");
    let csrf = csrf(&r).await;
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    let segs: Vec<String> = doc["turns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["segment"].as_str().unwrap().to_owned())
        .collect();
    let codes = ["context", "patient", "technofix", "evaluation"];
    let statuses = ["accepted", "rejected", "withdrawn", "accepted"];
    for i in 0..1000 {
        let body = json!({"segment": segs[i % segs.len()], "code": codes[i % 4], "status": statuses[(i / 4) % 4]});
        let resp = send(&r, post("/api/code", &csrf, &body)).await;
        assert_eq!(resp.status(), StatusCode::OK, "action {i}");
    }
    assert_eq!(rows(&s, "MH"), 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_clients_coding_at_once_lose_nothing() {
    let s = sundtek();
    // two servers on one study, as two browsers (or a browser and a
    // terminal) would be
    let a = router(&s, "MH");
    let b = router(&s, "MH");
    let ca = csrf(&a).await;
    let cb = csrf(&b).await;
    let run = |r: axum::Router, csrf: String, seg: &'static str| {
        tokio::spawn(async move {
            for i in 0..150 {
                let body = json!({"segment": seg, "code": if i % 2 == 0 { "context" } else { "patient" }, "status": "accepted", "memo": format!("{seg} {i}")});
                let resp = send(&r, post("/api/code", &csrf, &body)).await;
                assert_eq!(resp.status(), StatusCode::OK);
            }
        })
    };
    let (x, y, z) = tokio::join!(
        run(a.clone(), ca.clone(), "int-13#4"),
        run(b.clone(), cb, "int-13#6"),
        run(a, ca, "int-13#2")
    );
    x.unwrap();
    y.unwrap();
    z.unwrap();
    assert_eq!(rows(&s, "MH"), 450);
    let file = coder_file(&s, "MH");
    for seg in ["int-13#4", "int-13#6", "int-13#2"] {
        for i in 0..150 {
            assert!(file.contains(&format!(",{seg} {i},")), "{seg} {i} kept");
        }
    }
}

#[tokio::test]
async fn files_changed_on_disk_show_on_the_next_read() {
    let s = sundtek();
    let r = router(&s, "MH");
    // a coding made in a terminal (`spor code add`) while the page is open
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    assert!(
        !turn(&doc, "int-13#2")["codings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["coder"] == "TT")
    );
    let study = spor_corpus::Study::open(&s.root).unwrap();
    let text = turn(&doc, "int-13#2")["text"].as_str().unwrap().to_owned();
    spor_coding::coders::append(
        &study,
        "TT",
        "int-13#2",
        "context",
        spor_coding::coders::Decision::Accepted,
        "",
        &spor_coding::anchor::fingerprint(&text),
    )
    .unwrap();
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    assert!(
        turn(&doc, "int-13#2")["codings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["coder"] == "TT" && c["code"] == "context")
    );
    let state = json(send(&r, get("/api/state")).await).await;
    assert!(
        state["coders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "TT")
    );
    // a transcript changed on disk
    let path = s.root.join("transcripts/int-13.txt");
    let t = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, t.replace("Syv år nu.", "Otte år nu.")).unwrap();
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    assert!(
        turn(&doc, "int-13#2")["text"]
            .as_str()
            .unwrap()
            .contains("Otte år nu.")
    );
    // a codebook changed on disk
    let book = s.root.join("../../codebooks/sundtek-cues.toml");
    let b = std::fs::read_to_string(&book).unwrap();
    let first_label = json(send(&r, get("/api/state")).await).await["codes"][0]["label"]
        .as_str()
        .unwrap()
        .to_owned();
    std::fs::write(
        &book,
        b.replacen(
            &format!("label = \"{first_label}\""),
            "label = \"Ændret på disken\"",
            1,
        ),
    )
    .unwrap();
    let state = json(send(&r, get("/api/state")).await).await;
    assert_eq!(state["codes"][0]["label"], "Ændret på disken");
}

#[tokio::test]
async fn search_review_and_disagreement() {
    let s = sundtek();
    let r = router(&s, "MH");
    let csrf = csrf(&r).await;
    let v = json(send(&r, get("/api/search?q=sk%C3%A6rmbes%C3%B8g")).await).await;
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{v}");
    let h = hits
        .iter()
        .find(|h| h["segment"] == "int-13#4")
        .expect("int-13#4 found");
    let text: Vec<char> = h["text"].as_str().unwrap().chars().collect();
    let (a, b) = (
        h["highlights"][0][0].as_u64().unwrap() as usize,
        h["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(
        text[a..b].iter().collect::<String>().to_lowercase(),
        "skærmbesøg"
    );
    let bad = send(&r, get("/api/search?q=%28unclosed")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    // the review queue: unreviewed suggestions of a code for this coder
    let q = json(send(&r, get("/api/review?code=patient")).await).await;
    let n = q["items"].as_array().unwrap().len();
    assert!(n > 0);
    let first = &q["items"][0];
    assert!(
        first["turn"]["segment"].is_string()
            && first.get("before").is_some()
            && first.get("after").is_some()
    );
    let seg = first["turn"]["segment"].as_str().unwrap().to_owned();
    send(&r, post("/api/code", &csrf, &json!({"segment": seg, "code": "patient", "status": "rejected", "memo": "ikke egen brug"}))).await;
    let q = json(send(&r, get("/api/review?code=patient")).await).await;
    assert_eq!(q["items"].as_array().unwrap().len(), n - 1);
    // disagreement of the example's two coders, with both decisions
    let d = json(send(&r, get("/api/disagree?a=R01&b=R02")).await).await;
    let cells = d["cells"].as_array().unwrap();
    assert!(!cells.is_empty(), "{d}");
    for c in cells {
        for it in c["items"].as_array().unwrap() {
            let applied = |x: &Value| x["decision"] == "accepted";
            assert_ne!(applied(&it["a"]), applied(&it["b"]), "{it}");
        }
    }
}

#[tokio::test]
async fn a_passage_is_written_in_chars_and_undone_alone() {
    let s = sundtek();
    let r = router(&s, "MH");
    let csrf = csrf(&r).await;
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    let text: Vec<char> = turn(&doc, "int-13#6")["text"]
        .as_str()
        .unwrap()
        .chars()
        .collect();
    // a passage after Danish letters: offsets count chars, not bytes
    let at = text
        .iter()
        .collect::<String>()
        .find("Vi blev ikke spurgt")
        .unwrap();
    let start = text.iter().collect::<String>()[..at].chars().count();
    let quote = "Vi blev ikke spurgt";
    let end = start + quote.chars().count();
    let body = json!({"segment": "int-13#6", "code": "user-involvement", "status": "accepted", "start": start, "end": end, "quote": quote});
    assert_eq!(
        send(&r, post("/api/code", &csrf, &body)).await.status(),
        StatusCode::OK
    );
    let body2 = json!({"segment": "int-13#6", "code": "user-involvement", "status": "accepted", "start": 0, "end": 6, "quote": text[..6].iter().collect::<String>()});
    assert_eq!(
        send(&r, post("/api/code", &csrf, &body2)).await.status(),
        StatusCode::OK
    );
    let file = coder_file(&s, "MH");
    assert!(
        file.starts_with("segment,code,status,memo,anchor,start,end,quote\n"),
        "{file}"
    );
    assert!(file.contains(&format!(",{start},{end},{quote}")), "{file}");
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    let c = turn(&doc, "int-13#6")["codings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["coder"] == "MH")
        .unwrap()
        .clone();
    assert_eq!(c["passages"].as_array().unwrap().len(), 2, "{c}");
    assert_eq!(c["passages"][1]["quote"], quote);
    // undo the second passage: the first stays
    let mut undo = body.clone();
    undo["status"] = json!("withdrawn");
    assert_eq!(
        send(&r, post("/api/code", &csrf, &undo)).await.status(),
        StatusCode::OK
    );
    let doc = json(send(&r, get("/api/doc/int-13")).await).await;
    let c = turn(&doc, "int-13#6")["codings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["coder"] == "MH")
        .unwrap()
        .clone();
    assert_eq!(c["passages"].as_array().unwrap().len(), 1, "{c}");
    assert_eq!(c["passages"][0]["start"], 0);
    // an old coder file (five columns) cannot take a passage: refused with the edit to make
    std::fs::write(
        s.root.join("codings/OLD.csv"),
        "segment,code,status,memo,anchor\nint-13#4,patient,accepted,,\n",
    )
    .unwrap();
    let r01 = router(&s, "OLD");
    let csrf01 = common::csrf(&r01).await;
    let before = coder_file(&s, "OLD");
    let resp = send(&r01, post("/api/code", &csrf01, &body)).await;
    let status = resp.status();
    let msg = json(resp).await["error"].as_str().unwrap().to_owned();
    assert_eq!(status, StatusCode::CONFLICT, "{msg}");
    assert!(msg.contains("start"), "{msg}");
    assert_eq!(before, coder_file(&s, "OLD"));
}

#[tokio::test]
async fn learned_suggestions_show_in_the_margin_and_the_queue_asks_the_least_certain_first() {
    let s = sundtek();
    let r = router(&s, "MH");
    // patient has a model on the example (docs/CODEBOOK.md): its queue
    // holds rule and learned suggestions, least certain first
    let q = json(send(&r, get("/api/review?code=patient")).await).await;
    let items = q["items"].as_array().unwrap();
    let p: Vec<Option<f64>> = items.iter().map(|i| i["probability"].as_f64()).collect();
    assert!(p.iter().filter(|x| x.is_some()).count() > 5, "{q}");
    let known: Vec<f64> = p
        .iter()
        .map_while(|x| *x)
        .map(|x| (x - 0.5).abs())
        .collect();
    assert!(
        known.windows(2).all(|w| w[0] <= w[1] + 1e-9),
        "|p - 0.5| ascending: {known:?}"
    );
    assert!(
        p[known.len()..].iter().all(Option::is_none),
        "turns without a probability come last"
    );
    assert!(
        items.iter().any(|i| i["origin"] == "model:patient"),
        "the model's own suggestions are in the queue: {q}"
    );
    // a learned suggestion in the transcript's margin, with its probability
    // and words
    let learned = items
        .iter()
        .find(|i| i["origin"] == "model:patient")
        .unwrap();
    let seg = learned["turn"]["segment"].as_str().unwrap();
    let doc = learned["document"].as_str().unwrap();
    let d = json(send(&r, get(&format!("/api/doc/{doc}"))).await).await;
    let t = turn(&d, seg);
    let g = t["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["origin"] == "model:patient")
        .unwrap_or_else(|| panic!("{t}"));
    assert!(g["probability"].as_f64().unwrap() >= 0.5, "{g}");
    assert!(!g["matched"].as_str().unwrap().is_empty(), "{g}");
}

#[tokio::test]
async fn a_transcript_can_be_read_in_parts() {
    let s = sundtek();
    let r = router(&s, "MH");
    let csrf = csrf(&r).await;
    // a human coding and a memo on turn 4, so the parts carry all three kinds
    for (path, body) in [
        (
            "/api/code",
            json!({"segment": "int-13#4", "code": "patient", "status": "accepted"}),
        ),
        (
            "/api/memo",
            json!({"segment": "int-13#4", "code": "patient", "text": "fælles"}),
        ),
    ] {
        assert_eq!(
            send(&r, post(path, &csrf, &body)).await.status(),
            StatusCode::OK
        );
    }
    let all = json(send(&r, get("/api/doc/int-13")).await).await;
    let turns = all["turns"].as_array().unwrap();
    let n = turns.len();
    assert!(n > 5, "{all}");
    assert_eq!(
        (all["offset"].as_u64(), all["total"].as_u64()),
        (Some(0), Some(n as u64))
    );
    let four = &turns[3];
    assert_eq!(four["segment"], "int-13#4");
    assert!(!four["codings"].as_array().unwrap().is_empty(), "{four}");
    assert!(!four["memos"].as_array().unwrap().is_empty(), "{four}");
    let suggested = turns
        .iter()
        .position(|t| !t["suggestions"].as_array().unwrap().is_empty())
        .expect("a turn with a suggestion");
    // every window is the same turns as the full read, with their codings,
    // suggestions and memos, and says where it starts and how many there are
    for (from, to) in [(2, 5), (suggested, suggested + 1), (0, n)] {
        let part = json(send(&r, get(&format!("/api/doc/int-13?from={from}&to={to}"))).await).await;
        assert_eq!(part["offset"], from, "{from}..{to}");
        assert_eq!(part["total"], n, "{from}..{to}");
        assert_eq!(
            part["turns"].as_array().unwrap()[..],
            turns[from..to],
            "{from}..{to}"
        );
        assert_eq!(part["memos"], all["memos"]);
    }
    // past the end: what there is, never an error
    let tail = json(
        send(
            &r,
            get(&format!("/api/doc/int-13?from={}&to={}", n - 1, n + 50)),
        )
        .await,
    )
    .await;
    assert_eq!(tail["turns"].as_array().unwrap().len(), 1);
    let none = json(send(&r, get(&format!("/api/doc/int-13?from={}", n + 5))).await).await;
    assert_eq!(
        (
            none["offset"].as_u64(),
            none["turns"].as_array().unwrap().len()
        ),
        (Some(n as u64), 0)
    );
    // one turn (what the page reads after an action) is the same turn too
    let one = json(send(&r, get("/api/doc/int-13?turn=int-13%234")).await).await;
    assert_eq!(&one["turn"], four);
}
