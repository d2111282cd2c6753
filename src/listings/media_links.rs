//! Media links of a listing: virtual tours and web links
//! (`POST /inventory/{inventoryId}/media-link`, `multipart/form-data`), with a typed form and a
//! safely repeatable add.

use super::Listings;
use crate::error::AltoError;
use crate::ids::{MediaItemId, PropertyId};
use crate::multipart::Form;
use crate::operations;
use crate::raw::types;
use crate::reconcile::create_reconciled;

/// Kind of media link (Alto's list).
pub type MediaLinkType = types::PostLinkMediaItemRequestMediaType;

/// A link to add to a property's media: a virtual tour or a web link, with an optional
/// description. The URL must be absolute `http`/`https` (checked before sending).
///
/// ```
/// use alto::listings::MediaLink;
/// let tour = MediaLink::virtual_tour("https://tours.example.co.uk/14-pulteney-road").description("3D tour");
/// assert_eq!(tour.url(), "https://tours.example.co.uk/14-pulteney-road");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaLink {
    kind: MediaLinkType,
    url: String,
    description: Option<String>,
}

impl MediaLink {
    /// A virtual tour.
    pub fn virtual_tour(url: impl Into<String>) -> Self {
        Self::new(MediaLinkType::VirtualTour, url)
    }

    /// A web link (a video, a microsite).
    pub fn web_link(url: impl Into<String>) -> Self {
        Self::new(MediaLinkType::WebLink, url)
    }

    /// A link of `kind`.
    pub fn new(kind: MediaLinkType, url: impl Into<String>) -> Self {
        Self {
            kind,
            url: url.into(),
            description: None,
        }
    }

    /// Sets the description shown with the link.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The kind of link.
    pub fn kind(&self) -> MediaLinkType {
        self.kind
    }

    /// The form: the request's fields exploded into form fields (`mediaType`, `url`,
    /// `description`), as the spec's `style: form` encoding of `request` says.
    fn form(&self, operation: &str) -> Result<Form, AltoError> {
        let parsed = url::Url::parse(&self.url).ok();
        if !parsed.is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host()) {
            return Err(AltoError::InvalidRequest {
                operation: operation.into(),
                detail: format!("{:?} is not an absolute http(s) URL", self.url),
            });
        }
        let mut form = Form::new()
            .text("mediaType", self.kind.to_string())
            .text("url", self.url.clone());
        if let Some(d) = &self.description {
            form = form.text("description", d.clone());
        }
        Ok(form)
    }
}

/// What [`Listings::add_media_link_once`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaLinkAdded {
    /// This call added the link; Alto's id of the media item.
    Created(MediaItemId),
    /// An earlier attempt whose answer was lost had added it: the listing already shows the URL
    /// (Alto's image metadata does not give the media item's id).
    AlreadyListed,
}

impl Listings<'_> {
    /// Adds a virtual tour or web link to a property (`POST /inventory/{inventoryId}/media-link`,
    /// multipart). Not resent after a failure whose outcome is unknown (a POST); see
    /// [`Listings::add_media_link_once`].
    pub async fn add_media_link(
        &self,
        property: PropertyId,
        link: &MediaLink,
    ) -> Result<MediaItemId, AltoError> {
        const OP: &str = operations::CREATE_PROPERTY_MEDIA_LINK;
        let id = super::property_i32(OP, property)?.to_string();
        let form = link.form(OP)?;
        let body = self
            .client
            .send_multipart(OP, &[("inventoryId", &id)], form)
            .await?;
        let created: types::PostLinkMediaItemResponse =
            serde_json::from_slice(&body).map_err(|e| AltoError::Decode {
                operation: OP.into(),
                detail: e.to_string(),
            })?;
        created
            .media_id
            .map(MediaItemId::from)
            .ok_or_else(|| AltoError::Decode {
                operation: OP.into(),
                detail: "no mediaId".into(),
            })
    }

    /// Adds a media link, safely repeatable: after a failure whose outcome is unknown it first
    /// looks for the URL among the listing's virtual tours and web links, and sends again only
    /// if it is not there — a lost answer never adds the link twice.
    pub async fn add_media_link_once(
        &self,
        property: PropertyId,
        link: &MediaLink,
    ) -> Result<MediaLinkAdded, AltoError> {
        let attempt = || async {
            self.add_media_link(property, link)
                .await
                .map(MediaLinkAdded::Created)
        };
        let find = || async {
            let images = self.images(property).await?;
            let listed = images
                .virtual_tour_links
                .iter()
                .chain(images.web_links.iter())
                .flatten()
                .any(|l| l.url.as_deref() == Some(link.url()));
            Ok(listed.then_some(MediaLinkAdded::AlreadyListed))
        };
        create_reconciled(attempt, find).await
    }
}
