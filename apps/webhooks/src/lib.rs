//! Updates from Alto: the CloudEvents webhook receiver, asynchronous processing with
//! de-duplication, `AgencyRef` capture from `Integration.Activated`, and the polling fallback.
//!
//! Where things are:
//! - [`events`]: [`EventKind`] (Alto's 26 event types, unknown ones kept) and [`AltoEvent`].
//! - [`receiver`]: the axum route Alto POSTs to (`x-signature`, Basic or OAuth2 bearer; body
//!   limit; Alto's envelope; routing by `data.integrationId`; 202) and the OAuth2 token endpoint.
//! - [`store`]: the `alto_webhook_events` table (unique event id, claims, processed marks).
//! - [`processing`]: the app's [`Handlers`] and the [`Worker`] that runs them once per event,
//!   after the built-in handling of the four `Integration.*` events, applied in event-time order.
//! - [`refetch`](mod@refetch): re-reads the resource an event names (facade or raw client),
//!   with the linked agency's `AgencyRef` only.
//! - [`poller`]: the multi-agency reference-check poller with leases and high-water marks.
//! - [`telemetry`]: the metrics the receiver, the worker and the poller record.
//! - [`ops`]: `/healthz`, `/readyz` and `/metrics` of `alto poll --health-addr`.
//! - [`cli`]: `alto poll`.
//!
//! The tables come from the store's migrations (`alto-store`), so a `Store::connect` sets
//! everything up.
//!
//! ```no_run
//! # async fn demo(store: alto_store::Store, admin: alto_admin::AdminState) {
//! use alto_webhooks::receiver::{self, ReceiverConfig, WebhookAuth};
//! use alto_webhooks::{EventKind, Handlers};
//! let handlers = Handlers::new().on(EventKind::TenancyModified, |event| async move {
//!     println!("tenancy {:?} changed", event.subject_id());
//!     Ok(())
//! });
//! let auth = WebhookAuth::shared_secret("a-long-random-value-from-alto").expect("strong enough");
//! let config = ReceiverConfig::new(auth);
//! let app = alto_admin::router(admin).merge(receiver::routes(config, store, handlers));
//! # let _ = app;
//! # }
//! ```

#![warn(missing_docs)]

pub mod cli;
pub mod events;
pub mod ops;
pub mod poller;
pub mod processing;
pub mod receiver;
pub mod refetch;
pub mod store;
pub mod telemetry;

pub use events::{AltoEvent, EventKind, RefetchTarget, RelatedSubject};
pub use processing::{HandlerError, Handlers, Worker, WorkerConfig};
pub use refetch::{refetch, RefetchError, Refetched};
