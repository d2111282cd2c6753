//! The agency group's client parameter lists: `GET /parameters/client-disposal-statuses`,
//! `/parameters/client-intentions`, `/parameters/client-positions`, `/parameters/lead-sources`,
//! `/parameters/property-types`. A contact's position, intention and disposal (set by
//! `PATCH /contacts/{contactId}`) must be one of these codes.

use alto::raw::types;
use axum::Json;

/// `(code, name)` of `GET /parameters/client-positions`.
pub(crate) const POSITIONS: &[(&str, &str)] = &[
    ("FTB", "First-time buyer"),
    ("NTS", "Nothing to sell"),
    ("STM", "Sold, subject to contract"),
    ("UOF", "Under offer"),
    ("ONM", "Property on the market"),
    ("NOM", "Property not yet on the market"),
];

/// `(code, name)` of `GET /parameters/client-intentions`.
pub(crate) const INTENTIONS: &[(&str, &str)] = &[
    ("BUY", "Buying"),
    ("RENT", "Renting"),
    ("SELL", "Selling"),
    ("LET", "Letting"),
    ("INV", "Investing"),
];

/// `(code, name)` of `GET /parameters/client-disposal-statuses`.
pub(crate) const DISPOSALS: &[(&str, &str)] = &[
    ("NTD", "Not disposing"),
    ("TS", "Thinking of selling"),
    ("TL", "Thinking of letting"),
    ("VAL", "Valuation booked"),
    ("INS", "Instructed"),
];

/// `(code, name)` of `GET /parameters/lead-sources`.
pub(crate) const LEAD_SOURCES: &[(&str, &str)] = &[
    ("ZOOPLA", "Zoopla"),
    ("RIGHTMOVE", "Rightmove"),
    ("ONTHEMARKET", "OnTheMarket"),
    ("WEBSITE", "Agency website"),
    ("BOARD", "For sale board"),
    ("WALKIN", "Walk-in"),
    ("REFERRAL", "Referral"),
];

/// `(code, name)` of `GET /parameters/property-types`.
pub(crate) const PROPERTY_TYPES: &[(&str, &str)] = &[
    ("DET", "Detached house"),
    ("SEMI", "Semi-detached house"),
    ("TER", "Terraced house"),
    ("END", "End of terrace house"),
    ("FLAT", "Flat"),
    ("MAIS", "Maisonette"),
    ("BUNG", "Bungalow"),
    ("COT", "Cottage"),
];

/// The named value of `code` in `list`, as Alto answers it.
pub(crate) fn value_of(list: &[(&str, &str)], code: &str) -> Option<types::ParameterValue> {
    list.iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        .map(|(c, n)| types::ParameterValue {
            code: Some((*c).to_string()),
            name: Some((*n).to_string()),
        })
}

fn answer(list: &[(&str, &str)]) -> Json<Vec<types::ParameterValue>> {
    Json(list.iter().filter_map(|(c, _)| value_of(list, c)).collect())
}

/// `GET /parameters/client-disposal-statuses`.
pub(crate) async fn disposal_statuses() -> Json<Vec<types::ParameterValue>> {
    answer(DISPOSALS)
}

/// `GET /parameters/client-intentions`.
pub(crate) async fn intentions() -> Json<Vec<types::ParameterValue>> {
    answer(INTENTIONS)
}

/// `GET /parameters/client-positions`.
pub(crate) async fn positions() -> Json<Vec<types::ParameterValue>> {
    answer(POSITIONS)
}

/// `GET /parameters/lead-sources`.
pub(crate) async fn lead_sources() -> Json<Vec<types::ParameterValue>> {
    answer(LEAD_SOURCES)
}

/// `GET /parameters/property-types`.
pub(crate) async fn property_types() -> Json<Vec<types::ParameterValue>> {
    answer(PROPERTY_TYPES)
}
