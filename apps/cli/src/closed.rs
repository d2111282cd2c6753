//! Closed sets of values on the command line, taken from the generated types' own schemas:
//! `--help`, shell completions and validation list exactly the values the spec declares.

use std::str::FromStr;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use schemars::JsonSchema;

/// The values of the spec's enumeration behind `T`, in the spec's order.
pub fn values_of<T: JsonSchema>() -> Vec<String> {
    schemars::schema_for!(T)
        .schema
        .enum_values
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect()
}

/// A parser that accepts exactly `T`'s values and yields `T`.
pub fn closed<T>() -> impl TypedValueParser<Value = T>
where
    T: JsonSchema + FromStr + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(values_of::<T>().into_iter().map(PossibleValue::new)).try_map(
        |value: String| {
            value
                .parse::<T>()
                .map_err(|_| format!("{value:?} is not a value Alto knows"))
        },
    )
}

#[cfg(test)]
mod tests {
    use alto::documents::MediaType;
    use alto::listings::ListingStatus;
    use serde_json::Value;

    use super::values_of;

    /// The values come from the vendored spec's enumeration, not from a list typed here.
    #[test]
    fn values_are_the_spec_enumeration() {
        let spec: Value = serde_json::from_str(alto::spec::VENDORED_SPEC).unwrap();
        let declared = |schema: &str| -> Vec<String> {
            spec["components"]["schemas"][schema]["enum"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(values_of::<ListingStatus>(), declared("InventoryStatus"));
        assert_eq!(values_of::<MediaType>(), declared("MediaType"));
        assert!(values_of::<ListingStatus>().contains(&"UnderOffer".to_string()));
    }
}
