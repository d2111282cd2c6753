//! The `AgencyRef` rule, shared with the facade: a GUID, accepted with surrounding whitespace,
//! braces and in any case, stored in its canonical lower-case form; anything else refused with
//! a message that says what an AgencyRef looks like. The admin form and the Alto client agree
//! because they use the same `alto::AgencyRef::parse`.

pub use alto::agency::{AgencyRef, InvalidAgencyRef};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_guid_is_stored_canonical() {
        assert_eq!(
            AgencyRef::parse("  {0F8FAD5B-D9CB-469F-A165-70867728950E} \n")
                .unwrap()
                .as_str(),
            "0f8fad5b-d9cb-469f-a165-70867728950e"
        );
    }

    #[test]
    fn anything_but_a_guid_is_refused_saying_what_an_agency_ref_looks_like() {
        assert_eq!(AgencyRef::parse(" \t "), Err(InvalidAgencyRef::Empty));
        for wrong in ["AG 123", "AG-123", "a'b", "é1", &"x".repeat(129)] {
            let error = AgencyRef::parse(wrong).unwrap_err();
            assert_eq!(error, InvalidAgencyRef::NotAGuid, "{wrong:?}");
            assert!(error.to_string().contains("a GUID such as"), "{error}");
        }
    }
}
