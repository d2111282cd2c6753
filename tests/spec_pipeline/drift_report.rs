//! The drift report of a synthetic Zoopla update (`tests/fixtures/spec-update.json`, made by
//! `scripts/make-drift-fixture` from the vendored spec, one edit per classification rule),
//! imported as `alto spec import` imports it, asserted line by line.

const UPDATE: &str = include_str!("../fixtures/spec-update.json");

/// The report, line by line. Each line's rule is named in the fixture script next to its edit.
const EXPECTED: &[&str] = &[
    "operations: 1 removed, 16 changed, 1 added (5 used by the facade); changes: 23 breaking, 22 compatible",
    "removed  GET /guarantorIds (get_guarantor_ids)  BREAKING  used by the facade: Tenancies::guarantors",
    "  BREAKING   api-removed  operation  #/paths/~1guarantorIds/get",
    "changed  DELETE /media-item/{mediaItemId} (delete_media_item)  BREAKING  used by the facade: Listings::delete_media_item",
    "  BREAKING   request-body-added  requestBody  #/paths/~1media-item~1{mediaItemId}/delete/requestBody",
    "changed  GET /ReferenceChecks (get_reference_checks)  BREAKING  used by the facade: ReferenceChecks::list",
    "  BREAKING   response-enum-value-added  responses/200  #/components/schemas/ReferenceCheckStatus  (+Cancelled)",
    "  compatible response-property-added  responses/200  #/components/schemas/ReferenceCheckDto/properties/reference  (reference)",
    "  BREAKING   response-property-removed  responses/200  #/components/schemas/ReferenceCheckDto/properties/tenantId  (tenantId)",
    "changed  GET /clients (list_clients)  BREAKING",
    "  compatible request-parameter-became-optional  parameters/header/AgencyRef  #/paths/~1clients/get/parameters/1  (AgencyRef)",
    "  BREAKING   request-type-changed  parameters/query/clientId  #/paths/~1clients/get/parameters/0/schema/items  (integer (int32) → string)",
    "  compatible response-media-type-added  responses/200  #/paths/~1clients/get/responses/200/content/application~1xml  (application/xml)",
    "  BREAKING   response-media-type-removed  responses/200  #/paths/~1clients/get/responses/200/content/text~1plain  (text/plain)",
    "changed  GET /contacts/{contactId}/bank-accounts (list_contact_bank_accounts)  BREAKING",
    "  compatible response-error-body-changed  responses/400  #/paths/~1contacts~1{contactId}~1bank-accounts/get/responses/400/content/application~1json  (application/json)",
    "  BREAKING   response-success-status-removed  responses/204  #/paths/~1contacts~1{contactId}~1bank-accounts/get/responses/204  (-204)",
    "changed  GET /landlords (list_landlords)  BREAKING",
    "  compatible request-constraint-loosened  parameters/query/max-results  #/paths/~1landlords/get/parameters/1/schema  (maximum 100 → 200)",
    "  BREAKING   request-parameter-became-required  parameters/query/created-from  #/paths/~1landlords/get/parameters/2  (created-from)",
    "  BREAKING   request-parameter-removed  parameters/query/active-status  #/paths/~1landlords/get/parameters/6  (active-status)",
    "changed  GET /offers/sales-offer/{offerId} (get_sales_offer)  BREAKING",
    "  compatible response-became-not-nullable  responses/200  #/components/schemas/Offer/properties/branchId  (nullable true → false)",
    "  compatible response-constraint-changed  responses/200  #/components/schemas/Offer/properties/currencyCode  (maxLength none → 3)",
    "  compatible response-error-body-changed  responses/404  #/components/schemas/Offer/properties/branchId  (nullable true → false)",
    "  compatible response-error-body-changed  responses/404  #/components/schemas/Offer/properties/currencyCode  (maxLength none → 3)",
    "  compatible response-error-body-changed  responses/404  #/components/schemas/Offer/properties/offerAmount  (number (double) → string)",
    "  BREAKING   response-type-changed  responses/200  #/components/schemas/Offer/properties/offerAmount  (number (double) → string)",
    "changed  GET /opt-out-status/{linkedType}/{linkedId} (get_opt_out_status)  compatible",
    "  compatible response-enum-value-removed  responses/200  #/components/schemas/EntityOptOutStatus  (-OptedOut)",
    "changed  GET /partners/integration (get_integration)  BREAKING",
    "  compatible response-error-status-changed  responses/404  #/paths/~1partners~1integration/get/responses/404  (-404)",
    "  compatible response-success-status-added  responses/202  #/paths/~1partners~1integration/get/responses/202  (+202)",
    "  BREAKING   schema-shape-changed  responses/200  #/components/schemas/IntegrationStateResponse/properties/agencyIntegrationData  (oneOf)",
    "changed  GET /referrals/{referralId} (get_referral)  BREAKING",
    "  BREAKING   response-became-nullable  responses/200  #/components/schemas/GetReferralResponse/properties/offerId  (nullable false → true)",
    "  compatible response-property-became-required  responses/200  #/components/schemas/GetReferralResponse/properties/propertyId  (propertyId)",
    "changed  GET /suppliers (list_suppliers)  BREAKING",
    "  compatible new-optional-request-parameter  parameters/query/modifiedFrom  #/paths/~1suppliers/get/parameters/4  (modifiedFrom)",
    "  BREAKING   new-required-request-parameter  parameters/query/branchId  #/paths/~1suppliers/get/parameters/3  (branchId)",
    "  BREAKING   request-constraint-tightened  parameters/query/maxResults  #/paths/~1suppliers/get/parameters/1/schema  (maximum 100 → 50)",
    "changed  GET /suppliers/{supplierId} (get_supplier)  BREAKING",
    "  BREAKING   required-scope-added  scopes  #/paths/~1suppliers~1{supplierId}/get/x-alto-scopes  (alto/route:get-suppliers-id)",
    "  compatible required-scope-removed  scopes  #/paths/~1suppliers~1{supplierId}/get/x-alto-scopes  (alto/route:get-suppliers-supplierid)",
    "changed  POST /contacts (create_contact)  BREAKING  used by the facade: Contacts::create, Contacts::create_or_existing",
    "  BREAKING   new-required-request-property  requestBody  #/components/schemas/Alto.Contacts.Api.Models.Requests.PostContactRequest/properties/source  (source)",
    "changed  POST /file-notes (create_file_note)  BREAKING  used by the facade: FileNotes::create",
    "  compatible new-optional-request-property  requestBody  #/components/schemas/CreateFileNoteRequest/properties/priority  (priority)",
    "  BREAKING   request-became-not-nullable  requestBody  #/components/schemas/CreateFileNoteRequest/properties/title  (nullable true → false)",
    "  compatible request-enum-value-added  requestBody  #/components/schemas/CreateFileNoteRequest/properties/fileNoteType  (+Letter)",
    "  BREAKING   request-enum-value-removed  requestBody  #/components/schemas/CreateFileNoteRequest/properties/fileNoteType  (-EMail)",
    "  compatible request-media-type-added  requestBody  #/paths/~1file-notes/post/requestBody/content/text~1json  (text/json)",
    "  BREAKING   request-property-became-required  requestBody  #/components/schemas/CreateFileNoteRequest/properties/notes  (notes)",
    "  BREAKING   request-property-removed  requestBody  #/components/schemas/CreateFileNoteRequest/properties/tenancyId  (tenancyId)",
    "changed  POST /leads (create_lead)  BREAKING",
    "  BREAKING   request-body-became-required  requestBody  #/paths/~1leads/post/requestBody",
    "  BREAKING   request-media-type-removed  requestBody  #/paths/~1leads/post/requestBody/content/application~1*+json  (application/*+json)",
    "changed  POST /partners/integration/status (update_integration_status)  BREAKING",
    "  BREAKING   request-body-removed  requestBody  #/paths/~1partners~1integration~1status/post/requestBody",
    "changed  POST /work-orders (create_work_order)  compatible",
    "  compatible request-became-nullable  requestBody  #/components/schemas/Alto.PropertyManagement.Api.Models.Requests.CreateWorkOrderRequest/properties/summary  (nullable false → true)",
    "  compatible request-property-became-optional  requestBody  #/components/schemas/Alto.PropertyManagement.Api.Models.Requests.CreateWorkOrderRequest/properties/priority  (priority)",
    "added    GET /ReferenceChecks/{referenceCheckId}  compatible",
    "  compatible api-added  operation  #/paths/~1ReferenceChecks~1{referenceCheckId}/get",
];

#[test]
fn the_synthetic_update_reports_every_rule_line_by_line() {
    let outcome = alto::spec::import_with_drift(UPDATE, Some(alto::spec::VENDORED_SPEC)).unwrap();
    let report = outcome.drift.to_string();
    let lines: Vec<&str> = report.lines().collect();
    for (i, (got, want)) in lines.iter().zip(EXPECTED).enumerate() {
        assert_eq!(got, want, "line {} of the report:\n{report}", i + 1);
    }
    assert_eq!(lines.len(), EXPECTED.len(), "the report:\n{report}");
}

#[test]
fn the_synthetic_update_exercises_every_rule_but_one() {
    let outcome = alto::spec::import_with_drift(UPDATE, Some(alto::spec::VENDORED_SPEC)).unwrap();
    let seen: std::collections::BTreeSet<&str> = outcome
        .drift
        .operations
        .iter()
        .flat_map(|o| o.changes.iter().map(|c| c.rule))
        .collect();
    let missing: Vec<&str> = alto::spec::drift::rules::RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !seen.contains(id))
        .collect();
    // No response schema of the vendored spec declares `required`, so none can lose it; the
    // rule's unit test covers it.
    assert_eq!(missing, ["response-property-became-optional"]);
}

#[test]
fn the_json_report_has_the_documented_shape() {
    let outcome = alto::spec::import_with_drift(UPDATE, Some(alto::spec::VENDORED_SPEC)).unwrap();
    let json = outcome.drift.to_json();
    assert_eq!(json["summary"]["removed"], 1);
    assert_eq!(json["summary"]["added"], 1);
    assert_eq!(json["summary"]["breakingForFacade"], 5);
    let checks = json["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["operation"] == "GET /ReferenceChecks")
        .unwrap();
    assert_eq!(checks["operationId"], "get_reference_checks");
    assert_eq!(checks["status"], "changed");
    assert_eq!(checks["class"], "breaking");
    assert_eq!(
        checks["usedByFacade"],
        serde_json::json!(["ReferenceChecks::list"])
    );
    assert_eq!(
        checks["changes"][2],
        serde_json::json!({ "rule": "response-property-removed", "class": "breaking",
            "via": "responses/200", "location": "#/components/schemas/ReferenceCheckDto/properties/tenantId",
            "detail": "tenantId" })
    );
}

#[test]
fn the_docs_state_the_rules_table_of_the_code() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/spec-drift.md"))
        .unwrap();
    let marker = docs.find("<!-- rules-table").unwrap();
    let start = marker + docs[marker..].find("-->\n").unwrap() + 4;
    let end = docs.find("<!-- /rules-table -->").unwrap();
    assert_eq!(
        &docs[start..end],
        alto::spec::drift::rules::markdown_table(),
        "docs/spec-drift.md's rules table differs from src/spec/drift/rules.rs"
    );
}
