//! The demo data set: small, realistic, UK, and dated relative to now so "the last 7 days"
//! always finds something. Each agency gets its own copy (with its own ids).

use alto::raw::types;
use chrono::{Duration, Utc};

use crate::store::{
    AgencyData, BranchRec, ContactRec, NegotiatorRec, OwnershipRec, PersonRec, PropertyRec,
    ReferenceCheckRec, TenancyRec, TenantRec,
};

type PhoneType = types::AltoContactsApiModelsResponsesPhoneType;

fn address(
    name_number: &str,
    street: &str,
    town: &str,
    county: &str,
    postcode: &str,
) -> types::AltoServicesSdkModelsAddress {
    types::AltoServicesSdkModelsAddress {
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
    // issue 10: appointments and calendar. Group-wide reference data, the same small ids in
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
    let _applicant = contact(
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
        types::AltoServicesSdkPropertyRecordType::Rent,
        bath,
        landlord,
        100,
    );
    let _house = property(
        data,
        address("7", "Cotham Hill", "Bristol", "City of Bristol", "BS6 6LA"),
        types::AltoServicesSdkPropertyRecordType::Sale,
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
