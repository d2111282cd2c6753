//! Listings: a property's marketing side — filter listings, read one or several, their images
//! (metadata and content), their media links (virtual tours, web links) and media items
//! (uploaded photos, floorplans, files), and edit their summary and rooms.
//!
//! `POST /inventory/{inventoryId}/media-link` and `POST /media-item` are `multipart/form-data`;
//! [`MediaLink`] and [`MediaItem`] are their typed forms (in `media_links` and `media_items`),
//! sent through [`AgencyClient::send_multipart`] like every multipart call. The listing's copy is
//! edited with typed JSON Patches (in `edits`): [`ListingSummaryPatch`] and [`ListingRoomsPatch`].
//!
//! ```no_run
//! # async fn example(agency: &alto::AgencyClient) -> Result<(), alto::AltoError> {
//! use alto::ids::PropertyId;
//! use alto::documents::Upload;
//! use alto::listings::{
//!     image_id, ImageSize, ListingFilter, ListingRoomsPatch, ListingStatus, ListingSummaryPatch,
//!     MediaItem, MediaLink, Room,
//! };
//! use futures::TryStreamExt;
//!
//! let available: Vec<_> = agency
//!     .listings()
//!     .filter(ListingFilter::default().status(ListingStatus::Available))
//!     .try_collect()
//!     .await?;
//! let property = PropertyId::from(available[0].property_id.unwrap_or_default());
//! let listing = agency.listings().get(property).await?;
//! let images = agency.listings().images(property).await?;
//! if let Some(first) = images.gallery_images.iter().flatten().find_map(image_id) {
//!     let thumbnail = agency.listings().image(property, first, Some(ImageSize::Thumbnail)).await?;
//!     thumbnail.save("thumbnail.jpg").await.expect("written");
//! }
//! agency
//!     .listings()
//!     .add_media_link_once(property, &MediaLink::virtual_tour("https://tours.example.co.uk/1"))
//!     .await?;
//! let photo = Upload::bytes("garden.jpg", std::fs::read("garden.jpg").expect("read"));
//! let media = agency.listings().add_media_item(property, MediaItem::photo(photo)).await?;
//! agency
//!     .listings()
//!     .update_summary(property, &ListingSummaryPatch::new().summary("Now with a new kitchen."))
//!     .await?;
//! agency
//!     .listings()
//!     .update_rooms(property, &ListingRoomsPatch::new().add_room(Room::new("Kitchen").size("4.2m x 3.1m")))
//!     .await?;
//! agency.listings().delete_media_item(media).await?;
//! # let _ = listing; Ok(()) }
//! ```

use std::num::NonZeroU32;

use futures::Stream;
use progenitor_client::ByteStream;

use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::ids::{BranchId, ImageId, NegotiatorId, PropertyId};
use crate::operations;
use crate::raw::types;
pub use crate::reference_checks::DateRange;

mod edits;
mod media_items;
mod media_links;
pub use edits::{ListingRoomsPatch, ListingSummaryPatch, Room, RoomRecordType};
pub use media_items::{MediaItem, MediaItemType};
pub use media_links::{MediaLink, MediaLinkAdded, MediaLinkType};

/// A listing as `GET /listing/filter` returns it (status, price, dates).
pub type ListingSummary = types::FilterListingResponse;
/// A listing in full (`GET /listing/property/{propertyId}`).
pub type Listing = types::ListingResponse;
/// The image metadata of a listing: gallery, floorplans, virtual tours, links, brochures.
pub type ListingImages = types::ListingImagesResponse;
/// One image of a listing, with the URLs of its sizes.
pub type ListingImage = types::ListingImageResponse;
/// A listing's status, as Alto names them (`Available`, `UnderOffer`, `Let`, …).
pub type ListingStatus = types::InventoryStatus;
/// What [`ListingFilter`] orders by (`Modified`, `Created`, `Id`).
pub type ListingSortBy = types::SortBy;
/// Ascending or descending (Alto's default is descending).
pub type SortOrder = types::SortOrder;

/// Largest page `GET /listing/filter` serves.
pub const MAX_LISTING_PAGE: u32 = 250;

/// Which listings [`Listings::filter`] returns. Every criterion is optional; the default is
/// every listing, most recently modified first (Alto's order).
///
/// ```
/// use alto::listings::{ListingFilter, ListingSortBy, ListingStatus, SortOrder};
/// use alto::ids::BranchId;
/// let filter = ListingFilter::default()
///     .status(ListingStatus::Available)
///     .branch(BranchId::new(12))
///     .sort(ListingSortBy::Created, SortOrder::Ascending);
/// assert_eq!(filter.branches, vec![BranchId::new(12)]);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListingFilter {
    /// Only listings in this status (`status`).
    pub status: Option<ListingStatus>,
    /// Only auction listings (`true`) or only others (`false`) (`auction`).
    pub auction: Option<bool>,
    /// Auction closing date (`auction-closing-date-from`, `auction-closing-date-to`).
    pub auction_closing: DateRange,
    /// The negotiator responsible for the property (`owner-id`, a user id in Alto).
    pub negotiator: Option<NegotiatorId>,
    /// Creation time (`created-from`, `created-to`).
    pub created: DateRange,
    /// Last modification time (`modified-from`, `modified-to`).
    pub modified: DateRange,
    /// Only these branches; empty means all (`branch-id`, repeated).
    pub branches: Vec<BranchId>,
    /// Order (`sort-by`); Alto's default is by modification time.
    pub sort_by: Option<ListingSortBy>,
    /// Direction (`sort-order`); Alto's default is descending.
    pub sort_order: Option<SortOrder>,
}

impl ListingFilter {
    /// Only listings in `status`.
    pub fn status(mut self, status: ListingStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds a branch to the branches searched.
    pub fn branch(mut self, branch: BranchId) -> Self {
        self.branches.push(branch);
        self
    }

    /// Only listings created within `range`.
    pub fn created(mut self, range: DateRange) -> Self {
        self.created = range;
        self
    }

    /// Only listings modified within `range`.
    pub fn modified(mut self, range: DateRange) -> Self {
        self.modified = range;
        self
    }

    /// Only listings of this negotiator.
    pub fn negotiator(mut self, negotiator: NegotiatorId) -> Self {
        self.negotiator = Some(negotiator);
        self
    }

    /// Only auction listings (`true`) or only the others (`false`), optionally closing within
    /// `closing`.
    pub fn auction(mut self, auction: bool, closing: DateRange) -> Self {
        self.auction = Some(auction);
        self.auction_closing = closing;
        self
    }

    /// Orders the results.
    pub fn sort(mut self, by: ListingSortBy, order: SortOrder) -> Self {
        self.sort_by = Some(by);
        self.sort_order = Some(order);
        self
    }

    /// Refuses what Alto would refuse, before anything is sent.
    fn check(&self, operation: &str) -> Result<Option<i32>, AltoError> {
        for (name, range) in [
            ("created", self.created),
            ("modified", self.modified),
            ("auction closing", self.auction_closing),
        ] {
            if let (Some(from), Some(to)) = (range.from, range.to) {
                if from > to {
                    return Err(AltoError::InvalidRequest {
                        operation: operation.into(),
                        detail: format!("the {name} range ends ({to}) before it starts ({from})"),
                    });
                }
            }
        }
        self.negotiator.map(|n| n.as_i32(operation)).transpose()
    }
}

/// Sizes of a listing image, as the image metadata names them (`sizes.screen`, `.thumbnail`,
/// `.tile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageSize {
    /// Full-screen size.
    Screen,
    /// Thumbnail.
    Thumbnail,
    /// Tile (search results).
    Tile,
}

impl ImageSize {
    /// The value sent as `image-size`.
    pub fn as_str(self) -> &'static str {
        match self {
            ImageSize::Screen => "screen",
            ImageSize::Thumbnail => "thumbnail",
            ImageSize::Tile => "tile",
        }
    }
}

/// The id of a listing image, read from the URL of one of its sizes (`…/images/{imageId}…`);
/// Alto's image metadata carries no separate id. `None` when no size URL names one.
///
/// ```
/// use alto::listings::{image_id, ListingImage};
/// use alto::raw::types::{ListingImageDetailResponse, ListingSizesResponse};
/// let image = ListingImage {
///     sizes: Some(ListingSizesResponse {
///         thumbnail: Some(ListingImageDetailResponse { src: Some("/listing/property/7/images/42?image-size=thumbnail".into()) }),
///         ..Default::default()
///     }),
///     ..Default::default()
/// };
/// assert_eq!(image_id(&image), Some(alto::ids::ImageId::new(42)));
/// ```
pub fn image_id(image: &ListingImage) -> Option<ImageId> {
    let sizes = image.sizes.as_ref()?;
    [&sizes.screen, &sizes.thumbnail, &sizes.tile]
        .into_iter()
        .flatten()
        .filter_map(|detail| detail.src.as_deref())
        .find_map(|src| {
            let path = src.split(['?', '#']).next()?;
            let mut segments = path.rsplit('/');
            let id = segments.next()?;
            (segments.next()? == "images")
                .then(|| id.parse().ok().map(ImageId::new))
                .flatten()
        })
}

/// Listing operations for one agency. Get it with [`AgencyClient::listings`].
#[derive(Debug, Clone, Copy)]
pub struct Listings<'a> {
    client: &'a AgencyClient,
}

impl AgencyClient {
    /// Listing operations.
    pub fn listings(&self) -> Listings<'_> {
        Listings { client: self }
    }
}

fn property_i32(operation: &str, property: PropertyId) -> Result<i32, AltoError> {
    property.as_i32(operation)
}

impl<'a> Listings<'a> {
    /// Listings matching `filter`, page by page (`GET /listing/filter`, `next-token` paging, 250
    /// per page). A range that ends before it starts is refused before sending.
    pub fn filter(
        &self,
        filter: ListingFilter,
    ) -> impl Stream<Item = Result<ListingSummary, AltoError>> + 'a {
        const OP: &str = operations::FILTER_LISTINGS;
        let client = self.client;
        crate::paging::paginate(move |cursor: Option<String>| {
            let filter = filter.clone();
            async move {
                // Checked on the first page, before anything is sent.
                let owner = filter.check(OP)?;
                let mut call = client
                    .raw()
                    .filter_listings()
                    .max_results(NonZeroU32::new(MAX_LISTING_PAGE).expect("non-zero"));
                if let Some(status) = filter.status {
                    call = call.status(status);
                }
                if let Some(auction) = filter.auction {
                    call = call.auction(auction);
                }
                if let Some(from) = filter.auction_closing.from {
                    call = call.auction_closing_date_from(from);
                }
                if let Some(to) = filter.auction_closing.to {
                    call = call.auction_closing_date_to(to);
                }
                if let Some(owner) = owner {
                    call = call.owner_id(owner);
                }
                if let Some(from) = filter.created.from {
                    call = call.created_from(from);
                }
                if let Some(to) = filter.created.to {
                    call = call.created_to(to);
                }
                if let Some(from) = filter.modified.from {
                    call = call.modified_from(from);
                }
                if let Some(to) = filter.modified.to {
                    call = call.modified_to(to);
                }
                if !filter.branches.is_empty() {
                    let branches: Vec<String> =
                        filter.branches.iter().map(ToString::to_string).collect();
                    call = call.branch_id(branches);
                }
                if let Some(by) = filter.sort_by {
                    call = call.sort_by(by);
                }
                if let Some(order) = filter.sort_order {
                    call = call.sort_order(order);
                }
                if let Some(cursor) = cursor {
                    call = call.next_token(cursor);
                }
                Ok(client.send(OP, call.send()).await?.into_inner())
            }
        })
    }

    /// One listing in full (`GET /listing/property/{propertyId}`).
    pub async fn get(&self, property: PropertyId) -> Result<Listing, AltoError> {
        const OP: &str = operations::GET_LISTING;
        let id = property_i32(OP, property)?;
        let call = self.client.raw().get_listing().property_id(id).send();
        Ok(self.client.send(OP, call).await?.into_inner())
    }

    /// Several listings in one call (`GET /listing/property/items?property-id=…`), in Alto's
    /// order. At least one id is required (checked before sending).
    pub async fn get_many(&self, properties: &[PropertyId]) -> Result<Vec<Listing>, AltoError> {
        const OP: &str = operations::GET_LISTINGS;
        if properties.is_empty() {
            return Err(AltoError::InvalidRequest {
                operation: OP.into(),
                detail: "name at least one property".into(),
            });
        }
        let ids: Vec<String> = properties.iter().map(ToString::to_string).collect();
        let call = self.client.raw().get_listings().property_id(ids).send();
        Ok(self
            .client
            .send(OP, call)
            .await?
            .into_inner()
            .items
            .unwrap_or_default())
    }

    /// The image metadata of a listing (`GET /listing/property/{propertyId}/images`).
    pub async fn images(&self, property: PropertyId) -> Result<ListingImages, AltoError> {
        const OP: &str = operations::LIST_LISTING_IMAGES;
        let id = property_i32(OP, property)?;
        let call = self
            .client
            .raw()
            .list_listing_images()
            .property_id(id)
            .send();
        Ok(self.client.send(OP, call).await?.into_inner())
    }

    /// The content of one image, streamed (`GET /listing/property/{propertyId}/images/{imageId}`),
    /// in `size` or Alto's default size. Get the id with [`image_id`].
    pub async fn image(
        &self,
        property: PropertyId,
        image: ImageId,
        size: Option<ImageSize>,
    ) -> Result<crate::documents::Download, AltoError> {
        const OP: &str = operations::GET_LISTING_IMAGE;
        let property = property_i32(OP, property)?;
        let image = image.as_i32(OP)?;
        let mut call = self
            .client
            .raw()
            .get_listing_image()
            .property_id(property)
            .image_id(image);
        if let Some(size) = size {
            call = call.image_size(size.as_str());
        }
        let answer: progenitor_client::ResponseValue<ByteStream> =
            self.client.send(OP, call.send()).await?;
        Ok(crate::documents::Download::from_answer(OP, answer))
    }
}
