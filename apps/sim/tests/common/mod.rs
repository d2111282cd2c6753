//! Test helpers: a bearer-authenticated reqwest client for a running simulator.
#![allow(dead_code)]

use alto_sim::RunningSimulator;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;

/// Gets a token with the simulator's own credentials.
pub async fn token(sim: &RunningSimulator) -> String {
    let creds = sim.credentials();
    let answer: Value = reqwest::Client::new()
        .post(sim.token_url())
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"].as_str().unwrap().to_string()
}

/// A client for one agency (`None` in sandbox).
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    pub agency: Option<String>,
}

impl Api {
    pub async fn new(sim: &RunningSimulator, agency: Option<&str>) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: sim.base_url(),
            token: token(sim).await,
            agency: agency.map(String::from),
        }
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let mut r = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .bearer_auth(&self.token);
        if let Some(a) = &self.agency {
            r = r.header("AgencyRef", a);
        }
        r
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path).send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// The first branch id (every simulator has branches).
    pub async fn branch(&self) -> String {
        let v: Value = self.get("/branches").await.json().await.unwrap();
        v["items"][0]["branchId"].as_str().unwrap().to_string()
    }

    /// The first negotiator id.
    pub async fn negotiator(&self) -> i64 {
        let v: Value = self.get("/negotiators").await.json().await.unwrap();
        v["items"][0]["id"].as_str().unwrap().parse().unwrap()
    }

    /// Creates a one-person contact and returns its id.
    pub async fn contact(&self, forename: &str, surname: &str, email: &str) -> i64 {
        let body = serde_json::json!({
            "branchId": self.branch().await,
            "people": [{"forename": forename, "surname": surname,
                        "emailAddresses": [{"address": email}]}]
        });
        let r = self.post_json("/contacts", &body).await;
        assert_eq!(r.status(), 201, "{:?}", r.text().await);
        let v: Value = r.json().await.unwrap();
        v["id"].as_str().unwrap().parse().unwrap()
    }

    /// Creates a property owned by `owner` and returns its id.
    pub async fn property(&self, number: &str, owner: i64) -> i64 {
        let body = serde_json::json!({
            "address": {"nameNumber": number, "street": "Gay Street", "town": "Bath", "postcode": "BA1 2PD"},
            "market": "Rent",
            "owners": [{"contactId": owner}]
        });
        let r = self.post_json("/inventory/new", &body).await;
        assert_eq!(r.status(), 201, "{:?}", r.text().await);
        let v: Value = r.json().await.unwrap();
        v["id"].as_str().unwrap().parse().unwrap()
    }
}

/// Reads a gateway answer (token or `AgencyRef` refused, no such path): ProblemDetails as
/// `application/problem+json`, whatever the operation declares.
pub async fn gateway_problem(r: Response) -> Value {
    let status = r.status().as_u16();
    let content_type = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let v: Value = r.json().await.unwrap();
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    assert_eq!(v["status"].as_u64(), Some(u64::from(status)), "{v}");
    assert!(v["title"].is_string() && v["type"].is_string(), "{v}");
    v
}

/// The shape an operation declares for an error status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `{"errors": [{"code", "message"}]}`.
    ErrorsResponse,
    /// RFC 7807 ProblemDetails.
    ProblemDetails,
    /// No body.
    Empty,
}

/// An operation's error answer, read in whichever shape it declares (strict mode has already
/// checked it against the operation's schema): the shape, field errors by field, and the
/// message.
#[derive(Debug, Clone)]
pub struct DeclaredError {
    pub shape: Shape,
    pub fields: std::collections::BTreeMap<String, Vec<String>>,
    pub message: String,
}

impl DeclaredError {
    /// Whether `field` has an error.
    pub fn names(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }
}

/// Reads an error answer in its declared shape: `application/json` with an `ErrorsResponse` or
/// a ProblemDetails body, or no body at all.
pub async fn declared_error(r: Response) -> DeclaredError {
    let status = r.status().as_u16();
    assert!((400..500).contains(&status), "{status} is not an error");
    let content_type = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = r.bytes().await.unwrap();
    let mut fields = std::collections::BTreeMap::<String, Vec<String>>::new();
    if bytes.is_empty() {
        assert_eq!(content_type, None, "a bodiless error has no Content-Type");
        return DeclaredError {
            shape: Shape::Empty,
            fields,
            message: String::new(),
        };
    }
    assert_eq!(content_type.as_deref(), Some("application/json"));
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    if let Some(errors) = v.get("errors").and_then(Value::as_array) {
        let mut message = Vec::new();
        for e in errors {
            let code = e["code"].as_str().expect("code").to_string();
            let text = e["message"].as_str().expect("message").to_string();
            message.push(text.clone());
            fields.entry(code).or_default().push(text);
        }
        assert_eq!(
            v.as_object().unwrap().len(),
            1,
            "ErrorsResponse has only errors: {v}"
        );
        return DeclaredError {
            shape: Shape::ErrorsResponse,
            fields,
            message: message.join("; "),
        };
    }
    assert_eq!(v["status"].as_u64(), Some(u64::from(status)), "{v}");
    assert!(v["title"].is_string(), "{v}");
    if let Some(map) = v.get("errors").and_then(Value::as_object) {
        for (field, messages) in map {
            let messages = messages.as_array().unwrap().iter();
            fields.insert(
                field.clone(),
                messages.map(|m| m.as_str().unwrap().to_string()).collect(),
            );
        }
    }
    DeclaredError {
        shape: Shape::ProblemDetails,
        fields,
        message: v["detail"].as_str().unwrap_or_default().to_string(),
    }
}
