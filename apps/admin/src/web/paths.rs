//! Links to agency pages, with the internal id percent-encoded as one path segment.

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `/admin/alto-agencies/{id}/edit`.
pub fn edit(id: &str) -> String {
    format!("/admin/alto-agencies/{}/edit", segment(id))
}

/// `/admin/alto-agencies/{id}/audit`.
pub fn audit(id: &str) -> String {
    format!("/admin/alto-agencies/{}/audit", segment(id))
}

/// `/admin/alto-agencies/{id}/alto-enabled`.
pub fn alto_enabled(id: &str) -> String {
    format!("/admin/alto-agencies/{}/alto-enabled", segment(id))
}

/// `/admin/alto-agencies/activations/{id}/link`.
pub fn link_activation(id: i64) -> String {
    format!("/admin/alto-agencies/activations/{id}/link")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_one_segment() {
        assert_eq!(edit("agency-0001"), "/admin/alto-agencies/agency-0001/edit");
        assert_eq!(audit("a/b c'"), "/admin/alto-agencies/a%2Fb%20c%27/audit");
    }
}
