//! Media items of a property: upload a photo, floorplan, brochure or other file
//! (`POST /media-item`, `multipart/form-data`) and delete one (`DELETE /media-item/{mediaItemId}`).
//!
//! [`MediaItem`] is the typed form: the spec's `request` object (`style: form`) travels as its
//! fields `fileToUpload`, `filename`, `linkedType`, `linkedId` and `mediaType`, as
//! `POST /inventory/{inventoryId}/media-link` sends its own.

use super::Listings;
use crate::documents::Upload;
use crate::error::AltoError;
use crate::ids::{MediaItemId, PropertyId};
use crate::multipart::Form;
use crate::operations;
use crate::raw::types;

/// Kind of media item (Alto's list: `Photo`, `Floorplan`, `VirtualTour`, `File`, `Document`,
/// `Brochure`, `EPC`, `WebLink`).
pub type MediaItemType = types::PostMediaItemRequestMediaType;

/// A file to add to a property's media. Photos join the listing's gallery, floorplans its
/// floorplans. The file is checked as a document upload is (a name, not empty, at most 30 MB)
/// before anything is sent.
///
/// ```
/// use alto::documents::Upload;
/// use alto::listings::{MediaItem, MediaItemType};
/// let photo = MediaItem::photo(Upload::bytes("garden.jpg", vec![0xff, 0xd8, 0xff]));
/// assert_eq!(photo.kind(), MediaItemType::Photo);
/// let epc = MediaItem::new(MediaItemType::Epc, Upload::bytes("epc.pdf", b"%PDF".to_vec()))
///     .file_name("Energy performance certificate.pdf");
/// # let _ = epc;
/// ```
#[derive(Debug)]
pub struct MediaItem {
    kind: MediaItemType,
    upload: Upload,
    file_name: Option<String>,
}

impl MediaItem {
    /// A photo for the listing's gallery.
    pub fn photo(upload: Upload) -> Self {
        Self::new(MediaItemType::Photo, upload)
    }

    /// A floorplan.
    pub fn floorplan(upload: Upload) -> Self {
        Self::new(MediaItemType::Floorplan, upload)
    }

    /// A brochure.
    pub fn brochure(upload: Upload) -> Self {
        Self::new(MediaItemType::Brochure, upload)
    }

    /// A media item of `kind`.
    pub fn new(kind: MediaItemType, upload: Upload) -> Self {
        Self {
            kind,
            upload,
            file_name: None,
        }
    }

    /// Sets the name Alto keeps (`filename`); the upload's own file name otherwise.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The kind of media item.
    pub fn kind(&self) -> MediaItemType {
        self.kind
    }

    /// The form: the request's fields, the file as `fileToUpload`.
    fn form(self, operation: &str, property: PropertyId) -> Result<Form, AltoError> {
        let file_name = self
            .file_name
            .unwrap_or_else(|| self.upload.file_name().to_string());
        if property.0 < 1 {
            return Err(AltoError::InvalidRequest {
                operation: operation.into(),
                detail: format!("property id {} is not a property (at least 1)", property.0),
            });
        }
        Ok(Form::new()
            .part("fileToUpload", self.upload.into_part(operation)?)
            .text("filename", file_name)
            .text("linkedType", "Property")
            .text("linkedId", property.0.to_string())
            .text("mediaType", self.kind.to_string()))
    }
}

impl Listings<'_> {
    /// Adds a file to a property's media (`POST /media-item`, multipart) and returns its id.
    /// Not resent after a failure whose outcome is unknown (a POST).
    pub async fn add_media_item(
        &self,
        property: PropertyId,
        item: MediaItem,
    ) -> Result<MediaItemId, AltoError> {
        const OP: &str = operations::CREATE_MEDIA_ITEM;
        let form = item.form(OP, property)?;
        let body = self.client.send_multipart(OP, &[], form).await?;
        let created: types::PostMediaItemResponse =
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

    /// Deletes a media item of a property: an uploaded file, a listing image or a media link
    /// (`DELETE /media-item/{mediaItemId}`).
    pub async fn delete_media_item(&self, item: MediaItemId) -> Result<(), AltoError> {
        const OP: &str = operations::DELETE_MEDIA_ITEM;
        let id = item.as_i32(OP)?;
        let call = self
            .client
            .raw()
            .delete_media_item()
            .media_item_id(id)
            .send();
        self.client.send(OP, call).await?;
        Ok(())
    }
}
