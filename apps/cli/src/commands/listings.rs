//! `alto listings list|get|images|image|add-link`.

use std::path::PathBuf;

use alto::ids::{BranchId, ImageId, PropertyId};
use alto::listings::{image_id, DateRange, ListingFilter, ListingImage, MediaLink, MediaLinkAdded};
use futures::TryStreamExt;

use crate::args::{Connection, ListingsCommand};
use crate::output::{print_json, Failure};
use crate::when::parse_instant;

/// Runs the command.
pub async fn run(
    connection: &Connection,
    command: ListingsCommand,
    json: bool,
) -> Result<(), Failure> {
    let agency = crate::connect::agency(connection, None)?;
    let listings = agency.listings();
    match command {
        ListingsCommand::List {
            status,
            branch,
            modified_since,
        } => {
            let mut filter = ListingFilter::default();
            if let Some(s) = status {
                filter = filter.status(s);
            }
            for b in branch {
                filter = filter.branch(BranchId::new(b));
            }
            if let Some(since) = modified_since {
                filter =
                    filter.modified(DateRange::since(parse_instant(&since, chrono::Utc::now())?));
            }
            let all: Vec<_> = listings.filter(filter).try_collect().await?;
            if json {
                return print_json(&all);
            }
            println!("{} listings", all.len());
            for l in &all {
                println!(
                    "  {:<8}  {:<12}  {:>10}  {} bed  modified {}",
                    l.property_id.map(|i| i.to_string()).unwrap_or_default(),
                    l.status.map(|s| s.to_string()).unwrap_or_default(),
                    l.price.map(|p| format!("£{p:.0}")).unwrap_or_default(),
                    l.bedrooms.map(|b| b.to_string()).unwrap_or("-".into()),
                    l.modified_date
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                );
            }
            Ok(())
        }
        ListingsCommand::Get { ids } => {
            let ids: Vec<PropertyId> = ids.into_iter().map(PropertyId::new).collect();
            let found = if let [one] = ids[..] {
                vec![listings.get(one).await?]
            } else {
                listings.get_many(&ids).await?
            };
            if json {
                return print_json(&found);
            }
            for l in &found {
                println!(
                    "listing {}  {}  {}",
                    l.property_id.map(|i| i.to_string()).unwrap_or_default(),
                    l.market.as_deref().unwrap_or("-"),
                    l.display_address.as_deref().unwrap_or(""),
                );
                if let Some(price) = l.price {
                    println!(
                        "  £{price:.0} {}",
                        l.price_qualifier.as_deref().unwrap_or("")
                    );
                }
                if let Some(summary) = &l.summary {
                    println!("  {summary}");
                }
            }
            Ok(())
        }
        ListingsCommand::Images { property } => {
            let images = listings.images(PropertyId::new(property)).await?;
            if json {
                return print_json(&images);
            }
            let show = |label: &str, list: &Option<Vec<ListingImage>>| {
                for i in list.iter().flatten() {
                    println!(
                        "  {label:<10} image {:<8} order {}{}",
                        image_id(i).map(|id| id.to_string()).unwrap_or("?".into()),
                        i.order.unwrap_or_default(),
                        if i.main == Some(true) { "  (main)" } else { "" },
                    );
                }
            };
            println!("listing {property}");
            show("gallery", &images.gallery_images);
            show("floorplan", &images.floorplan_images);
            show("tour image", &images.virtual_tour_images);
            for (label, links) in [
                ("tour", &images.virtual_tour_links),
                ("link", &images.web_links),
            ] {
                for l in links.iter().flatten() {
                    println!(
                        "  {label:<10} {}  {}",
                        l.url.as_deref().unwrap_or("-"),
                        l.description.as_deref().unwrap_or("")
                    );
                }
            }
            Ok(())
        }
        ListingsCommand::Image {
            property,
            image,
            size,
            out,
        } => {
            let download = listings
                .image(
                    PropertyId::new(property),
                    ImageId::new(image),
                    size.map(Into::into),
                )
                .await?;
            save(download, out, json).await
        }
        ListingsCommand::AddLink {
            property,
            url,
            web_link,
            description,
        } => {
            let mut link = if web_link {
                MediaLink::web_link(url)
            } else {
                MediaLink::virtual_tour(url)
            };
            if let Some(d) = description {
                link = link.description(d);
            }
            let added = listings
                .add_media_link_once(PropertyId::new(property), &link)
                .await?;
            let media = match added {
                MediaLinkAdded::Created(id) => Some(id.0),
                MediaLinkAdded::AlreadyListed => None,
            };
            if json {
                return print_json(&serde_json::json!({ "mediaId": media, "url": link.url() }));
            }
            match media {
                Some(id) => println!("added {} link {id} to property {property}", link.kind()),
                None => println!("property {property} already shows {}", link.url()),
            }
            Ok(())
        }
    }
}

/// Writes a download to `out` and reports it.
pub(crate) async fn save(
    download: alto::documents::Download,
    out: PathBuf,
    json: bool,
) -> Result<(), Failure> {
    let content_type = download.content_type().map(String::from);
    let written = download.save(&out).await.map_err(|e| {
        Failure::new(
            format!("could not write {}: {e}", out.display()),
            Some("check the path and the network, then run again"),
        )
    })?;
    if json {
        return print_json(&serde_json::json!({
            "path": out, "bytes": written, "contentType": content_type
        }));
    }
    println!(
        "wrote {written} bytes to {} ({})",
        out.display(),
        content_type.as_deref().unwrap_or("unknown type")
    );
    Ok(())
}
