//! Listings: `GET /listing/filter` (paged with `next-token`/`max-results`, sorted by
//! `sort-by`/`sort-order`), `GET /listing/property/items`, `GET /listing/property/{propertyId}`,
//! `GET /listing/property/{propertyId}/images` and `…/images/{imageId}` (the image bytes), and
//! `POST /inventory/{inventoryId}/media-link` (multipart).
//!
//! Every property is listed; its [`ListingRec`], when it has one, holds the marketing details.

use alto::raw::types;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};

use crate::paging::PageRequest;
use crate::params::Params;
use crate::problem::{ApiError, Validation};
use crate::simulator::RunningSimulator;
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, ImageKind, ListingImageRec, ListingRec, MediaLinkRec, PropertyRec};

/// The sizes an image is served in (`image-size`), as the image metadata names them.
const IMAGE_SIZES: [&str; 3] = ["screen", "thumbnail", "tile"];

/// A property's listing details, or the defaults of a property never marketed.
pub(crate) fn details(data: &AgencyData, p: &PropertyRec) -> ListingRec {
    data.listings.get(&p.id).cloned().unwrap_or(ListingRec {
        status: types::InventoryStatus::Appraisal,
        price: None,
        price_qualifier: None,
        bedrooms: None,
        bathrooms: None,
        receptions: None,
        property_type: None,
        summary: None,
        auction_closing: None,
        modified: p.created,
    })
}

fn market(p: &PropertyRec) -> String {
    p.market.to_string()
}

fn display_address(p: &PropertyRec) -> String {
    let a = &p.address;
    [
        &a.sub_dwelling,
        &a.name_number,
        &a.street,
        &a.town,
        &a.postcode,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

fn to_summary(data: &AgencyData, p: &PropertyRec) -> types::FilterListingResponse {
    let d = details(data, p);
    types::FilterListingResponse {
        property_id: i32::try_from(p.id).ok(),
        branch_id: p.branch_id.map(|b| b.to_string()),
        status: Some(d.status),
        bedrooms: d.bedrooms,
        price_qualifier: d.price_qualifier,
        currency: d.price.map(|_| "GBP".into()),
        price: d.price,
        auction: Some(d.auction_closing.is_some()),
        auction_closing_date: d.auction_closing,
        created_date: Some(p.created),
        modified_date: Some(d.modified),
    }
}

/// A property's listing as `GET /listing/property/{propertyId}` answers it.
pub(crate) fn to_listing(data: &AgencyData, p: &PropertyRec) -> types::ListingResponse {
    let d = details(data, p);
    let copy = data
        .sales
        .listing_copy
        .get(&p.id)
        .cloned()
        .unwrap_or_default();
    types::ListingResponse {
        property_id: i32::try_from(p.id).ok(),
        market: Some(market(p)),
        lead_in_text: copy.lead_in,
        lead_out_text: copy.lead_out,
        rooms: (!copy.rooms.is_empty()).then_some(copy.rooms),
        display_address: Some(display_address(p)),
        price_qualifier: d.price_qualifier,
        currency: d.price.map(|_| "GBP".into()),
        price: d.price,
        bedrooms: d.bedrooms,
        bathrooms: d.bathrooms,
        receptions: d.receptions,
        property_type: d.property_type,
        summary: d.summary,
        include_lead_in_out_text: Some(copy.include_lead_in_out),
        is_leasehold: Some(false),
        created_date: Some(p.created),
        modified_date: Some(d.modified),
        ..Default::default()
    }
}

fn property<'a>(data: &'a AgencyData, raw: &str) -> Result<&'a PropertyRec, ApiError> {
    let id: i64 = raw
        .trim()
        .parse()
        .map_err(|_| ApiError::field("propertyId", format!("The value '{raw}' is not valid.")))?;
    data.properties
        .get(&id)
        .ok_or_else(|| ApiError::not_found("Property", id))
}

fn parse_enum<T: std::str::FromStr>(params: &Params, name: &str) -> Result<Option<T>, ApiError> {
    params
        .get(name)
        .map(|v| {
            v.parse()
                .map_err(|_| ApiError::field(name, format!("The value '{v}' is not valid.")))
        })
        .transpose()
}

fn bool_param(params: &Params, name: &str) -> Result<Option<bool>, ApiError> {
    params
        .get(name)
        .map(|v| match v.to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(ApiError::field(
                name,
                format!("The value '{v}' is not valid."),
            )),
        })
        .transpose()
}

type Range = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn range(params: &Params, from: &str, to: &str) -> Result<Range, ApiError> {
    Ok((params.date_time(from)?, params.date_time(to)?))
}

fn within(at: Option<DateTime<Utc>>, (from, to): Range) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    at.is_some_and(|at| from.is_none_or(|f| at >= f) && to.is_none_or(|t| at <= t))
}

/// `GET /listing/filter`: every criterion optional; default order by modification time,
/// descending (then id).
pub(crate) async fn filter(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::FilterListingResponsePagedResponse>, ApiError> {
    let params = Params::parse(&query)?;
    let page = PageRequest::from_params(&params, "/listing/filter", "next-token", "max-results")?;
    let status: Option<types::InventoryStatus> = parse_enum(&params, "status")?;
    let sort_by: types::SortBy = parse_enum(&params, "sort-by")?.unwrap_or(types::SortBy::Modified);
    let order: types::SortOrder =
        parse_enum(&params, "sort-order")?.unwrap_or(types::SortOrder::Descending);
    let auction = bool_param(&params, "auction")?;
    let closing = range(
        &params,
        "auction-closing-date-from",
        "auction-closing-date-to",
    )?;
    let created = range(&params, "created-from", "created-to")?;
    let modified = range(&params, "modified-from", "modified-to")?;
    let owner = params.int("owner-id")?;
    let branches = params.ints("branch-id")?;
    let data = state.data(&agency);
    let mut items: Vec<(String, types::FilterListingResponse)> = data
        .properties
        .values()
        .map(|p| (p, to_summary(&data, p)))
        .filter(|(_, s)| status.is_none_or(|st| s.status == Some(st)))
        .filter(|(_, s)| auction.is_none_or(|a| s.auction == Some(a)))
        .filter(|(_, s)| within(s.auction_closing_date, closing))
        .filter(|(p, _)| owner.is_none_or(|o| p.negotiator_id == Some(o)))
        .filter(|(p, _)| branches.is_empty() || p.branch_id.is_some_and(|b| branches.contains(&b)))
        .filter(|(_, s)| within(s.created_date, created) && within(s.modified_date, modified))
        .map(|(p, s)| {
            let primary = match sort_by {
                types::SortBy::Modified => s.modified_date.map_or(0, |t| t.timestamp_micros()),
                types::SortBy::Created => s.created_date.map_or(0, |t| t.timestamp_micros()),
                types::SortBy::Id => p.id,
            };
            let flip = |n: i64| match order {
                types::SortOrder::Ascending => n as u64,
                types::SortOrder::Descending => u64::MAX - n as u64,
            };
            (format!("{:020}{:020}", flip(primary), flip(p.id)), s)
        })
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let (items, next) = page.page(items);
    Ok(Json(types::FilterListingResponsePagedResponse {
        items: Some(items),
        meta: Some(types::Meta {
            next_token: next,
            previous_token: None,
        }),
    }))
}

/// `GET /listing/property/items?property-id=…`: the listings named that exist, in the order
/// asked.
pub(crate) async fn items(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::ListingResponseItemCollection>, ApiError> {
    let params = Params::parse(&query)?;
    let ids = params.ints("property-id")?;
    if ids.is_empty() {
        return Err(ApiError::field(
            "property-id",
            "At least one property-id is required.",
        ));
    }
    let data = state.data(&agency);
    let items: Vec<_> = ids
        .iter()
        .filter_map(|id| data.properties.get(id))
        .map(|p| to_listing(&data, p))
        .collect();
    Ok(Json(types::ListingResponseItemCollection {
        total_count: i32::try_from(items.len()).ok(),
        items: Some(items),
    }))
}

/// `GET /listing/property/{propertyId}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::ListingResponse>, ApiError> {
    let data = state.data(&agency);
    let p = property(&data, &id)?;
    Ok(Json(to_listing(&data, p)))
}

fn to_image(i: &ListingImageRec) -> types::ListingImageResponse {
    let src = |size: &str| types::ListingImageDetailResponse {
        src: Some(format!(
            "/listing/property/{}/images/{}?image-size={size}",
            i.property_id, i.id
        )),
    };
    types::ListingImageResponse {
        order: Some(i.order),
        main: Some(i.main),
        modified_date: Some(i.modified),
        sizes: Some(types::ListingSizesResponse {
            screen: Some(src("screen")),
            thumbnail: Some(src("thumbnail")),
            tile: Some(src("tile")),
        }),
    }
}

fn to_link(l: &MediaLinkRec) -> types::ListingLinkResponse {
    types::ListingLinkResponse {
        description: l.description.clone(),
        url: Some(l.url.clone()),
        modified_date: Some(l.created),
    }
}

/// The image metadata of a property's listing.
pub(crate) fn to_images(data: &AgencyData, property_id: i64) -> types::ListingImagesResponse {
    let images = |kind: ImageKind| {
        let mut found: Vec<&ListingImageRec> = data
            .listing_images
            .values()
            .filter(|i| i.property_id == property_id && i.kind == kind)
            .collect();
        found.sort_by_key(|i| (i.order, i.id));
        Some(found.into_iter().map(to_image).collect())
    };
    let links = |kind: types::PostLinkMediaItemRequestMediaType| {
        Some(
            data.media_links
                .values()
                .filter(|l| l.property_id == property_id && l.kind == kind)
                .map(to_link)
                .collect(),
        )
    };
    types::ListingImagesResponse {
        gallery_images: images(ImageKind::Gallery),
        floorplan_images: images(ImageKind::Floorplan),
        virtual_tour_images: images(ImageKind::VirtualTour),
        virtual_tour_links: links(types::PostLinkMediaItemRequestMediaType::VirtualTour),
        web_links: links(types::PostLinkMediaItemRequestMediaType::WebLink),
        external_brochures: Some(Vec::new()),
    }
}

/// `GET /listing/property/{propertyId}/images`.
pub(crate) async fn images(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::ListingImagesResponse>, ApiError> {
    let data = state.data(&agency);
    // The operation declares no 404: an unknown property is its 400.
    let p = property(&data, &id).map_err(|e| {
        if e.status == axum::http::StatusCode::NOT_FOUND {
            ApiError::field("propertyId", e.detail)
        } else {
            e
        }
    })?;
    Ok(Json(to_images(&data, p.id)))
}

/// `GET /listing/property/{propertyId}/images/{imageId}`: the image bytes; `image-size` (or its
/// alias `imageSize`) one of `screen`, `thumbnail`, `tile` (the simulator serves one rendition).
pub(crate) async fn image(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path((property_id, image_id)): Path<(String, String)>,
    query: RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(&query)?;
    for name in ["image-size", "imageSize"] {
        if let Some(size) = params.get(name) {
            if !IMAGE_SIZES.iter().any(|s| s.eq_ignore_ascii_case(size)) {
                return Err(ApiError::field(
                    name,
                    format!("'{size}' is not one of {}.", IMAGE_SIZES.join(", ")),
                ));
            }
        }
    }
    let data = state.data(&agency);
    let p = property(&data, &property_id)?;
    let image = image_id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|n| data.listing_images.get(&n))
        .filter(|i| i.property_id == p.id)
        .ok_or_else(|| ApiError::not_found("Image", &image_id))?;
    Ok((
        [(header::CONTENT_TYPE, image.content_type.clone())],
        image.bytes.clone(),
    )
        .into_response())
}

/// `POST /inventory/{inventoryId}/media-link`: a multipart form whose fields are the request's
/// (`mediaType`, `url`, `description`, names case-insensitive and optionally prefixed with
/// `request.`, as ASP.NET binds them); 200 with the new media id.
pub(crate) async fn add_media_link(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
    mut form: Multipart,
) -> Result<Json<types::PostLinkMediaItemResponse>, ApiError> {
    let (mut kind, mut url, mut description) = (None, None, None);
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("the multipart body is malformed: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_ascii_lowercase();
        let name = name.strip_prefix("request.").unwrap_or(&name).to_string();
        let value = field.text().await.ok();
        match name.as_str() {
            "mediatype" => kind = value,
            "url" => url = value,
            "description" => description = value.filter(|d| !d.trim().is_empty()),
            _ => {}
        }
    }
    let mut v = Validation::default();
    let parsed: Option<types::PostLinkMediaItemRequestMediaType> =
        kind.as_deref().and_then(|k| k.trim().parse().ok());
    v.check(parsed.is_some(), "mediaType", || {
        format!(
            "mediaType '{}' is not one of VirtualTour, WebLink.",
            kind.as_deref().unwrap_or_default()
        )
    });
    let url = url.unwrap_or_default().trim().to_string();
    let absolute = ["http://", "https://"].iter().any(|s| {
        url.get(..s.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(s))
            && url.len() > s.len()
    });
    v.check(absolute, "url", || {
        format!("'{url}' is not an absolute http(s) URL.")
    });
    v.finish()?;
    let mut data = state.data(&agency);
    let property_id = property(&data, &id)?.id;
    let media_id = data.next_id();
    data.media_links.insert(
        media_id,
        MediaLinkRec {
            property_id,
            kind: parsed.expect("checked"),
            url,
            description,
            created: Utc::now(),
        },
    );
    Ok(Json(types::PostLinkMediaItemResponse {
        media_id: i32::try_from(media_id).ok(),
    }))
}

/// What tests can look at.
impl RunningSimulator {
    /// The agency's listings, as `GET /listing/property/{propertyId}` answers them.
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn listings(&self, agency: Option<&str>) -> Vec<types::ListingResponse> {
        self.with(agency, |d| {
            d.properties.values().map(|p| to_listing(d, p)).collect()
        })
    }

    /// The image metadata of a property's listing (virtual tours and web links included).
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn listing_images(
        &self,
        agency: Option<&str>,
        property_id: i64,
    ) -> types::ListingImagesResponse {
        self.with(agency, |d| to_images(d, property_id))
    }
}
