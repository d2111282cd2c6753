//! The contacts family's own records, beside the contacts themselves: each contact's profile
//! (active, position, intention, disposal), applicant requirements, consent preferences, bank
//! accounts, leads, and the partner integration's state. One [`ContactFamily`] per agency.

use std::collections::BTreeMap;

use alto::raw::types;
use chrono::{DateTime, Duration, Utc};

use crate::store::AgencyData;

/// What a contact has beyond its people and address. A contact without an entry has the
/// default profile (active, nothing chosen).
#[derive(Debug, Clone)]
pub(crate) struct ContactProfile {
    pub active: bool,
    /// Codes from `GET /parameters/client-positions`, `client-intentions`,
    /// `client-disposal-statuses`.
    pub position: Option<String>,
    pub intention: Option<String>,
    pub disposal: Option<String>,
    /// The lead the contact came from and its source code (`GET /parameters/lead-sources`).
    pub lead: Option<(i64, String)>,
}

impl Default for ContactProfile {
    fn default() -> Self {
        Self {
            active: true,
            position: None,
            intention: None,
            disposal: None,
            lead: None,
        }
    }
}

/// An applicant's requirement profile. Enumerations are kept in their wire spelling.
#[derive(Debug, Clone)]
pub(crate) struct RequirementRec {
    pub id: i64,
    pub contact_id: i64,
    /// `Buy` or `Rent`.
    pub intention: String,
    pub beds_min: Option<i32>,
    pub price_from: Option<i32>,
    pub price_to: Option<i32>,
    pub is_new_build: Option<bool>,
    pub is_active_profile: bool,
    pub notes: Option<String>,
    /// `Weekly` or `Monthly`.
    pub rental_price_qualifier: Option<String>,
    /// `Furnished`, `PartFurnished`, `Unfurnished`, `Unspecified`.
    pub rental_furnishing: Option<String>,
    /// `Freehold`, `Leasehold`, `Unspecified`.
    pub tenure: Option<String>,
}

/// One consent preference of a contact; a new answer for the same type replaces it and bumps
/// the version.
#[derive(Debug, Clone)]
pub(crate) struct PreferenceRec {
    pub id: i64,
    pub contact_id: i64,
    pub kind: types::ContactConsentPreferenceType,
    pub status: types::ContactConsentPreferenceOptInStatus,
    pub notes: Option<String>,
    pub actioned: DateTime<Utc>,
    pub actioned_by: String,
    pub version: i32,
}

/// An enquiry (lead) from a portal or the API.
#[derive(Debug, Clone)]
pub(crate) struct LeadRec {
    pub id: i64,
    pub branch_id: i64,
    pub comment: Option<String>,
    pub enquirer: types::EnquirerDetails,
    pub enquiry_date: DateTime<Utc>,
    pub enquiry_type: types::EnquiryType,
    pub source: types::LeadSource,
    pub source_identifier: String,
    pub status: types::LeadStatus,
    /// The contact the lead was processed into, if any.
    pub contact_id: Option<i64>,
    pub property_ids: Vec<i64>,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// The partner integration as the agency enabled it, and the status the partner last reported.
#[derive(Debug, Clone)]
pub(crate) struct IntegrationRec {
    pub id: uuid::Uuid,
    pub name: String,
    pub agency_name: String,
    pub requested_by: String,
    pub status: types::PartnerIntegrationStatus,
    pub status_description: Option<String>,
    pub status_updated: DateTime<Utc>,
}

impl Default for IntegrationRec {
    fn default() -> Self {
        Self {
            id: uuid::Uuid::nil(),
            name: String::new(),
            agency_name: String::new(),
            requested_by: String::new(),
            status: types::PartnerIntegrationStatus::Pending,
            status_description: None,
            status_updated: Utc::now(),
        }
    }
}

/// Everything of the contacts family beyond [`crate::store::ContactRec`], for one agency.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContactFamily {
    pub profiles: BTreeMap<i64, ContactProfile>,
    pub requirements: BTreeMap<i64, RequirementRec>,
    pub preferences: Vec<PreferenceRec>,
    pub bank_accounts: BTreeMap<i64, Vec<types::BankAccount>>,
    pub leads: BTreeMap<i64, LeadRec>,
    pub integration: IntegrationRec,
}

impl ContactFamily {
    /// The contact's profile (the default one if it has none yet).
    pub fn profile(&self, contact_id: i64) -> ContactProfile {
        self.profiles.get(&contact_id).cloned().unwrap_or_default()
    }

    /// The contact's requirements, oldest first.
    pub fn requirements_of(&self, contact_id: i64) -> impl Iterator<Item = &RequirementRec> {
        self.requirements
            .values()
            .filter(move |r| r.contact_id == contact_id)
    }
}

/// The integration every agency has enabled (no demo data needed: a partner reads it first).
pub(crate) fn seed_integration(data: &mut AgencyData, agency_name: &str) {
    let base = data.branches.first().map_or(0, |b| b.id);
    data.contact_family.integration = IntegrationRec {
        id: uuid::Uuid::from_u128(0x1a7e_0000_0000_4000_8000_0000_0000_0000 | base as u128),
        name: "Alto Toolkit".into(),
        agency_name: agency_name.into(),
        requested_by: data
            .negotiators
            .first()
            .map(|n| n.email.clone())
            .unwrap_or_default(),
        status: types::PartnerIntegrationStatus::Pending,
        status_description: Some("Awaiting the partner's first sync".into()),
        status_updated: Utc::now() - Duration::days(2),
    };
}

/// The demo's contact records: the landlord's bank account, the applicant's requirements and
/// consent, and three leads (one processed into the applicant). Ids come from
/// [`AgencyData::next_seed_id`], so the other records keep theirs.
pub(crate) fn seed_contact_records(data: &mut AgencyData, landlord: i64, applicant: i64) {
    let now = Utc::now();
    data.contact_family.bank_accounts.insert(
        landlord,
        vec![types::BankAccount {
            account_holder_name: Some("Mrs Margaret Hughes".into()),
            account_name: Some("M Hughes".into()),
            account_number: Some("41234567".into()),
            branch_code: Some("20-00-00".into()),
            branch_name: Some("Bath Milsom Street".into()),
            bic_number: Some("BARCGB22".into()),
            iban_number: Some("GB33BARC20000041234567".into()),
        }],
    );
    data.contact_family.profiles.insert(
        landlord,
        ContactProfile {
            position: Some("NTS".into()),
            disposal: Some("TL".into()),
            ..ContactProfile::default()
        },
    );
    let requirement = data.next_seed_id();
    data.contact_family.requirements.insert(
        requirement,
        RequirementRec {
            id: requirement,
            contact_id: applicant,
            intention: "Buy".into(),
            beds_min: Some(2),
            price_from: Some(250_000),
            price_to: Some(350_000),
            is_new_build: Some(false),
            is_active_profile: true,
            notes: Some("Close to a good primary school; garden essential.".into()),
            rental_price_qualifier: None,
            rental_furnishing: None,
            tenure: Some("Freehold".into()),
        },
    );
    let consent = [
        (
            types::ContactConsentPreferenceType::PropertyMatching,
            types::ContactConsentPreferenceOptInStatus::Granted,
        ),
        (
            types::ContactConsentPreferenceType::GeneralMarketing,
            types::ContactConsentPreferenceOptInStatus::Denied,
        ),
    ];
    for (kind, status) in consent {
        let id = data.next_seed_id();
        data.contact_family.preferences.push(PreferenceRec {
            id,
            contact_id: applicant,
            kind,
            status,
            notes: Some("Recorded at registration".into()),
            actioned: now - Duration::days(5),
            actioned_by: "Emily Clarke".into(),
            version: 1,
        });
    }
    let house = data
        .properties
        .values()
        .find(|p| p.market == types::SdkPropertyRecordType::Sale)
        .map(|p| p.id);
    let bristol = data.branches.get(1).map_or(0, |b| b.id);
    let leads = [
        (
            ("Miss", "Sophie", "Turner", "sophie.turner@example.co.uk"),
            types::LeadSource::Zoopla,
            types::LeadStatus::Processed,
            Some(applicant),
            6,
        ),
        (
            ("Mr", "Hamid", "Rahman", "hamid.rahman@example.co.uk"),
            types::LeadSource::RightMove,
            types::LeadStatus::Unprocessed,
            None,
            2,
        ),
        (
            ("Ms", "Chloe", "Evans", "chloe.evans@example.co.uk"),
            types::LeadSource::Zoopla,
            types::LeadStatus::Unprocessed,
            None,
            1,
        ),
    ];
    for ((title, forename, surname, email), source, status, contact, days_ago) in leads {
        let id = data.next_seed_id();
        let at = now - Duration::days(days_ago);
        data.contact_family.leads.insert(
            id,
            LeadRec {
                id,
                branch_id: bristol,
                comment: Some("Would like to arrange a viewing this weekend.".into()),
                enquirer: types::EnquirerDetails {
                    title: Some(title.into()),
                    forename: Some(forename.into()),
                    surname: Some(surname.into()),
                    email: Some(email.into()),
                    phone_number_day: Some("07700 900555".into()),
                    ..Default::default()
                },
                enquiry_date: at,
                enquiry_type: types::EnquiryType::LookingToBuy,
                source,
                source_identifier: format!("{source}-{id}"),
                status,
                contact_id: contact,
                property_ids: house.into_iter().collect(),
                created: at,
                modified: at,
            },
        );
        if let Some(contact) = contact {
            data.contact_family
                .profiles
                .entry(contact)
                .or_default()
                .lead = Some((id, "ZOOPLA".into()));
        }
    }
}
