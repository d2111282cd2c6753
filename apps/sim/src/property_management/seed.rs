//! Demo property-management records: the flat's key sets, three local suppliers, management
//! events on the flat and its tenancy, and the tenancy's opening meter readings. Ids come from
//! [`AgencyData::next_seed_id`], so the ids of records created later stay as they were.

use alto::raw::types;
use chrono::{Duration, Utc};

use super::records::{EventRec, KeySetRec, MeterReadingRec, SupplierRec};
use crate::store::AgencyData;

/// Seeds the demo records around the let flat, the house for sale and the flat's tenancy.
pub(crate) fn seed(data: &mut AgencyData, [flat, house]: [i64; 2], tenancy: i64, landlord: i64) {
    let now = Utc::now();
    let key_sets = [
        (
            flat,
            "Front door and communal entrance",
            "K-BA2-014",
            2,
            types::KeySetStatus::In,
            None,
        ),
        (
            flat,
            "Landlord's spare set",
            "K-BA2-014-S",
            1,
            types::KeySetStatus::Out,
            Some((types::AltoKeySetHolderType::Contact, landlord)),
        ),
        (
            house,
            "Viewing set",
            "K-BS6-007",
            3,
            types::KeySetStatus::In,
            None,
        ),
    ];
    for (property_id, description, code, count, status, holder) in key_sets {
        let id = data.next_seed_id();
        let out = holder.is_some();
        data.management.key_sets.insert(
            id,
            KeySetRec {
                id,
                property_id,
                description: Some(description.into()),
                reference_code: Some(code.into()),
                key_count: count,
                status,
                notes: None,
                holder,
                date_out: out.then(|| now - Duration::days(6)),
                expected_date_in: out.then(|| now + Duration::days(8)),
            },
        );
    }
    let branch = data.branches.first().map_or(0, |b| b.id);
    let suppliers = [
        (
            "Avon Gas & Heating Ltd",
            ("Mr", "Gareth", "Lewis"),
            "0117 496 0123",
            ("Unit 4", "Brislington Trading Estate", "Bristol", "BS4 5PY"),
            vec!["GasSafetyCheck", "Plumbing"],
            vec![flat],
        ),
        (
            "Bath Sparks Electrical",
            ("Ms", "Rachel", "Evans"),
            "01225 496 0456",
            ("22", "Lower Bristol Road", "Bath", "BA2 3BQ"),
            vec!["Electrical", "ElectricalSafetyCheck"],
            vec![flat, house],
        ),
        (
            "Clifton Cleaning Co",
            ("Mrs", "Joanne", "Price"),
            "0117 496 0789",
            ("3", "Princess Victoria Street", "Bristol", "BS8 4BX"),
            vec!["Cleaning"],
            vec![],
        ),
    ];
    for (
        company,
        (title, forename, surname),
        phone,
        (number, street, town, postcode),
        services,
        properties,
    ) in suppliers
    {
        let id = data.next_seed_id();
        let domain: String = company
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .flat_map(char::to_lowercase)
            .collect();
        data.management.suppliers.insert(
            id,
            SupplierRec {
                id,
                branch_id: branch,
                company_name: company.into(),
                contact: (title.into(), forename.into(), surname.into()),
                email: format!("{}@{domain}.example.co.uk", forename.to_lowercase()),
                phone: phone.into(),
                address: types::SdkAddress {
                    name_number: Some(number.into()),
                    street: Some(street.into()),
                    town: Some(town.into()),
                    postcode: Some(postcode.into()),
                    country_code: Some("GB".into()),
                    ..Default::default()
                },
                services: services.into_iter().map(String::from).collect(),
                property_ids: properties,
            },
        );
    }
    let events = [
        (
            "GasSafetyCheck",
            Some(flat),
            None,
            Some("Annual gas safety check; Avon Gas & Heating to attend."),
            20,
            types::ManagementEventPriority::High,
            types::ManagementEventStatus::Pending,
        ),
        (
            "RentReview",
            Some(flat),
            Some(tenancy),
            Some("Review the rent before the tenancy's first anniversary."),
            300,
            types::ManagementEventPriority::Normal,
            types::ManagementEventStatus::Pending,
        ),
        (
            "Inspection",
            Some(flat),
            None,
            Some("Mid-term inspection: no issues found."),
            -30,
            types::ManagementEventPriority::Low,
            types::ManagementEventStatus::Complete,
        ),
    ];
    for (kind, property_id, tenancy_id, notes, due_in_days, priority, status) in events {
        let id = data.next_seed_id();
        let due = now + Duration::days(due_in_days);
        let complete = status == types::ManagementEventStatus::Complete;
        data.management.events.insert(
            id,
            EventRec {
                id,
                event_type: kind.into(),
                property_id,
                tenancy_id,
                branch_id: Some(branch),
                notes: notes.map(String::from),
                due: Some(due),
                completed: complete.then_some(due),
                priority,
                status,
                created: now - Duration::days(40),
                modified: now - Duration::days(if complete { 30 } else { 40 }),
            },
        );
    }
    let readings = [
        (types::TenancyUtilityReadingUtilityType::Electricity, 48_213),
        (types::TenancyUtilityReadingUtilityType::Gas, 7_902),
    ];
    for (utility, value) in readings {
        let id = data.next_seed_id();
        data.management.meter_readings.insert(
            id,
            MeterReadingRec {
                tenancy_id: tenancy,
                utility,
                values: types::TenancyUtilityReading {
                    id: Some(id.to_string()),
                    in_value: Some(value),
                    utility_type: Some(utility),
                    ..Default::default()
                },
            },
        );
    }
}
