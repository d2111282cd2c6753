//! Cases for the property management family: the inventory, key sets, appraisal figures,
//! landlords, suppliers, management events, tenancies, meter readings, charges, works orders,
//! guarantors and reference checks.
//!
//! Integer fields of JSON bodies cannot take a saved id (`{name}` fills strings), so those name
//! the seeded demo records of the run's one agency, whose ids start at 100 000 (demo records of
//! the listings and property-management families at 190 000).

use serde_json::json;

use crate::case::{Body, Case};

/// The agency's first branch (Bath).
const BRANCH: i64 = 100_001;
/// The lettings negotiator.
const NEGOTIATOR: i64 = 100_004;
/// Mrs Margaret Hughes, landlord of the flat.
const LANDLORD: i64 = 100_006;
/// Miss Sophie Turner, an applicant.
const APPLICANT: i64 = 100_018;
/// 14 Pulteney Road, Bath: the let flat.
const FLAT: i64 = 100_020;
/// The flat's tenancy.
const TENANCY: i64 = 100_024;
/// Its first tenant.
const TENANT: i64 = 100_025;
/// Avon Gas & Heating Ltd.
const SUPPLIER: i64 = 190_025;

/// The first seeded reference check of the tenancy.
fn reference_check() -> String {
    format!("5ee00000-0000-4000-8000-{:012x}", TENANCY << 16)
}

fn multipart(fields: &[(&'static str, &str)]) -> Body {
    Body::Multipart {
        fields: fields.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        files: Vec::new(),
    }
}

fn inventory() -> Vec<Case> {
    let address = json!({"nameNumber": "21", "street": "Great Pulteney Street", "town": "Bath",
        "postcode": "BA2 4BU", "countryCode": "GB"});
    vec![
        Case::get("/inventory", 200),
        Case::get("/inventory?maxResults=0", 400),
        Case::get("/inventory?address=Nowhere%20Lane", 404),
        Case::post(
            "/inventory/new",
            json!({"address": address, "market": "Rent", "branchId": BRANCH,
                "owners": [{"contactId": LANDLORD}]}),
            201,
        )
        .save("pm_property"),
        Case::post(
            "/inventory/new",
            json!({"address": address, "market": "Rent"}),
            400,
        ),
        Case::get("/inventory/search?query=Great%20Pulteney", 200),
        Case::get("/inventory/search", 400),
        Case::get(
            "/inventory/filter?recordType=Rent&managementType=FullyManaged",
            200,
        ),
        Case::get("/inventory/filter?recordType=Lease", 400),
        Case::get("/inventory/items?inventory-id={pm_property}", 200),
        Case::get("/inventory/items", 400),
        Case::get("/inventory/items?inventory-id=1", 404),
        Case::get("/inventory/{pm_property}", 200),
        Case::get("/inventory/not-a-number", 400),
        Case::get("/inventory/1", 404),
        Case::patch(
            "/inventory/{pm_property}",
            json!([{"op": "replace", "path": "/Bedrooms", "value": 3}]),
            204,
        ),
        Case::patch(
            "/inventory/{pm_property}",
            json!([{"op": "replace", "path": "/Bedrooms", "value": "three"}]),
            400,
        ),
        Case::patch(
            "/inventory/1",
            json!([{"op": "replace", "path": "/Bedrooms", "value": 3}]),
            404,
        ),
        Case::post(
            "/inventory/{pm_property}/owner",
            json!({"contactId": APPLICANT}),
            201,
        ),
        Case::post(
            "/inventory/{pm_property}/owner",
            json!({"contactId": APPLICANT}),
            409,
        ),
        Case::post("/inventory/{pm_property}/owner", json!({}), 400),
        Case::post("/inventory/1/owner", json!({"contactId": APPLICANT}), 404),
    ]
}

fn key_sets_and_appraisal() -> Vec<Case> {
    vec![
        Case::post(
            "/inventory/{pm_property}/keyset",
            json!({"description": "Front door and porch", "referenceCode": "K-BA2-021",
                "keyCount": 2, "status": "In"}),
            201,
        )
        .save("key_set"),
        Case::post(
            "/inventory/{pm_property}/keyset",
            json!({"keyCount": 0}),
            400,
        ),
        Case::post("/inventory/1/keyset", json!({"keyCount": 1}), 404),
        Case::get("/inventory/{pm_property}/keysets", 200),
        Case::get("/inventory/not-a-number/keysets", 400),
        Case::get("/inventory/1/keysets", 404),
        Case::patch(
            "/inventory/{pm_property}/keyset/{key_set}",
            json!([{"op": "replace", "path": "/Status", "value": "Out"}]),
            204,
        ),
        Case::patch(
            "/inventory/{pm_property}/keyset/{key_set}",
            json!([{"op": "replace", "path": "/Status", "value": "Borrowed"}]),
            400,
        ),
        Case::patch(
            "/inventory/{pm_property}/keyset/1",
            json!([{"op": "replace", "path": "/Status", "value": "Out"}]),
            404,
        ),
        Case::delete("/inventory/{pm_property}/keyset/{key_set}", 204),
        Case::delete("/inventory/{pm_property}/keyset/{key_set}", 404),
        Case::patch(
            "/inventory/{pm_property}/appraisal",
            json!([{"op": "replace", "path": "/RentProposedAmount", "value": 1650},
                {"op": "replace", "path": "/RentFrequency", "value": "Monthly"}]),
            204,
        ),
        Case::patch(
            "/inventory/{pm_property}/appraisal",
            json!([{"op": "replace", "path": "/RentFrequency", "value": "Hourly"}]),
            400,
        ),
        Case::patch(
            "/inventory/1/appraisal",
            json!([{"op": "replace", "path": "/RentProposedAmount", "value": 1650}]),
            404,
        ),
        Case::post(
            "/appraisals",
            json!({"propertyId": "{pm_property}", "appraiserIds": [NEGOTIATOR.to_string()],
                "startDate": "2026-12-21T10:00:00", "endDate": "2026-12-21T11:00:00",
                "type": "Rental"}),
            201,
        ),
        Case::post("/appraisals", json!({"notes": "no property"}), 400),
    ]
}

fn lists() -> Vec<Case> {
    vec![
        Case::get("/landlords", 200),
        Case::get(format!("/inventory/{FLAT}/landlords"), 200),
        Case::get("/inventory/not-a-number/landlords", 400),
        Case::get("/inventory/1/landlords", 404),
        Case::get("/management-events?status=Pending", 200),
        Case::get("/management-events?maxResults=0", 400),
        Case::post(
            "/management-events",
            json!({"eventType": "ElectricalSafetyCheck", "linkedType": "Property",
                "linkedId": FLAT, "negotiatorId": NEGOTIATOR, "dueDate": "2027-01-15T09:00:00Z",
                "notes": "Five-yearly EICR"}),
            201,
        )
        .save("event"),
        Case::post(
            "/management-events",
            json!({"eventType": "Fireworks", "linkedType": "Property", "linkedId": FLAT,
                "negotiatorId": NEGOTIATOR}),
            400,
        ),
        Case::get("/management-events/{event}", 200),
        Case::get("/management-events/not-a-number", 400),
        Case::get("/management-events/1", 404),
        Case::json_patch(
            "/management-events/{event}",
            json!([{"op": "replace", "path": "/status", "value": "Complete"}]),
            200,
        ),
        Case::json_patch(
            "/management-events/1",
            json!([{"op": "replace", "path": "/status", "value": "Complete"}]),
            400,
        ),
        Case::get(
            format!("/inventory/{FLAT}/management-events?upcoming=true"),
            200,
        ),
        Case::get("/inventory/1/management-events", 200),
        Case::get(
            format!("/inventory/{FLAT}/management-events?maxResults=0"),
            400,
        ),
        Case::get("/suppliers", 200),
        Case::get("/suppliers?maxResults=500", 400),
        Case::get(format!("/suppliers/{SUPPLIER}"), 200),
        Case::get("/suppliers/not-a-number", 400),
        Case::get("/suppliers/1", 404),
        Case::get(format!("/inventory/{FLAT}/suppliers"), 200),
        Case::get("/inventory/1/suppliers", 200),
        Case::get(format!("/inventory/{FLAT}/suppliers?maxResults=0"), 400),
    ]
}

fn tenancies() -> Vec<Case> {
    let flat = FLAT.to_string();
    vec![
        Case::get("/tenancies?include-tenants=true", 200),
        Case::get("/tenancies?max-results=0", 400),
        Case::post(
            "/inventory/{pm_property}/tenancies",
            json!({"applicantContactIds": [APPLICANT], "rentalAmount": 1650.0,
                "tenancyStartDate": "2027-01-01T00:00:00Z", "tenancyTermMonths": 12}),
            202,
        ),
        Case::post(
            "/inventory/{pm_property}/tenancies",
            json!({"applicantContactIds": [APPLICANT], "rentalAmount": 0.0}),
            400,
        ),
        Case::get("/inventory/{pm_property}/tenancies", 200),
        Case::get("/inventory/not-a-number/tenancies", 400),
        Case::get("/inventory/1/tenancies", 404),
        Case::get(format!("/tenancies/{TENANCY}"), 200),
        Case::get("/tenancies/not-a-number", 400),
        Case::get("/tenancies/1", 404),
        Case::json_patch(
            format!("/tenancies/{TENANCY}"),
            json!([{"op": "replace", "path": "/rent", "value": 1500.0}]),
            204,
        ),
        Case::json_patch(
            format!("/tenancies/{TENANCY}"),
            json!([{"op": "replace", "path": "/rent", "value": -1}]),
            400,
        ),
        Case::json_patch(
            "/tenancies/1",
            json!([{"op": "replace", "path": "/rent", "value": 1500.0}]),
            404,
        ),
        Case::get(format!("/tenancies/{TENANCY}/tenantIds"), 200),
        Case::get("/tenancies/not-a-number/tenantIds", 400),
        Case::get("/tenancies/1/tenantIds", 404),
        Case::get(format!("/guarantorIds?tenantId={TENANT}"), 200),
        Case::get("/guarantorIds", 400),
        Case::get(format!("/tenancies/{TENANCY}/meter-readings"), 200),
        Case::get("/tenancies/1/meter-readings", 200),
        Case::post(
            format!("/tenancies/{TENANCY}/meter-readings"),
            json!({"propertyId": flat, "utilityType": "Water", "inValue": 312}),
            201,
        ),
        Case::post(
            format!("/tenancies/{TENANCY}/meter-readings"),
            json!({"propertyId": flat, "utilityType": "Water", "inValue": 312}),
            409,
        ),
        Case::post(
            format!("/tenancies/{TENANCY}/meter-readings"),
            json!({"propertyId": "1", "utilityType": "Oil", "inValue": 10}),
            400,
        ),
        Case::json_patch(
            format!("/tenancies/{TENANCY}/meter-readings/Water"),
            json!([{"op": "replace", "path": "/outValue", "value": 398}]),
            204,
        ),
        Case::json_patch(
            format!("/tenancies/{TENANCY}/meter-readings/Steam"),
            json!([{"op": "replace", "path": "/outValue", "value": 398}]),
            400,
        ),
        Case::json_patch(
            "/tenancies/1/meter-readings/Water",
            json!([{"op": "replace", "path": "/outValue", "value": 398}]),
            404,
        ),
        Case::new(
            reqwest::Method::POST,
            format!("/tenancies/{TENANCY}/charges"),
            201,
        )
        .body(multipart(&[
            ("chargeType", "CheckInFee"),
            ("totalNet", "100.00"),
            ("totalVat", "20.00"),
            ("vatRateType", "Standard"),
            ("tenantId", &TENANT.to_string()),
            ("description", "Check-in and inventory"),
        ])),
        Case::new(
            reqwest::Method::POST,
            format!("/tenancies/{TENANCY}/charges"),
            400,
        )
        .body(multipart(&[("chargeType", "Fireworks")])),
        Case::new(reqwest::Method::POST, "/tenancies/1/charges", 404)
            .body(multipart(&[("chargeType", "CheckInFee")])),
        Case::new(
            reqwest::Method::POST,
            format!("/inventory/{FLAT}/charges"),
            201,
        )
        .body(Body::Multipart {
            fields: vec![
                ("chargeType", "GasSafetyCheck".into()),
                ("totalNet", "75.00".into()),
                ("totalVat", "15.00".into()),
                ("supplierId", SUPPLIER.to_string()),
                ("invoiceReference", "AGH-2291".into()),
            ],
            files: vec![(
                "invoiceDocument",
                "gas-safety-invoice.pdf",
                "application/pdf",
                b"%PDF-1.4 invoice".to_vec(),
            )],
        }),
        Case::new(
            reqwest::Method::POST,
            format!("/inventory/{FLAT}/charges"),
            400,
        )
        .body(multipart(&[("totalNet", "75.00")])),
        Case::new(reqwest::Method::POST, "/inventory/1/charges", 404)
            .body(multipart(&[("chargeType", "GasSafetyCheck")])),
        Case::get("/ReferenceChecks?MaxResults=5", 200),
        Case::get("/ReferenceChecks?MaxResults=0", 400),
        Case::patch(
            format!("/ReferenceChecks/{}", reference_check()),
            json!({"status": "Completed"}),
            202,
        ),
        Case::patch(
            format!("/ReferenceChecks/{}", reference_check()),
            json!({"status": "Lost"}),
            400,
        ),
        Case::patch(
            "/ReferenceChecks/00000000-0000-4000-8000-000000000000",
            json!({"status": "Completed"}),
            400,
        ),
    ]
}

fn work_orders() -> Vec<Case> {
    vec![
        Case::post(
            "/work-orders",
            json!({"propertyId": "{pm_property}", "priority": "High",
                "reportedDate": "2026-12-01T09:00:00Z", "summary": "Boiler losing pressure",
                "supplierContactId": SUPPLIER.to_string(),
                "reporterDetails": {"id": LANDLORD.to_string(), "type": "Landlord"}}),
            201,
        )
        .save("work_order"),
        Case::post(
            "/work-orders",
            json!({"propertyId": "1", "priority": "High",
                "reportedDate": "2026-12-01T09:00:00Z", "summary": "Nowhere"}),
            400,
        ),
        Case::get("/work-orders/{work_order}", 200),
        Case::get("/work-orders/1", 404),
        Case::json_patch(
            "/work-orders/{work_order}",
            json!([{"op": "replace", "path": "/status", "value": "InProgress"}]),
            204,
        ),
        Case::json_patch(
            "/work-orders/{work_order}",
            json!([{"op": "replace", "path": "/status", "value": "Teleported"}]),
            400,
        ),
        Case::json_patch(
            "/work-orders/1",
            json!([{"op": "replace", "path": "/status", "value": "InProgress"}]),
            404,
        ),
        Case::get("/inventory/{pm_property}/work-orders", 200),
        Case::get("/inventory/1/work-orders", 404),
    ]
}

/// This family's cases, in order.
pub fn cases() -> Vec<Case> {
    let mut cases = inventory();
    cases.extend(key_sets_and_appraisal());
    cases.extend(lists());
    cases.extend(tenancies());
    cases.extend(work_orders());
    cases
}
