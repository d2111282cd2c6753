//! The demo data set: small, realistic, UK, and dated relative to now so "the last 7 days"
//! always finds something. Each agency gets its own copy (with its own ids).

use alto::raw::types;
use chrono::{Duration, Utc};

use crate::store::{
    AgencyData, BranchRec, ContactRec, NegotiatorRec, OwnershipRec, PersonRec, PropertyRec,
    ReferenceCheckRec, TenancyRec, TenantRec,
};
// Listings, relationships, file notes, record documents
use crate::store::{
    DocumentRec, FileNoteRec, ImageKind, ListingImageRec, ListingRec, MediaLinkRec,
    RelationshipRec, WorkOrderRec,
};

type PhoneType = types::ContactPhoneType;

fn address(
    name_number: &str,
    street: &str,
    town: &str,
    county: &str,
    postcode: &str,
) -> types::SdkAddress {
    types::SdkAddress {
        name_number: Some(name_number.into()),
        street: Some(street.into()),
        town: Some(town.into()),
        county: Some(county.into()),
        postcode: Some(postcode.into()),
        country_code: Some("GB".into()),
        ..Default::default()
    }
}

/// Branches and negotiators only: what every agency has even without demo data (a contact
/// needs a branch).
pub(crate) fn seed_directory(data: &mut AgencyData, agency_name: &str) {
    let now = Utc::now();
    for (name, town, county, street, postcode, market) in [
        (
            "Bath",
            "Bath",
            "Somerset",
            "Milsom Street",
            "BA1 1DN",
            types::PropertyRecordType::Rent,
        ),
        (
            "Bristol",
            "Bristol",
            "City of Bristol",
            "Whiteladies Road",
            "BS8 2PY",
            types::PropertyRecordType::Sale,
        ),
    ] {
        let id = data.next_id();
        let a = address("12", street, town, county, postcode);
        data.branches.push(BranchRec {
            id,
            name: format!("{agency_name} {name}"),
            address: types::Address {
                name_number: a.name_number,
                street: a.street,
                town: a.town,
                county: a.county,
                postcode: a.postcode,
                country_code: a.country_code,
                ..Default::default()
            },
            default_market: market,
            created: now - Duration::days(400),
        });
    }
    for (name, title, role) in [
        ("Sarah Mitchell", "Branch Manager", "Manager"),
        ("James Patel", "Lettings Negotiator", "Negotiator"),
        ("Emily Clarke", "Sales Negotiator", "Negotiator"),
    ] {
        let id = data.next_id();
        let login = name.to_lowercase().replace(' ', ".");
        data.negotiators.push(NegotiatorRec {
            id,
            name: name.into(),
            title: title.into(),
            email: format!("{login}@example-agency.co.uk"),
            phone: format!("01225 {:06}", 400_000 + id % 100_000),
            role: role.into(),
        });
    }
    // Appointments and calendar. Group-wide reference data, the same small ids in
    // every agency (as Alto's parameter lists are per group, not per record).
    data.appointment_sub_types = [
        (1, "Meeting"),
        (2, "Key collection"),
        (3, "Property inspection"),
        (4, "Photography"),
        (5, "Inventory check-in"),
    ]
    .into_iter()
    .map(|(id, name)| (id, name.to_string()))
    .collect();
    crate::contact_records::seed_integration(data, agency_name);
}

/// Adds a one-person contact.
fn contact(
    data: &mut AgencyData,
    branch: i64,
    (title, forename, surname): (&str, &str, &str),
    mobile: &str,
    days_ago: i64,
) -> i64 {
    let id = data.next_id();
    let person = PersonRec {
        id: data.next_id(),
        title: Some(title.into()),
        forename: Some(forename.into()),
        surname: surname.into(),
        emails: vec![format!(
            "{}.{}@example.co.uk",
            forename.to_lowercase(),
            surname.to_lowercase()
        )],
        phones: vec![(Some(PhoneType::Mobile), mobile.into())],
    };
    let created = Utc::now() - Duration::days(days_ago);
    data.contacts.insert(
        id,
        ContactRec {
            id,
            branch_id: branch.to_string(),
            people: vec![person],
            address: None,
            notes: None,
            potential_landlord: None,
            potential_vendor: None,
            created,
            modified: created,
        },
    );
    id
}

/// The demo records: contacts, two properties with owners, a tenancy with two tenants and
/// their guarantors, and eight reference checks over the last 14 days.
pub(crate) fn seed_demo(data: &mut AgencyData) {
    let now = Utc::now();
    let (bath, bristol) = (data.branches[0].id, data.branches[1].id);
    let landlord = contact(
        data,
        bath,
        ("Mrs", "Margaret", "Hughes"),
        "07700 900123",
        120,
    );
    let vendor = contact(data, bristol, ("Mr", "David", "Okafor"), "07700 900456", 90);
    let tenant_a = contact(data, bath, ("Ms", "Priya", "Shah"), "07700 900789", 30);
    let tenant_b = contact(data, bath, ("Mr", "Tom", "Walsh"), "07700 900321", 30);
    let guarantor_a = contact(data, bath, ("Mrs", "Anita", "Shah"), "07700 900654", 29);
    let guarantor_b = contact(data, bath, ("Mr", "Gerald", "Walsh"), "07700 900987", 29);
    let applicant = contact(
        data,
        bristol,
        ("Miss", "Sophie", "Turner"),
        "07700 900111",
        5,
    );
    for id in [landlord] {
        if let Some(c) = data.contacts.get_mut(&id) {
            c.potential_landlord = Some(true);
        }
    }
    if let Some(c) = data.contacts.get_mut(&vendor) {
        c.potential_vendor = Some(true);
    }
    let property = |data: &mut AgencyData, addr, market, branch, owner, days_ago| {
        let id = data.next_id();
        data.properties.insert(
            id,
            PropertyRec {
                id,
                address: addr,
                market,
                branch_id: Some(branch),
                negotiator_id: data.negotiators.get(1).map(|n| n.id),
                created: now - Duration::days(days_ago),
            },
        );
        let owner_id = data.next_id();
        data.ownerships.insert(
            owner_id,
            OwnershipRec {
                id: owner_id,
                property_id: id,
                contact_id: owner,
                created: now - Duration::days(days_ago),
            },
        );
        id
    };
    let flat = property(
        data,
        address("14", "Pulteney Road", "Bath", "Somerset", "BA2 4EZ"),
        types::SdkPropertyRecordType::Rent,
        bath,
        landlord,
        100,
    );
    let house = property(
        data,
        address("7", "Cotham Hill", "Bristol", "City of Bristol", "BS6 6LA"),
        types::SdkPropertyRecordType::Sale,
        bristol,
        vendor,
        80,
    );
    let tenancy_id = data.next_id();
    let tenant_ids = [data.next_id(), data.next_id()];
    let guarantor_ids = [data.next_id(), data.next_id()];
    data.tenancies.insert(
        tenancy_id,
        TenancyRec {
            id: tenancy_id,
            property_id: flat,
            branch_id: bath,
            start: now + Duration::days(14),
            end: now + Duration::days(14 + 365),
            rent: 1450.0,
            status: "Pending".into(),
            tenants: vec![
                TenantRec {
                    tenant_id: tenant_ids[0],
                    contact_id: tenant_a,
                    guarantors: vec![(guarantor_ids[0], guarantor_a)],
                },
                TenantRec {
                    tenant_id: tenant_ids[1],
                    contact_id: tenant_b,
                    guarantors: vec![(guarantor_ids[1], guarantor_b)],
                },
            ],
            created: now - Duration::days(20),
            modified: now - Duration::days(20),
        },
    );
    seed_records(
        data,
        [flat, house],
        landlord,
        [(tenant_a, guarantor_a), (tenant_b, guarantor_b)],
    );
    crate::contact_records::seed_contact_records(data, landlord, applicant);
    crate::property_management::seed(data, [flat, house], tenancy_id, landlord);
    crate::sales_seed::seed_sales(
        data,
        crate::sales_seed::SalesSeed {
            flat,
            house,
            buyer: applicant,
            tenant: tenant_a,
            tenancy: tenancy_id,
        },
    );
    // (days ago, hour offset, completed?)
    let checks = [
        (13, 9, true),
        (12, 15, true),
        (10, 11, true),
        (8, 10, false),
        (6, 14, true),
        (4, 9, false),
        (2, 16, false),
        (1, 11, false),
    ];
    for (i, (days, hour, completed)) in checks.into_iter().enumerate() {
        let created = now - Duration::days(days) - Duration::hours(hour);
        let id = uuid::Uuid::from_u128(
            0x5ee0_0000_0000_4000_8000_0000_0000_0000u128
                | ((tenancy_id as u128) << 16)
                | i as u128,
        );
        data.reference_checks.push(ReferenceCheckRec {
            id,
            tenancy_id,
            tenant_id: tenant_ids[i % 2],
            status: if completed {
                types::ReferenceCheckStatus::Completed
            } else {
                types::ReferenceCheckStatus::Pending
            },
            created,
            modified: created + Duration::hours(2),
            modified_by: None,
        });
    }
}

// Listings, relationships, file notes, record documents

/// A 1×1 PNG: what every demo listing image serves.
const DEMO_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Listings of the two demo properties (the flat let, the house for sale with a virtual tour),
/// their images, the tenants' guarantors as relationships, a few file notes, and a works order
/// on the flat with its invoice and the flat's own documents. Their ids come from
/// [`AgencyData::next_seed_id`], so the ids of everything else stay as they were.
fn seed_records(
    data: &mut AgencyData,
    [flat, house]: [i64; 2],
    landlord: i64,
    tenants_and_guarantors: [(i64, i64); 2],
) {
    let now = Utc::now();
    data.listings.insert(
        flat,
        ListingRec {
            status: types::InventoryStatus::Let,
            price: Some(1450.0),
            price_qualifier: Some("PerCalendarMonth".into()),
            bedrooms: Some(2),
            bathrooms: Some(1),
            receptions: Some(1),
            property_type: Some("Flat".into()),
            summary: Some("A bright two-bedroom flat a short walk from Bath Spa station.".into()),
            auction_closing: None,
            modified: now - Duration::days(20),
        },
    );
    data.listings.insert(
        house,
        ListingRec {
            status: types::InventoryStatus::Available,
            price: Some(425_000.0),
            price_qualifier: Some("OffersOver".into()),
            bedrooms: Some(3),
            bathrooms: Some(2),
            receptions: Some(2),
            property_type: Some("Terraced".into()),
            summary: Some("A Victorian terrace on Cotham Hill with a south-facing garden.".into()),
            auction_closing: None,
            modified: now - Duration::days(3),
        },
    );
    let images = [
        (flat, ImageKind::Gallery, 1, true),
        (flat, ImageKind::Gallery, 2, false),
        (flat, ImageKind::Floorplan, 1, false),
        (house, ImageKind::Gallery, 1, true),
        (house, ImageKind::Gallery, 2, false),
    ];
    for (property_id, kind, order, main) in images {
        let id = data.next_seed_id();
        data.listing_images.insert(
            id,
            ListingImageRec {
                id,
                property_id,
                kind,
                order,
                main,
                content_type: "image/png".into(),
                bytes: bytes::Bytes::from_static(DEMO_PNG),
                modified: now - Duration::days(10),
            },
        );
    }
    let link = data.next_seed_id();
    data.media_links.insert(
        link,
        MediaLinkRec {
            property_id: house,
            kind: types::PostLinkMediaItemRequestMediaType::VirtualTour,
            url: "https://tours.example.co.uk/7-cotham-hill".into(),
            description: Some("3D walk-through".into()),
            created: now - Duration::days(3),
        },
    );
    for (tenant, guarantor) in tenants_and_guarantors {
        let id = data.next_seed_id();
        data.relationships.insert(
            id,
            RelationshipRec {
                id,
                contact_id: tenant,
                related_contact_id: guarantor,
                kind: types::ContactRelationshipRelationshipType::TenantGuarantor,
            },
        );
    }
    let negotiator = data.negotiators.get(1).map(|n| n.id);
    let notes = [
        (
            Some(flat),
            vec![landlord],
            "Instruction",
            "Landlord instructed us to let the flat; keys at the Bath office.",
            types::GetFileNoteResponseFileNoteType::FileNote,
            100,
        ),
        (
            Some(flat),
            vec![landlord],
            "Gas safety",
            "Called the landlord: gas safety certificate renewed until next year.",
            types::GetFileNoteResponseFileNoteType::PhoneCall,
            15,
        ),
        (
            None,
            vec![tenants_and_guarantors[0].0],
            "Move-in",
            "Emailed the tenant the move-in pack and inventory appointment.",
            types::GetFileNoteResponseFileNoteType::EMail,
            6,
        ),
    ];
    for (property_id, contact_ids, title, text, kind, days_ago) in notes {
        let id = data.next_seed_id();
        data.file_notes.insert(
            id,
            FileNoteRec {
                id,
                title: Some(title.into()),
                notes: text.into(),
                contact_ids,
                property_id,
                negotiator_id: negotiator,
                kind,
                created: now - Duration::days(days_ago),
                updated: None,
            },
        );
    }
    let work_order = data.next_seed_id();
    data.work_orders.insert(
        work_order,
        WorkOrderRec {
            id: work_order,
            property_id: flat,
            summary: "Kitchen extractor fan not working".into(),
            description: Some("Replace the kitchen extractor fan".into()),
            priority: "Normal".into(),
            status: "Completed".into(),
            notes: Some("Tenant home on weekday mornings.".into()),
            supplier_contact_id: None,
            quote: Some(145.0),
            reporter: Some(types::WorkOrderActor {
                id: Some(tenants_and_guarantors[0].0.to_string()),
                type_: Some("Tenant".into()),
            }),
            access: None,
            charge: Some(types::WorkOrderActor {
                id: Some(landlord.to_string()),
                type_: Some("Landlord".into()),
            }),
            reported: now - Duration::days(12),
            start: Some(now - Duration::days(10)),
            created: now - Duration::days(9),
            modified: now - Duration::days(9),
        },
    );
    let documents = [
        (
            "WorkOrder",
            work_order,
            "extractor-fan-invoice.pdf",
            "application/pdf",
            &b"%PDF-1.4 invoice"[..],
        ),
        (
            "Property",
            flat,
            "gas-safety-certificate.pdf",
            "application/pdf",
            &b"%PDF-1.4 gas safety"[..],
        ),
        ("Property", flat, "living-room.jpg", "image/jpeg", DEMO_PNG),
    ];
    for (linked_type, linked_id, file_name, content_type, bytes) in documents {
        let id = data.next_seed_id();
        data.documents.insert(
            id,
            DocumentRec {
                id,
                file_name: file_name.into(),
                content_type: content_type.into(),
                bytes: bytes::Bytes::copy_from_slice(bytes),
                linked_type,
                linked_id,
                created: now - Duration::days(9),
            },
        );
    }
}
