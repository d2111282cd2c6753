//! Property-management helpers against the simulator: the typed charge forms (request shapes
//! pinned by insta snapshots and checked against Zoopla's spec) and a property created once
//! even when Alto's answer is lost after it committed.

mod workflow_support;

use alto::charges::{ChargeType, NewPropertyCharge, NewTenancyCharge, PaymentMethod, VatRate};
use alto::contacts::Address;
use alto::documents::Upload;
use alto::ids::{ContactId, PropertyId, SupplierId, TenancyId, TenantId};
use alto::properties::{Market, NewProperty};
use alto::AltoError;
use alto_sim::Faults;
use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use insta::assert_json_snapshot;
use workflow_support::{assert_conforms, sandbox, sandbox_with_faults, shape, Setup};

/// The seeded let flat, its landlord, tenancy and first tenant, and a supplier: the demo
/// records of the sandbox agency.
struct Demo {
    flat: PropertyId,
    landlord: ContactId,
    tenancy: TenancyId,
    tenant: TenantId,
    supplier: SupplierId,
}

async fn demo(s: &Setup) -> Demo {
    let tenancy = s
        .agency
        .tenancies()
        .list()
        .try_next()
        .await
        .unwrap()
        .expect("a demo tenancy");
    let tenancy_id = TenancyId::new(tenancy.id.unwrap().into());
    let tenants = s.agency.tenancies().tenants(tenancy_id).await.unwrap();
    let flat = PropertyId::new(tenancy.property_id.unwrap().into());
    let detail = s.agency.properties().get(flat).await.unwrap();
    let landlord = detail.owners.unwrap()[0].contact_id.unwrap();
    let suppliers = s
        .agency
        .raw()
        .list_suppliers()
        .send()
        .await
        .unwrap()
        .into_inner();
    let supplier = suppliers.items.unwrap()[0].id.clone().unwrap();
    Demo {
        flat,
        landlord: ContactId::new(landlord.into()),
        tenancy: tenancy_id,
        tenant: tenants[0].tenant,
        supplier: SupplierId::new(supplier.parse().unwrap()),
    }
}

#[tokio::test]
async fn a_property_charge_is_a_typed_form_with_its_invoice() {
    let s = sandbox().await;
    let d = demo(&s).await;
    s.take_requests();
    let charge = NewPropertyCharge::new(ChargeType::GasSafetyCheck)
        .date(Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap())
        .description("Annual gas safety certificate")
        .net(75.0)
        .vat(15.0, VatRate::Standard)
        .supplier(d.supplier)
        .invoice_reference("AGH-2291")
        .invoice(Upload::bytes(
            "gas-safety-invoice.pdf",
            b"%PDF-1.4 invoice".to_vec(),
        ));
    let created = s.agency.properties().charge(d.flat, charge).await.unwrap();
    assert_eq!(created.property_id, Some(d.flat.to_string()));
    assert_eq!(
        (created.total_net, created.total_vat),
        (Some(75.0), Some(15.0))
    );
    assert_eq!(created.supplier_id, Some(d.supplier.to_string()));
    let invoice = created
        .invoice_document_id
        .clone()
        .expect("the invoice is kept");
    let requests = s.take_requests();
    assert_json_snapshot!("property_charge", shape(&requests[0]));
    assert_conforms(&requests);

    // The invoice is one of the flat's documents.
    let documents: Vec<_> = s
        .agency
        .documents()
        .of_property(d.flat, Default::default())
        .try_collect()
        .await
        .unwrap();
    assert!(
        documents
            .iter()
            .any(|doc| doc.id.as_deref() == Some(invoice.as_str())),
        "{documents:?}"
    );
    assert_eq!(s.sim.charges(None).len(), 1);
}

#[tokio::test]
async fn a_tenancy_charge_is_a_typed_form_naming_its_tenant() {
    let s = sandbox().await;
    let d = demo(&s).await;
    s.take_requests();
    let charge = NewTenancyCharge::new(ChargeType::CheckInFee)
        .date(Utc.with_ymd_and_hms(2026, 12, 14, 0, 0, 0).unwrap())
        .description("Check-in and inventory")
        .net(100.0)
        .vat(20.0, VatRate::Standard)
        .tenant(d.tenant)
        .paid_by(PaymentMethod::Bacs, Some("SHAH-CHECKIN".into()))
        .send_docs(true)
        .raise_in_advance_days(7);
    let created = s
        .agency
        .tenancies()
        .charge(d.tenancy, charge)
        .await
        .unwrap();
    assert_eq!(created.tenancy_id, Some(d.tenancy.to_string()));
    assert_eq!(created.tenant_id, Some(d.tenant.to_string()));
    assert_eq!(created.payment_reference.as_deref(), Some("SHAH-CHECKIN"));
    let requests = s.take_requests();
    assert_json_snapshot!("tenancy_charge", shape(&requests[0]));
    assert_conforms(&requests);

    // Refused before sending: a negative amount. Refused by Alto: a tenant of another tenancy.
    let negative = NewTenancyCharge::new(ChargeType::Cleaning).net(-5.0);
    let refused = s
        .agency
        .tenancies()
        .charge(d.tenancy, negative)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, AltoError::InvalidRequest { .. }),
        "{refused:?}"
    );
    assert!(s.take_requests().is_empty(), "nothing was sent");
    let stranger = NewTenancyCharge::new(ChargeType::Cleaning).tenant(TenantId::new(1));
    let refused = s
        .agency
        .tenancies()
        .charge(d.tenancy, stranger)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("400"), "{refused}");
    assert_eq!(
        s.sim.charges(None).len(),
        1,
        "only the first charge was made"
    );
}

#[tokio::test]
async fn a_property_whose_answer_is_lost_after_commit_is_created_once() {
    let s = sandbox_with_faults(Faults::default().lose_answers_after_commit(
        "POST",
        "/inventory/new",
        1,
    ))
    .await;
    let d = demo(&s).await;
    let address = Address::new("Flat 2, 9", "Walcot Street", "Bath", "BA1 5BG");
    let property = NewProperty::new(address.clone(), Market::Rent, d.landlord);
    let before = s.sim.counts(None).properties;

    let (id, created) = s
        .agency
        .properties()
        .create_or_existing(&property)
        .await
        .unwrap();
    assert!(created, "this call made it, though its answer was lost");
    assert_eq!(s.sim.counts(None).properties, before + 1, "created once");
    let posts = s
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/inventory/new")
        .count();
    assert_eq!(posts, 1, "found by lookup, not sent again");

    // Asked again, it is found, not created; the same address with another owner is not it.
    let again = s
        .agency
        .properties()
        .create_or_existing(&property)
        .await
        .unwrap();
    assert_eq!(again, (id, false));
    assert_eq!(s.sim.counts(None).properties, before + 1);
    let detail = s.agency.properties().get(id).await.unwrap();
    assert_eq!(
        detail.address.unwrap().street.as_deref(),
        Some("Walcot Street")
    );
}
