//! Cursor paging: one `Stream` of items for every paged Alto operation.
//!
//! Alto pages with a cursor in three casings (`next-token`/`max-results`, `nextToken`/`maxResults`,
//! `NextToken`/`MaxResults`); the generated builders name them all `next_token`/`max_results` and
//! put the right casing on the wire, and every paged answer carries `items` and `meta.nextToken`.
//! So one adapter serves them all. Only one page is held at a time.

use std::future::Future;

use futures::stream::{self, Stream};

use crate::error::AltoError;
use crate::raw::types;

/// Page size the facade asks for when the caller does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// A paged answer: its items and the cursor of the next page.
pub trait Paged {
    /// One item of the page.
    type Item;
    /// Splits the page into its items and the next cursor (`None` on the last page).
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
}

macro_rules! paged {
    ($($page:ident => $item:ident),+ $(,)?) => {$(
        impl Paged for types::$page {
            type Item = types::$item;
            fn into_parts(self) -> (Vec<Self::Item>, Option<String>) {
                let next = self.meta.and_then(|m| m.next_token).filter(|t| !t.is_empty());
                (self.items.unwrap_or_default(), next)
            }
        }
    )+};
}

paged! {
    AgreedOfferPagedResults => AgreedOffer,
    InventoryPagedResults => InventoryItem,
    InventorySearchResults => InventorySearchItem,
    LandlordListItemPagedResults => LandlordListItem,
    ManagementEventPagedResults => ManagementEvent,
    SupplierPagedResults => Supplier,
    TenancyPagedResults => Tenancy,
    TenancyListItemPagedResults => TenancyListItem,
    ContactListItemPagedResponse => ContactListItem,
    ContactSearchItemResponsePagedResponse => ContactSearchItemResponse,
    OwnerPagedResponse => ContactOwner,
    BranchPagedResponse => Branch,
    DocumentPagedResults => Document,
    ExternalPartnerAppointmentPagedResponse => ExternalPartnerAppointment,
    ExternalPartnerUserAppointmentsPagedResponse => ExternalPartnerUserAppointments,
    FilterListingResponsePagedResponse => FilterListingResponse,
    LeadPagedResponse => Lead,
    NegotiatorPagedResponse => Negotiator,
    ReferenceCheckPagedResultsDto => ReferenceCheckDto,
}

/// A stream of the items of a raw-client listing, through the facade's error mapping.
///
/// `raw_pages!(agency_client, "operation_id", |raw| raw.list_x().max_results(100))` builds the
/// first-page request with `$make`; later pages add the cursor with `next_token` (the generated
/// builders name every casing that way and send the right one on the wire).
macro_rules! raw_pages {
    ($client:expr, $op:expr, |$raw:ident| $make:expr) => {{
        let client: &$crate::AgencyClient = $client;
        $crate::paging::paginate(move |cursor: Option<String>| async move {
            let $raw = client.raw();
            let mut call = $make;
            if let Some(cursor) = cursor {
                call = call.next_token(cursor);
            }
            Ok(client.send($op, call.send()).await?.into_inner())
        })
    }};
}
pub(crate) use raw_pages;

/// Turns a page fetcher into a stream of items.
///
/// `fetch(cursor)` gets one page (`None` = the first). The stream ends after the page without a
/// cursor; a cursor that repeats the previous one ends it with an error instead of looping.
///
/// ```
/// # use alto::paging::{paginate, Paged};
/// # use futures::TryStreamExt;
/// struct Page(Vec<u32>, Option<String>);
/// impl Paged for Page {
///     type Item = u32;
///     fn into_parts(self) -> (Vec<u32>, Option<String>) { (self.0, self.1) }
/// }
/// # tokio_test_block(async {
/// let items: Vec<u32> = paginate(|cursor: Option<String>| async move {
///     Ok(match cursor.as_deref() {
///         None => Page(vec![1, 2], Some("p2".into())),
///         _ => Page(vec![3], None),
///     })
/// })
/// .try_collect()
/// .await
/// .unwrap();
/// assert_eq!(items, vec![1, 2, 3]);
/// # });
/// # fn tokio_test_block(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
pub fn paginate<P, F, Fut>(fetch: F) -> impl Stream<Item = Result<P::Item, AltoError>>
where
    P: Paged,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<P, AltoError>>,
{
    struct State<F, I> {
        fetch: F,
        cursor: Option<String>,
        started: bool,
        buffer: std::vec::IntoIter<I>,
    }
    let state = State {
        fetch,
        cursor: None,
        started: false,
        buffer: Vec::new().into_iter(),
    };
    // Boxed once per listing so the stream is `Unpin`: callers can `.try_next().await` on it.
    Box::pin(stream::try_unfold(state, |mut s| async move {
        loop {
            if let Some(item) = s.buffer.next() {
                return Ok(Some((item, s)));
            }
            if s.started && s.cursor.is_none() {
                return Ok(None);
            }
            let asked = s.cursor.take();
            let (items, next) = (s.fetch)(asked.clone()).await?.into_parts();
            if next.is_some() && next == asked {
                return Err(AltoError::Decode {
                    operation: "paging".into(),
                    detail: format!(
                        "the next-page cursor {:?} repeats the previous one",
                        next.unwrap_or_default()
                    ),
                });
            }
            s.started = true;
            s.cursor = next;
            s.buffer = items.into_iter();
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::TryStreamExt;

    struct Page(Vec<u32>, Option<String>);
    impl Paged for Page {
        type Item = u32;
        fn into_parts(self) -> (Vec<u32>, Option<String>) {
            (self.0, self.1)
        }
    }

    #[tokio::test]
    async fn follows_cursors_and_skips_empty_pages() {
        let seen = std::sync::Mutex::new(Vec::new());
        let items: Vec<u32> = paginate(|c: Option<String>| {
            seen.lock().unwrap().push(c.clone());
            async move {
                Ok(match c.as_deref() {
                    None => Page(vec![1], Some("a".into())),
                    Some("a") => Page(vec![], Some("b".into())),
                    _ => Page(vec![2, 3], None),
                })
            }
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, vec![1, 2, 3]);
        assert_eq!(
            *seen.lock().unwrap(),
            vec![None, Some("a".into()), Some("b".into())]
        );
    }

    #[tokio::test]
    async fn a_repeating_cursor_is_an_error_not_a_loop() {
        let result: Result<Vec<u32>, _> =
            paginate(|_c: Option<String>| async { Ok(Page(vec![1], Some("same".into()))) })
                .try_collect()
                .await;
        assert!(matches!(result, Err(AltoError::Decode { .. })));
    }
}
