//! What Alto Settings stores and shows: agencies, their Alto status, audit entries, users.

use std::fmt;
use std::str::FromStr;

/// Where an agency's Alto calls go (the facade's type). Not stored on its own: it follows
/// "Use Alto in production", so the two can never disagree.
pub use alto::Environment;

/// The read-only status shown for an agency (seed 001, "Admin system requirements").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AltoStatus {
    /// "Use Alto in production" is off.
    SandboxOnly,
    /// Production is on and an `AgencyRef` is stored.
    ProductionConnected,
    /// Production is on but no `AgencyRef` is stored: production calls would fail.
    MissingAgencyRef,
    /// The stored `AgencyRef` is not a valid one (not a GUID: stored before the rule, or
    /// written around the form); production calls fail until it is corrected. Shown whatever
    /// the environment, so it is fixed before production is turned on. Not a filter of its
    /// own: the list's filters go by environment and presence of an `AgencyRef`.
    InvalidAgencyRef,
}

impl AltoStatus {
    /// Every status, in the order the filter offers them.
    pub const ALL: [AltoStatus; 3] = [
        AltoStatus::SandboxOnly,
        AltoStatus::ProductionConnected,
        AltoStatus::MissingAgencyRef,
    ];

    /// The status rule: a stored ref that is not valid → invalid; otherwise production off →
    /// sandbox only; on with a ref → connected; on without → missing.
    pub fn of(use_production: bool, agency_ref: Option<&str>) -> Self {
        if agency_ref.is_some_and(|r| alto::AgencyRef::parse(r).is_err()) {
            return AltoStatus::InvalidAgencyRef;
        }
        match (use_production, agency_ref) {
            (false, _) => AltoStatus::SandboxOnly,
            (true, Some(_)) => AltoStatus::ProductionConnected,
            (true, None) => AltoStatus::MissingAgencyRef,
        }
    }

    /// The words staff see.
    pub fn label(self) -> &'static str {
        match self {
            AltoStatus::SandboxOnly => "Sandbox only",
            AltoStatus::ProductionConnected => "Production connected",
            AltoStatus::MissingAgencyRef => "Missing AgencyRef",
            AltoStatus::InvalidAgencyRef => "Invalid AgencyRef",
        }
    }

    /// The value used in the list's `status` query parameter.
    pub fn key(self) -> &'static str {
        match self {
            AltoStatus::SandboxOnly => "sandbox-only",
            AltoStatus::ProductionConnected => "production-connected",
            AltoStatus::MissingAgencyRef => "missing-agency-ref",
            AltoStatus::InvalidAgencyRef => "invalid-agency-ref",
        }
    }
}

impl fmt::Display for AltoStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for AltoStatus {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AltoStatus::ALL
            .into_iter()
            .find(|status| status.key() == s)
            .ok_or_else(|| UnknownValue(s.to_string()))
    }
}

/// A status or role name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownValue(pub String);

/// One agency's Alto settings as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// The application's own id for the agency.
    pub id: String,
    /// Name shown to staff.
    pub display_name: String,
    /// Whether the agency uses the Alto integration at all (only these are listed).
    pub alto_enabled: bool,
    /// "Use Alto in production for this agency".
    pub use_production: bool,
    /// The production `AgencyRef`, exactly as entered (trimmed); `None` when not set.
    pub alto_agency_ref: Option<String>,
    /// Further Alto identifiers (branch ids, ...) as a JSON object.
    pub alto_identifiers: serde_json::Value,
    /// Bumped on every change; an edit based on an older version is refused.
    pub version: i64,
    /// When the agency was created, unix milliseconds.
    pub created_at_ms: i64,
    /// When the agency last changed, unix milliseconds.
    pub updated_at_ms: i64,
    /// When Alto reported the integration deactivated (`Integration.Deactivated`), unix
    /// milliseconds; `None` while active. Cleared when an activation is linked again.
    pub alto_deactivated_at_ms: Option<i64>,
}

impl Agency {
    /// Production when "Use Alto in production" is on, sandbox otherwise.
    pub fn environment(&self) -> Environment {
        if self.use_production {
            Environment::Production
        } else {
            Environment::Sandbox
        }
    }

    /// The status shown in the list and on the edit page.
    pub fn status(&self) -> AltoStatus {
        AltoStatus::of(self.use_production, self.alto_agency_ref.as_deref())
    }

    /// Whether Alto reported the integration deactivated.
    pub fn is_deactivated(&self) -> bool {
        self.alto_deactivated_at_ms.is_some()
    }
}

/// An agency to insert (seed data, imports, tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgency {
    /// The application's own id.
    pub id: String,
    /// Name shown to staff.
    pub display_name: String,
    /// Whether the agency uses Alto.
    pub alto_enabled: bool,
    /// "Use Alto in production".
    pub use_production: bool,
    /// The `AgencyRef`, stored as given.
    pub alto_agency_ref: Option<String>,
}

impl NewAgency {
    /// An Alto-enabled sandbox agency with no `AgencyRef`.
    pub fn sandbox(id: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            display_name: display_name.into(),
            alto_enabled: true,
            use_production: false,
            alto_agency_ref: None,
        }
    }
}

/// One line of an agency's audit history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log (increasing).
    pub id: i64,
    /// The agency that changed.
    pub agency_id: String,
    /// Which setting changed (`alto_agency_ref`, `use_production`).
    pub field: String,
    /// Value before the change; `None` when unset.
    pub old_value: Option<String>,
    /// Value after the change; `None` when cleared.
    pub new_value: Option<String>,
    /// Username of the admin who saved it.
    pub changed_by: String,
    /// When, unix milliseconds.
    pub changed_at_ms: i64,
}

/// What a signed-in user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Role {
    /// May see and change Alto Settings.
    Admin,
    /// May sign in but not use the admin pages (every admin route answers 403).
    Viewer,
}

impl Role {
    /// Name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }
}

impl FromStr for Role {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "viewer" => Ok(Role::Viewer),
            other => Err(UnknownValue(other.to_string())),
        }
    }
}

/// A user who can sign in to the admin app (the password hash stays in the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Database id.
    pub id: i64,
    /// Login name, shown in the audit log.
    pub username: String,
    /// What the user may do.
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn status_rule() {
        assert_eq!(AltoStatus::of(false, None), AltoStatus::SandboxOnly);
        assert_eq!(AltoStatus::of(false, Some(GUID)), AltoStatus::SandboxOnly);
        assert_eq!(
            AltoStatus::of(true, Some(GUID)),
            AltoStatus::ProductionConnected
        );
        for stored_before_the_rule in ["AG-123", "X"] {
            for production in [true, false] {
                assert_eq!(
                    AltoStatus::of(production, Some(stored_before_the_rule)),
                    AltoStatus::InvalidAgencyRef
                );
            }
        }
        assert_eq!(AltoStatus::InvalidAgencyRef.label(), "Invalid AgencyRef");
        assert_eq!(AltoStatus::of(true, None), AltoStatus::MissingAgencyRef);
        assert_eq!(
            AltoStatus::ProductionConnected.label(),
            "Production connected"
        );
    }

    #[test]
    fn status_keys_round_trip() {
        for status in AltoStatus::ALL {
            assert_eq!(status.key().parse::<AltoStatus>(), Ok(status));
        }
        assert!("production".parse::<AltoStatus>().is_err());
    }
}
