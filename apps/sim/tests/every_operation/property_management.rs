//! Cases for the property management family.

use crate::case::Case;

/// This family's cases, in order.
pub fn cases() -> Vec<Case> {
    Vec::new()
}
