//! Authentication: OAuth2 client-credentials tokens for the integration (supplier), not a user.

mod credentials;
mod token;

pub use credentials::Credentials;
pub use token::{AccessToken, TokenError, TokenSource};
