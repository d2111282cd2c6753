//! Demo data of the sales side: offers on the house for sale (one rejected, the revised one
//! accepted and progressing towards exchange with its solicitors and milestones), the tenant's
//! accepted offer on the flat, and two referrals (void switching of the flat's utilities,
//! conveyancing for the buyer). Ids come from [`AgencyData::next_seed_id`], so the ids of the
//! other records stay as they were.

use alto::raw::types;
use chrono::{Duration, Utc};

use crate::sales_store::{MilestoneRec, OfferRec, ProgressionRec, ReferralRec, SolicitorRec};
use crate::store::AgencyData;

/// The records the sales demo hangs on.
pub(crate) struct SalesSeed {
    pub flat: i64,
    pub house: i64,
    pub buyer: i64,
    pub tenant: i64,
    pub tenancy: i64,
}

fn address(name_number: &str, street: &str, town: &str, postcode: &str) -> types::AddressResponse {
    types::AddressResponse {
        name_number: Some(name_number.into()),
        street: Some(street.into()),
        town: Some(town.into()),
        postcode: Some(postcode.into()),
        country_code: Some("GB".into()),
        ..Default::default()
    }
}

/// Seeds the sales demo records.
pub(crate) fn seed_sales(data: &mut AgencyData, seed: SalesSeed) {
    let now = Utc::now();
    let branch_of = |data: &AgencyData, p: i64| data.properties.get(&p).and_then(|p| p.branch_id);
    let sales_negotiator = data.negotiators.get(2).map(|n| n.id);
    let lettings_negotiator = data.negotiators.get(1).map(|n| n.id);
    let mut solicitors = Vec::new();
    for (firm, person, email, phone, addr) in [
        (
            "Clifton Conveyancing LLP",
            "Rachel Greene",
            "rachel.greene@clifton-conveyancing.co.uk",
            "0117 496 0123",
            address("3", "Princess Victoria Street", "Bristol", "BS8 4BX"),
        ),
        (
            "Harbourside Legal",
            "Owen Price",
            "owen.price@harbourside-legal.co.uk",
            "0117 496 0456",
            address("21", "Queen Square", "Bristol", "BS1 4ND"),
        ),
    ] {
        let id = data.next_seed_id();
        data.sales.solicitors.insert(
            id,
            SolicitorRec {
                id,
                company_name: firm.into(),
                contact_name: person.into(),
                email: email.into(),
                phone: phone.into(),
                address: addr,
            },
        );
        solicitors.push(id);
    }
    let offer = |data: &mut AgencyData,
                 property: i64,
                 contact: i64,
                 amount: f64,
                 status: types::OfferStatus,
                 record_type: types::OfferRecordType,
                 negotiator: Option<i64>,
                 days_ago: i64| {
        let id = data.next_seed_id();
        let created = now - Duration::days(days_ago);
        data.sales.offers.insert(
            id,
            OfferRec {
                id,
                property_id: property,
                branch_id: branch_of(data, property),
                contact_ids: vec![contact],
                amount,
                status,
                record_type,
                negotiator_id: negotiator,
                created,
                modified: created + Duration::days(1),
                effective: created,
            },
        );
        id
    };
    let sale = types::OfferRecordType::Sale;
    offer(
        data,
        seed.house,
        seed.buyer,
        410_000.0,
        types::OfferStatus::Rejected,
        sale,
        sales_negotiator,
        30,
    );
    let agreed = offer(
        data,
        seed.house,
        seed.buyer,
        418_000.0,
        types::OfferStatus::Accepted,
        sale,
        sales_negotiator,
        27,
    );
    let letting = offer(
        data,
        seed.flat,
        seed.tenant,
        1_450.0,
        types::OfferStatus::Accepted,
        types::OfferRecordType::Rent,
        lettings_negotiator,
        25,
    );
    let agreed_at = now - Duration::days(26);
    let steps = [
        (
            "Memorandum of sale issued",
            "Sales",
            1,
            "High",
            Some(-26),
            Some(26),
        ),
        (
            "Buyer's ID and funds checked",
            "Compliance",
            2,
            "High",
            Some(-24),
            Some(24),
        ),
        (
            "Draft contract received",
            "Legal",
            3,
            "Normal",
            Some(-20),
            Some(18),
        ),
        ("Searches returned", "Legal", 4, "Normal", Some(-5), None),
        ("Mortgage offer issued", "Finance", 5, "High", Some(3), None),
        ("Survey completed", "Survey", 6, "Normal", Some(2), None),
        ("Exchange of contracts", "Legal", 7, "High", Some(21), None),
        ("Completion", "Legal", 8, "High", Some(35), None),
    ];
    let mut milestones = Vec::new();
    for (description, kind, ordering, priority, target_in, completed_ago) in steps {
        let id = data.next_seed_id();
        milestones.push(MilestoneRec {
            id,
            description: description.into(),
            kind: kind.into(),
            sub_type_id: ordering,
            ordering,
            priority: priority.into(),
            target: target_in.map(|d| now + Duration::days(d)),
            completed: completed_ago.map(|d| now - Duration::days(d)),
            notes: (ordering == 4)
                .then(|| "Local authority search chased; water and drainage back.".into()),
        });
    }
    data.sales.progressions.insert(
        agreed,
        ProgressionRec {
            offer_id: agreed,
            status: "InProgress",
            agreed: agreed_at,
            estimated_exchange: Some(now + Duration::days(21)),
            exchanged: None,
            completion: Some(now + Duration::days(35)),
            buyer_solicitor: solicitors.first().copied(),
            vendor_solicitor: solicitors.get(1).copied(),
            progressor_id: sales_negotiator,
            milestones,
        },
    );
    let email = |data: &AgencyData, n: Option<i64>| {
        n.and_then(|n| data.negotiators.iter().find(|x| x.id == n))
            .map(|n| n.email.clone())
            .unwrap_or_default()
    };
    let referrals = [
        ReferralRec {
            id: referral_id(seed.tenancy, 1),
            offer_id: Some(letting),
            property_id: Some(seed.flat),
            tenancy_id: Some(seed.tenancy),
            referee_id: seed.tenant,
            agent_email: email(data, lettings_negotiator),
            status: "Sent".into(),
            fees: None,
        },
        ReferralRec {
            id: referral_id(seed.tenancy, 2),
            offer_id: Some(agreed),
            property_id: Some(seed.house),
            tenancy_id: None,
            referee_id: seed.buyer,
            agent_email: email(data, sales_negotiator),
            status: "Accepted".into(),
            fees: Some(250.0),
        },
    ];
    for r in referrals {
        data.sales.referrals.insert(r.id, r);
    }
}

/// A referral id unique to the agency (its tenancy id is), stable across runs.
fn referral_id(tenancy: i64, n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(
        0x7e4e_0000_0000_4000_8000_0000_0000_0000u128 | ((tenancy as u128) << 16) | n,
    )
}
