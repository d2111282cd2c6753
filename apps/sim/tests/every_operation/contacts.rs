//! Cases for the contacts family.

use crate::case::Case;

/// This family's cases, in order.
pub fn cases() -> Vec<Case> {
    Vec::new()
}
