use serde_json::json;

use super::*;

fn doc(paths: Value, schemas: Value) -> Value {
    json!({ "paths": paths, "components": { "schemas": schemas } })
}

fn get_returning(schema: &str) -> Value {
    json!({ "/checks": { "get": { "responses": { "200": { "content": {
        "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } } } } } })
}

fn context() -> Context {
    Context {
        facade: [("GET /checks".to_string(), vec!["Checks::list".to_string()])].into(),
        names: [("GET /checks".to_string(), "list_checks".to_string())].into(),
    }
}

#[test]
fn a_schema_change_is_traced_through_refs_to_the_operation_and_classified() {
    let old = doc(
        get_returning("Page"),
        json!({ "Page": { "properties": { "items": { "type": "array", "items": { "$ref": "#/components/schemas/Check" } } } },
                "Check": { "properties": { "gone": { "type": "string" }, "status": { "$ref": "#/components/schemas/Status" } } },
                "Status": { "type": "string", "enum": ["Pending"] } }),
    );
    let new = doc(
        get_returning("Page"),
        json!({ "Page": { "properties": { "items": { "type": "array", "items": { "$ref": "#/components/schemas/Check" } } } },
                "Check": { "properties": { "added": { "type": "string" }, "status": { "$ref": "#/components/schemas/Status" } } },
                "Status": { "type": "string", "enum": ["Pending", "Cancelled"] } }),
    );
    let report = drift(&old, &new, &context());
    assert_eq!(report.operations.len(), 1);
    let op = &report.operations[0];
    assert_eq!(op.status, Status::Changed);
    assert_eq!(op.used_by, ["Checks::list"]);
    assert_eq!(op.class(), Class::Breaking);
    let got: Vec<(&str, &str, &str)> = op
        .changes
        .iter()
        .map(|c| (c.rule, c.location.as_str(), c.detail.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "response-enum-value-added",
                "#/components/schemas/Status",
                "+Cancelled"
            ),
            (
                "response-property-added",
                "#/components/schemas/Check/properties/added",
                "added"
            ),
            (
                "response-property-removed",
                "#/components/schemas/Check/properties/gone",
                "gone"
            ),
        ]
    );
    assert!(report.schemas.is_empty(), "{:?}", report.schemas);
}

#[test]
fn the_same_change_is_compatible_or_breaking_by_direction() {
    let body = |required: Value| {
        json!({ "/checks": { "post": { "requestBody": { "content": { "application/json": {
            "schema": { "type": "object", "required": required, "properties": { "a": { "type": "string" } } } } } } } } })
    };
    let old = doc(body(json!([])), json!({}));
    let new = doc(body(json!(["a"])), json!({}));
    let report = drift(&old, &new, &Context::default());
    assert_eq!(
        report.operations[0].changes[0].rule,
        "request-property-became-required"
    );
    assert_eq!(report.operations[0].class(), Class::Breaking);
    let report = drift(&new, &old, &Context::default());
    assert_eq!(
        report.operations[0].changes[0].rule,
        "request-property-became-optional"
    );
    assert_eq!(report.operations[0].class(), Class::Compatible);
}

#[test]
fn removed_and_added_operations_and_lone_schemas_are_reported() {
    let old = doc(
        get_returning("A"),
        json!({ "A": {}, "Lone": { "type": "string" } }),
    );
    let new = doc(
        json!({ "/new": { "get": {} } }),
        json!({ "A": {}, "Lone": { "type": "integer" } }),
    );
    let report = drift(&old, &new, &context());
    let text = report.to_string();
    assert!(
        text.contains(
            "removed  GET /checks (list_checks)  BREAKING  used by the facade: Checks::list"
        ),
        "{text}"
    );
    assert!(text.contains("added    GET /new  compatible"), "{text}");
    assert_eq!(
        report.schemas,
        [SchemaDiff {
            schema: "Lone".into(),
            status: Status::Changed
        }]
    );
    assert_eq!(report.to_json()["summary"]["breakingForFacade"], 1);
    assert!(drift(&new, &new, &context()).is_empty());
}

#[test]
fn cyclic_schemas_end() {
    let tree = |t: &str| json!({ "Node": { "properties": { "kids": { "type": "array", "items": { "$ref": "#/components/schemas/Node" } }, "v": { "type": t } } } });
    let report = drift(
        &doc(get_returning("Node"), tree("string")),
        &doc(get_returning("Node"), tree("integer")),
        &Context::default(),
    );
    assert_eq!(report.operations[0].changes.len(), 1);
    assert_eq!(
        report.operations[0].changes[0].rule,
        "response-type-changed"
    );
}

#[test]
fn a_response_property_losing_required_is_breaking() {
    let answer = |required: Value| {
        doc(
            get_returning("Check"),
            json!({ "Check": { "required": required, "properties": { "id": { "type": "string" } } } }),
        )
    };
    let report = drift(&answer(json!(["id"])), &answer(json!([])), &context());
    let change = &report.operations[0].changes[0];
    assert_eq!(change.rule, "response-property-became-optional");
    assert_eq!(change.location, "#/components/schemas/Check/properties/id");
    assert_eq!(report.operations[0].class(), Class::Breaking);
}
