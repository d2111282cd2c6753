//! Admin-only access: argon2 passwords, server-side sessions, CSRF tokens and the role check.

pub mod cookies;
pub mod guard;
pub mod password;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

pub use guard::{require_admin, require_session, AuthRejection, SignedIn};
pub use sessions::{LoginError, NewLogin};
pub use users::{create_user, UserError};
