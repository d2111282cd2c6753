//! The classification rules of the semantic diff, in one table: each change the diff finds is
//! one of these, and its class says what it does to a client of the API (the raw client
//! generated from the old document, and the facade on it). The classes follow oasdiff's
//! breaking-changes checks, read from the client's side: what the client sends must still be
//! accepted, what it receives must still decode.

/// What a change does to a client built from the old document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Calls that worked may fail, answers may no longer decode, or code calling the raw client
    /// stops compiling.
    Breaking,
    /// Calls and answers that worked still work.
    Compatible,
}

impl Class {
    /// `breaking` or `compatible`, as in the `--json` report.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Compatible => "compatible",
        }
    }
}

/// One classification rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, as printed in the report (`response-property-removed`).
    pub id: &'static str,
    /// Its class.
    pub class: Class,
    /// What the change is and why it has that class, in one line.
    pub why: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $class:ident, $why:literal;)+) => {
        $(
            #[doc = concat!("`", $id, "`: ", $why)]
            pub const $name: Rule = Rule { id: $id, class: Class::$class, why: $why };
        )+
        /// Every rule, in the order of the docs' table.
        pub const RULES: &[Rule] = &[$($name),+];
    };
}

rules! {
    API_REMOVED = "api-removed", Breaking,
        "an operation is gone: its raw method disappears and calls to it fail";
    API_ADDED = "api-added", Compatible,
        "a new operation: a new raw method, nothing existing changes";
    PARAMETER_REMOVED = "request-parameter-removed", Breaking,
        "a parameter is gone: its builder method disappears from the raw client";
    REQUIRED_PARAMETER_ADDED = "new-required-request-parameter", Breaking,
        "a new required parameter: calls without it are refused";
    OPTIONAL_PARAMETER_ADDED = "new-optional-request-parameter", Compatible,
        "a new optional parameter: calls without it still work";
    PARAMETER_BECAME_REQUIRED = "request-parameter-became-required", Breaking,
        "a parameter the client may omit must now be sent";
    PARAMETER_BECAME_OPTIONAL = "request-parameter-became-optional", Compatible,
        "a parameter may now be omitted";
    REQUEST_BODY_ADDED = "request-body-added", Breaking,
        "the operation now takes a body the client does not send";
    REQUEST_BODY_REMOVED = "request-body-removed", Breaking,
        "the body the client sends is no longer declared";
    REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required", Breaking,
        "a body the client may omit must now be sent";
    REQUEST_MEDIA_TYPE_REMOVED = "request-media-type-removed", Breaking,
        "a media type the client may send the body as is no longer accepted";
    REQUEST_MEDIA_TYPE_ADDED = "request-media-type-added", Compatible,
        "the body may also be sent as another media type";
    REQUEST_PROPERTY_REMOVED = "request-property-removed", Breaking,
        "a body property is gone: its field disappears from the generated request type";
    REQUEST_REQUIRED_PROPERTY_ADDED = "new-required-request-property", Breaking,
        "a new required body property: bodies without it are refused";
    REQUEST_OPTIONAL_PROPERTY_ADDED = "new-optional-request-property", Compatible,
        "a new optional body property";
    REQUEST_PROPERTY_BECAME_REQUIRED = "request-property-became-required", Breaking,
        "a body property the client may omit must now be sent";
    REQUEST_PROPERTY_BECAME_OPTIONAL = "request-property-became-optional", Compatible,
        "a body property may now be omitted";
    REQUEST_TYPE_CHANGED = "request-type-changed", Breaking,
        "a sent value's type or format changed: what the client sends no longer fits";
    REQUEST_ENUM_VALUE_REMOVED = "request-enum-value-removed", Breaking,
        "a value the client may send is no longer accepted";
    REQUEST_ENUM_VALUE_ADDED = "request-enum-value-added", Compatible,
        "a sent value may take a new value; the old ones still work";
    REQUEST_BECAME_NOT_NULLABLE = "request-became-not-nullable", Breaking,
        "a sent value may no longer be null";
    REQUEST_BECAME_NULLABLE = "request-became-nullable", Compatible,
        "a sent value may now be null";
    REQUEST_CONSTRAINT_TIGHTENED = "request-constraint-tightened", Breaking,
        "a limit on a sent value (length, range, pattern) is stricter: values that passed may be refused";
    REQUEST_CONSTRAINT_LOOSENED = "request-constraint-loosened", Compatible,
        "a limit on a sent value is looser or gone";
    SUCCESS_STATUS_REMOVED = "response-success-status-removed", Breaking,
        "a success status the client decodes is no longer answered";
    SUCCESS_STATUS_ADDED = "response-success-status-added", Compatible,
        "a new success status; the facade treats any 2xx as success";
    ERROR_STATUS_CHANGED = "response-error-status-changed", Compatible,
        "an error status added or removed: error bodies are kept as bytes and mapped to AltoError by status";
    ERROR_BODY_CHANGED = "response-error-body-changed", Compatible,
        "an error body's shape changed: the facade parses error bodies leniently";
    RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed", Breaking,
        "the media type the client decodes is no longer answered";
    RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added", Compatible,
        "the answer may also come as another media type";
    RESPONSE_PROPERTY_REMOVED = "response-property-removed", Breaking,
        "an answer property is gone: its field disappears from the generated type, code reading it stops compiling";
    RESPONSE_PROPERTY_ADDED = "response-property-added", Compatible,
        "a new answer property: the normalizer opens every object, so unknown fields are ignored";
    RESPONSE_PROPERTY_BECAME_OPTIONAL = "response-property-became-optional", Breaking,
        "an answer property may now be missing: a required field would fail to decode";
    RESPONSE_PROPERTY_BECAME_REQUIRED = "response-property-became-required", Compatible,
        "an answer property is now always present";
    RESPONSE_TYPE_CHANGED = "response-type-changed", Breaking,
        "a received value's type or format changed: the answer no longer decodes";
    RESPONSE_ENUM_VALUE_ADDED = "response-enum-value-added", Breaking,
        "a received value may take a new value: the generated closed enum fails to decode it";
    RESPONSE_ENUM_VALUE_REMOVED = "response-enum-value-removed", Compatible,
        "a received value no longer takes one value; the others still decode";
    RESPONSE_BECAME_NULLABLE = "response-became-nullable", Breaking,
        "a received value may now be null: a non-optional field would fail to decode";
    RESPONSE_BECAME_NOT_NULLABLE = "response-became-not-nullable", Compatible,
        "a received value is no longer null";
    RESPONSE_CONSTRAINT_CHANGED = "response-constraint-changed", Compatible,
        "a limit on a received value changed: the generated types do not check received limits";
    SHAPE_CHANGED = "schema-shape-changed", Breaking,
        "a schema's composition changed (anyOf/oneOf/allOf branches): review by hand";
    SCOPE_ADDED = "required-scope-added", Breaking,
        "the operation needs a scope the integration may not have been granted: calls get 403";
    SCOPE_REMOVED = "required-scope-removed", Compatible,
        "the operation needs one scope fewer";
}

/// Renders the rules as a Markdown table (the one in `docs/spec-drift.md`).
pub fn markdown_table() -> String {
    let mut out =
        String::from("| rule | class | what changed, and why it has that class |\n|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.id,
            r.class.as_str(),
            r.why
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }
}
