//! The Alto webhook receiver mounted into `alto admin serve`, configured from the environment:
//! `ALTO_WEBHOOK_SECRET` (the `x-signature` shared secret) or `ALTO_WEBHOOK_USER` +
//! `ALTO_WEBHOOK_PASSWORD` (HTTP Basic), and optionally `ALTO_WEBHOOK_PATH`.

use alto_admin::store::Store;
use alto_webhooks::receiver::{ReceiverConfig, WebhookAuth};
use alto_webhooks::Handlers;

/// The receiver's routes, or `None` (with a notice) when no authentication is configured —
/// an unauthenticated receiver is never mounted.
pub fn routes(store: &Store) -> Option<axum::Router> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let auth = match (
        var("ALTO_WEBHOOK_SECRET"),
        var("ALTO_WEBHOOK_USER"),
        var("ALTO_WEBHOOK_PASSWORD"),
    ) {
        (Some(secret), _, _) => WebhookAuth::shared_secret(secret),
        (None, Some(username), Some(password)) => WebhookAuth::basic(username, password),
        _ => {
            eprintln!("webhook receiver off: set ALTO_WEBHOOK_SECRET (x-signature) or ALTO_WEBHOOK_USER and ALTO_WEBHOOK_PASSWORD (Basic)");
            return None;
        }
    };
    let auth = match auth {
        Ok(auth) => auth,
        Err(weak) => {
            eprintln!("webhook receiver off: {weak}");
            return None;
        }
    };
    let mut config = ReceiverConfig::new(auth);
    if let Some(path) = var("ALTO_WEBHOOK_PATH") {
        config = config.path(path);
    }
    eprintln!("webhook receiver on: POST {}", config.path);
    Some(alto_webhooks::receiver::routes(
        config,
        store.clone(),
        Handlers::new(),
    ))
}
