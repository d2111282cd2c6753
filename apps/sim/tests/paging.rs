//! Cursor paging in all three casings, each across at least three pages.

mod common;

use std::collections::HashSet;

use alto_sim::Simulator;
use common::Api;
use reqwest::Method;
use serde_json::Value;

/// Follows `token_param` through every page; returns the ids per page.
async fn walk(
    api: &Api,
    path: &str,
    token_param: &str,
    size_param: &str,
    size: u32,
    id_field: &str,
) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut query = vec![(size_param.to_string(), size.to_string())];
        if let Some(t) = &token {
            query.push((token_param.to_string(), t.clone()));
        }
        let r = api
            .request(Method::GET, path)
            .query(&query)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let v: Value = r.json().await.unwrap();
        let ids: Vec<String> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| match &i[id_field] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        assert!(ids.len() <= size as usize);
        pages.push(ids);
        token = v["meta"]["nextToken"].as_str().map(String::from);
        if token.is_none() {
            break;
        }
        assert!(pages.len() < 50, "paging does not end");
    }
    pages
}

fn assert_complete(pages: &[Vec<String>], expected: usize) {
    let all: Vec<&String> = pages.iter().flatten().collect();
    let unique: HashSet<&&String> = all.iter().collect();
    assert_eq!(all.len(), expected, "{pages:?}");
    assert_eq!(
        unique.len(),
        expected,
        "an item was served twice: {pages:?}"
    );
    assert!(pages.len() >= 3, "{pages:?}");
}

#[tokio::test]
async fn kebab_case_cursor_on_contacts() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    for i in 0..5 {
        api.contact(
            "Page",
            &format!("Person{i}"),
            &format!("p{i}@example.co.uk"),
        )
        .await;
    }
    let total = sim.counts(None).contacts;
    let pages = walk(&api, "/contacts/all", "next-token", "max-results", 3, "id").await;
    assert_complete(&pages, total);
    // Oldest first, and stable: the same walk gives the same pages.
    assert_eq!(
        walk(&api, "/contacts/all", "next-token", "max-results", 3, "id").await,
        pages
    );
}

#[tokio::test]
async fn camel_case_cursor_on_documents() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let contact = api.contact("Doc", "Holder", "doc@example.co.uk").await;
    for i in 0..7 {
        let form = reqwest::multipart::Form::new()
            .part(
                "fileToUpload",
                reqwest::multipart::Part::bytes(format!("file {i}").into_bytes())
                    .file_name(format!("f{i}.txt")),
            )
            .text("linkedType", "Contact")
            .text("linkedId", contact.to_string());
        let r = api
            .request(Method::POST, "/documents/post")
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let pages = walk(
        &api,
        &format!("/documents?linkedType=Contact&linkedId={contact}"),
        "nextToken",
        "maxResults",
        2,
        "id",
    )
    .await;
    assert_complete(&pages, 7);
    assert_eq!(pages.len(), 4);
}

#[tokio::test]
async fn pascal_case_cursor_on_reference_checks_with_date_filters() {
    let sim = Simulator::builder().start().await.unwrap();
    let api = Api::new(&sim, None).await;
    let pages = walk(
        &api,
        "/ReferenceChecks",
        "NextToken",
        "MaxResults",
        3,
        "referenceCheckId",
    )
    .await;
    assert_complete(&pages, 8);

    // The wrong casing is not understood: the cursor is ignored and page one comes back.
    let first: Value = api
        .get("/ReferenceChecks?MaxResults=3")
        .await
        .json()
        .await
        .unwrap();
    let token = first["meta"]["nextToken"].as_str().unwrap();
    let wrong: Value = api
        .get(&format!("/ReferenceChecks?MaxResults=3&nextToken={token}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(wrong["items"], first["items"]);
    // A cursor from another listing is refused.
    let contacts: Value = api
        .get("/contacts/all?max-results=1")
        .await
        .json()
        .await
        .unwrap();
    let foreign = contacts["meta"]["nextToken"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/ReferenceChecks?NextToken={foreign}"))
            .await
            .status(),
        400
    );

    // Date filters: both optional, date-times.
    let since = (chrono::Utc::now() - chrono::Duration::days(7)).to_rfc3339();
    let recent: Value = api
        .request(Method::GET, "/ReferenceChecks")
        .query(&[("CreatedFrom", since.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let recent = recent["items"].as_array().unwrap();
    assert!(!recent.is_empty() && recent.len() < 8);
    assert!(recent.iter().any(|c| c["status"] == "Pending"));
    let until = (chrono::Utc::now() - chrono::Duration::days(7)).to_rfc3339();
    let older: Value = api
        .request(Method::GET, "/ReferenceChecks")
        .query(&[("CreatedTo", until.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(older["items"].as_array().unwrap().len() + recent.len(), 8);
    assert_eq!(
        api.get("/ReferenceChecks?CreatedFrom=yesterday")
            .await
            .status(),
        400
    );
}

#[tokio::test]
async fn page_size_defaults_to_25_and_is_capped_at_100() {
    let sim = Simulator::builder()
        .seed_demo_data(false)
        .start()
        .await
        .unwrap();
    let api = Api::new(&sim, None).await;
    for i in 0..30 {
        api.contact("Bulk", &format!("N{i}"), &format!("b{i}@example.co.uk"))
            .await;
    }
    let v: Value = api.get("/contacts/all").await.json().await.unwrap();
    assert_eq!(
        v["items"].as_array().unwrap().len(),
        alto_sim::DEFAULT_PAGE_SIZE
    );
    let v: Value = api
        .get("/contacts/all?max-results=500")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 30);
    assert!(v["meta"]["nextToken"].is_null());
    assert_eq!(api.get("/contacts/all?max-results=0").await.status(), 400);
}
