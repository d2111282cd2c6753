//! Cases for the sales and listings family: offers, sales progressions, referrals, media items,
//! listings, documents, appointments and file notes.
//!
//! They read the demo records seeded into the run's one agency (ids from 100 000; the listing,
//! file-note, document and sales records from 190 001, in the order `seed.rs` and
//! `sales_seed.rs` create them), and what earlier cases created.
//!
//! `GET /parameters/appointment-subtypes` declares 400 but takes no input that could be wrong,
//! so it has only its happy case.

use serde_json::json;

use crate::case::{Body, Case};

/// The flat to let (14 Pulteney Road, Bath).
const FLAT: i64 = 100_020;
/// The house for sale (7 Cotham Hill, Bristol).
const HOUSE: i64 = 100_022;
/// The flat's landlord.
const LANDLORD: i64 = 100_006;
/// The applicant buying the house.
const APPLICANT: i64 = 100_018;
/// A negotiator and the sales negotiator.
const NEGOTIATOR: i64 = 100_003;
const SALES_NEGOTIATOR: i64 = 100_005;
/// The flat's second gallery image and its floorplan.
const FLAT_PHOTO: i64 = 190_002;
const FLAT_FLOORPLAN: i64 = 190_003;
/// The works order on the flat.
const WORK_ORDER: i64 = 190_012;
/// The accepted sale offer on the house (progressing) and the tenant's offer on the flat.
const AGREED_OFFER: i64 = 190_036;
const LETTING_OFFER: i64 = 190_037;
/// The void-switching referral of the flat's tenancy.
const REFERRAL: &str = "7e4e0000-0000-4000-8000-000186b80001";
/// Ids no record has.
const UNKNOWN: i64 = 999_999;
const UNKNOWN_REFERRAL: &str = "00000000-0000-4000-8000-000000000001";

fn png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n fake image".to_vec()
}

fn media_form(linked_id: i64, media_type: &str) -> Body {
    Body::Multipart {
        fields: vec![
            ("linkedType", "Property".into()),
            ("linkedId", linked_id.to_string()),
            ("mediaType", media_type.into()),
        ],
        files: vec![("fileToUpload", "kitchen.png", "image/png", png())],
    }
}

fn sales() -> Vec<Case> {
    vec![
        Case::get(format!("/offers/sales-offer/{AGREED_OFFER}"), 200),
        Case::get(format!("/offers/sales-offer/{LETTING_OFFER}"), 404),
        Case::get(format!("/offers/sales-offer/{UNKNOWN}"), 404),
        Case::get("/sales-progressions", 200),
        Case::get(
            format!("/sales-progressions?PropertyId={HOUSE}&Sort=CompletionDate&MaxResults=5"),
            200,
        ),
        Case::get("/sales-progressions?Sort=Soonest", 400),
        Case::get(format!("/sales-progressions/{AGREED_OFFER}"), 200),
        Case::get(format!("/sales-progressions/{UNKNOWN}"), 400),
    ]
}

fn referrals() -> Vec<Case> {
    let status = json!([{"op": "replace", "path": "/status", "value": "Completed"}]);
    vec![
        Case::get(format!("/referrals/{REFERRAL}"), 200),
        Case::get(format!("/referrals/{UNKNOWN_REFERRAL}"), 404),
        Case::json_patch(format!("/referrals/{REFERRAL}"), status.clone(), 204),
        Case::json_patch(
            format!("/referrals/{REFERRAL}"),
            json!([{"op": "replace", "path": "/agentEmail", "value": "x@example.co.uk"}]),
            400,
        ),
        Case::json_patch(format!("/referrals/{UNKNOWN_REFERRAL}"), status, 404),
        Case::patch(
            format!("/voidswitching/referrals/{REFERRAL}"),
            json!({"status": "Switched", "fees": 35.0}),
            200,
        ),
        // Declares only 200: an unknown referral changes nothing and answers 200.
        Case::patch(
            format!("/voidswitching/referrals/{UNKNOWN_REFERRAL}"),
            json!({"status": "Switched"}),
            200,
        ),
    ]
}

fn media_items() -> Vec<Case> {
    vec![
        Case::new(reqwest::Method::POST, "/media-item", 200)
            .body(media_form(HOUSE, "Photo"))
            .save("media"),
        Case::new(reqwest::Method::POST, "/media-item", 200).body(Body::Form(vec![
            ("linkedType", "Property".into()),
            ("linkedId", HOUSE.to_string()),
            ("mediaType", "EPC".into()),
            ("filename", "epc.txt".into()),
            ("fileToUpload", "EPC rating C (72)".into()),
        ])),
        Case::new(reqwest::Method::POST, "/media-item", 400).body(media_form(HOUSE, "Hologram")),
        Case::new(reqwest::Method::POST, "/media-item", 404).body(media_form(UNKNOWN, "Photo")),
        Case::delete("/media-item/{media}", 204),
        Case::delete("/media-item/{media}", 404),
        Case::delete(format!("/media-item/{FLAT_FLOORPLAN}"), 204),
    ]
}

fn listings() -> Vec<Case> {
    let summary = json!({"operations": [{"op": "replace", "path": "/summary", "value": "A bright flat near Bath Spa station."}]});
    // The spec's form of a listing patch: RFC 6902 operations under `operations`.
    let room = json!({"operations": [{"op": "add", "path": "/rooms/-", "value": {"name": "Kitchen", "size": "4.2m x 3.1m"}}]});
    vec![
        Case::get("/listing/filter?status=Available&sort-by=Created", 200),
        Case::get("/listing/filter?status=Sunny", 400),
        Case::get(
            format!("/listing/property/items?property-id={HOUSE}&property-id={FLAT}"),
            200,
        ),
        Case::get("/listing/property/items", 400),
        Case::get(format!("/listing/property/{HOUSE}"), 200),
        Case::get("/listing/property/abc", 400),
        Case::get(format!("/listing/property/{UNKNOWN}"), 404),
        Case::json_patch(
            format!("/listing/property/{FLAT}/summary"),
            summary.clone(),
            204,
        ),
        Case::json_patch(
            format!("/listing/property/{FLAT}/summary"),
            json!({"operations": [{"op": "test", "path": "/summary", "value": "Something else"}]}),
            400,
        ),
        Case::json_patch(format!("/listing/property/{UNKNOWN}/summary"), summary, 404),
        Case::json_patch(
            format!("/listing/property/{HOUSE}/rooms"),
            room.clone(),
            204,
        ),
        Case::json_patch(
            format!("/listing/property/{HOUSE}/rooms"),
            json!({"operations": [{"op": "replace", "path": "/rooms/7/name", "value": "Study"}]}),
            400,
        ),
        Case::json_patch(format!("/listing/property/{UNKNOWN}/rooms"), room, 404),
        Case::get(format!("/listing/property/{FLAT}/images"), 200),
        Case::get(format!("/listing/property/{UNKNOWN}/images"), 400),
        Case::get(
            format!("/listing/property/{FLAT}/images/{FLAT_PHOTO}?image-size=thumbnail"),
            200,
        ),
        Case::get(
            format!("/listing/property/{FLAT}/images/{FLAT_PHOTO}?image-size=huge"),
            400,
        ),
        Case::get(format!("/listing/property/{FLAT}/images/{UNKNOWN}"), 404),
        Case::new(
            reqwest::Method::POST,
            format!("/inventory/{HOUSE}/media-link"),
            200,
        )
        .body(Body::Multipart {
            fields: vec![
                ("mediaType", "VirtualTour".into()),
                ("url", "https://tours.example.co.uk/7-cotham-hill-2".into()),
            ],
            files: vec![],
        }),
        Case::new(
            reqwest::Method::POST,
            format!("/inventory/{HOUSE}/media-link"),
            400,
        )
        .body(Body::Multipart {
            fields: vec![("mediaType", "WebLink".into()), ("url", "not a url".into())],
            files: vec![],
        }),
        Case::new(
            reqwest::Method::POST,
            format!("/inventory/{UNKNOWN}/media-link"),
            404,
        )
        .body(Body::Multipart {
            fields: vec![
                ("mediaType", "WebLink".into()),
                ("url", "https://example.co.uk".into()),
            ],
            files: vec![],
        }),
    ]
}

fn documents() -> Vec<Case> {
    let upload = |linked_id: i64, with_file: bool| Body::Multipart {
        fields: vec![
            ("linkedType", "Property".into()),
            ("linkedId", linked_id.to_string()),
        ],
        files: if with_file {
            vec![(
                "fileToUpload",
                "epc.pdf",
                "application/pdf",
                b"%PDF-1.4 epc".to_vec(),
            )]
        } else {
            vec![]
        },
    };
    vec![
        Case::new(reqwest::Method::POST, "/documents/post", 200)
            .body(upload(FLAT, true))
            .save("document"),
        Case::new(reqwest::Method::POST, "/documents/post", 400).body(upload(FLAT, false)),
        Case::get(
            format!("/documents?linkedType=Property&linkedId={FLAT}"),
            200,
        ),
        Case::get("/documents?maxResults=0", 400),
        Case::get("/documents/{document}/content", 200),
        Case::get(format!("/documents/{UNKNOWN}/content"), 400),
        Case::get(format!("/inventory/{FLAT}/documents"), 200),
        Case::get(format!("/inventory/{UNKNOWN}/documents"), 400),
        Case::get(format!("/work-orders/{WORK_ORDER}/documents"), 200),
        Case::get(format!("/work-orders/{UNKNOWN}/documents"), 400),
    ]
}

fn appointments() -> Vec<Case> {
    let viewing = json!({"propertyId": HOUSE, "applicantIds": [APPLICANT], "negotiatorId": SALES_NEGOTIATOR,
        "startDate": "2026-07-01T09:00:00Z", "endDate": "2026-07-01T09:30:00Z"});
    let general = |sub_type: i64| {
        json!({"negotiatorIds": [NEGOTIATOR], "subTypeId": sub_type,
            "startDate": "2026-12-01T10:00:00Z", "endDate": "2026-12-01T11:00:00Z"})
    };
    let appraisal = json!({"propertyId": HOUSE.to_string(), "appraiserIds": [SALES_NEGOTIATOR.to_string()],
        "startDate": "2026-08-03T14:00:00Z", "endDate": "2026-08-03T15:00:00Z", "type": "FreeMarketAppraisal"});
    let notes = json!([{"op": "replace", "path": "/internalNotes", "value": "Keys at the office"}]);
    // The spec types every value of this patch as a string.
    let people = json!([{"op": "replace", "path": "/status", "value": "Active"}]);
    let diary = format!(
        "/appointments/negotiators?negotiator-id={SALES_NEGOTIATOR}&start-date=2026-01-01T00:00:00Z&end-date=2026-12-31T00:00:00Z"
    );
    vec![
        Case::post("/appointments/viewings", viewing, 200).save("viewing"),
        Case::post("/appointments/viewings", json!({}), 400),
        Case::post("/appointments/general", general(1), 200).save("general"),
        Case::post("/appointments/general", general(999), 400),
        Case::post("/appraisals", appraisal, 201),
        Case::post("/appraisals", json!({}), 400),
        Case::get("/appointments/{viewing}/0", 200),
        Case::get("/appointments/abc/0", 400),
        Case::get(format!("/appointments/{UNKNOWN}/0"), 404),
        Case::json_patch("/appointments/viewings/{viewing}", notes.clone(), 200),
        Case::json_patch(
            "/appointments/viewings/{viewing}",
            json!([{"op": "remove", "path": "/negotiatorIds"}]),
            400,
        ),
        Case::json_patch(format!("/appointments/viewings/{UNKNOWN}"), notes, 404),
        Case::json_patch("/appointments/general/{general}", people.clone(), 200),
        Case::json_patch(
            "/appointments/general/{general}",
            json!([{"op": "replace", "path": "/notes", "value": "x"}]),
            400,
        ),
        Case::json_patch(format!("/appointments/general/{UNKNOWN}"), people, 404),
        Case::get("/appointments/valuations", 200),
        Case::get("/appointments/valuations?max-results=0", 400),
        Case::get(diary, 200),
        Case::get(
            "/appointments/negotiators?start-date=2026-01-01T00:00:00Z&end-date=2026-12-31T00:00:00Z",
            400,
        ),
        Case::get("/parameters/appointment-subtypes", 200),
    ]
}

fn file_notes() -> Vec<Case> {
    let note = json!({"propertyId": FLAT.to_string(), "ownerIds": [LANDLORD.to_string()],
        "title": "Keys", "notes": "Second set of keys cut.", "fileNoteType": "FileNote"});
    let notes = json!([{"op": "replace", "path": "/Notes", "value": "Third set of keys cut."}]);
    vec![
        Case::post("/file-notes", note, 201).save("note"),
        Case::post("/file-notes", json!({"notes": "About nobody"}), 400),
        Case::get(format!("/file-notes/search?contact-id={LANDLORD}"), 200),
        Case::get("/file-notes/search?contact-id=abc", 400),
        Case::get(format!("/file-notes/search?contact-id={UNKNOWN}"), 404),
        Case::get("/file-notes/{note}", 200),
        Case::get("/file-notes/abc", 400),
        Case::get(format!("/file-notes/{UNKNOWN}"), 404),
        Case::patch("/file-notes/{note}", notes.clone(), 200),
        Case::patch(
            "/file-notes/{note}",
            json!([{"op": "replace", "path": "/Title", "value": "x".repeat(51)}]),
            400,
        ),
        Case::patch(format!("/file-notes/{UNKNOWN}"), notes, 404),
        Case::get(format!("/inventory/{FLAT}/file-notes"), 200),
        Case::get("/inventory/abc/file-notes", 400),
        Case::get(format!("/inventory/{UNKNOWN}/file-notes"), 404),
    ]
}

/// This family's cases, in order.
pub fn cases() -> Vec<Case> {
    [
        sales(),
        referrals(),
        media_items(),
        listings(),
        documents(),
        appointments(),
        file_notes(),
    ]
    .concat()
}
