//! The `AgencyRef` rule, shared with the facade: trimmed, otherwise kept exactly as received, and
//! obviously wrong values refused. The admin form and the Alto client agree because they use the
//! same `alto::AgencyRef::parse`.

pub use alto::agency::{AgencyRef, InvalidAgencyRef};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_keeps_case_and_punctuation() {
        assert_eq!(
            AgencyRef::parse("  Ab-1_2.3:x \n").unwrap().as_str(),
            "Ab-1_2.3:x"
        );
    }

    #[test]
    fn rejects_obviously_wrong_values() {
        assert_eq!(AgencyRef::parse(" \t "), Err(InvalidAgencyRef::Empty));
        assert_eq!(
            AgencyRef::parse("AG 123"),
            Err(InvalidAgencyRef::BadCharacter(' '))
        );
        assert_eq!(
            AgencyRef::parse("a'b"),
            Err(InvalidAgencyRef::BadCharacter('\''))
        );
        assert_eq!(
            AgencyRef::parse("é1"),
            Err(InvalidAgencyRef::BadCharacter('é'))
        );
        assert_eq!(
            AgencyRef::parse(&"x".repeat(129)),
            Err(InvalidAgencyRef::TooLong(129))
        );
        assert!(AgencyRef::parse(&"x".repeat(128)).is_ok());
    }
}
