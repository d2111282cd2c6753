"""The seed's workflow through alto_crm against the embedded simulator: reference checks of the
last 7 days → complete one → contact → property with owner → documents → tenancy tenants and
guarantors → appointment. Each step is checked against what the simulator then holds."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict

import pytest

import alto_crm


def test_reference_checks_of_the_last_7_days_cover_every_page(client: alto_crm.AltoClient) -> None:
    since = datetime.now() - timedelta(days=7)
    checks = client.get_reference_checks(start_date=since)
    assert checks, "the demo data has checks in the last 7 days"
    cutoff = since.astimezone(timezone.utc)
    for check in checks:
        created = datetime.strptime(check["createdDate"][:19], "%Y-%m-%dT%H:%M:%S")
        created = created.replace(tzinfo=timezone.utc)
        assert created >= cutoff - timedelta(seconds=1), check
    # The same listing two at a time through raw(): every page is followed.
    paged = client.raw(
        "get_reference_checks", CreatedFrom=since, MaxResults=2
    )
    assert sorted(c["referenceCheckId"] for c in paged) == sorted(
        c["referenceCheckId"] for c in checks
    )
    assert len(paged) > 2, "more than one page"
    # An end date narrows it; a date or ISO text works as well as a datetime.
    fortnight = client.get_reference_checks(date.today() - timedelta(days=15))
    older = client.get_reference_checks(
        (datetime.now(timezone.utc) - timedelta(days=15)).isoformat(), end_date=since
    )
    assert older and len(older) + len(checks) == len(fortnight)


def test_a_pending_check_is_completed_and_a_bad_status_is_refused(client: alto_crm.AltoClient) -> None:
    checks = client.get_reference_checks(start_date=datetime.now() - timedelta(days=14))
    pending = [c for c in checks if c["status"] == "Pending"]
    assert pending
    check_id = pending[0]["referenceCheckId"]

    client.update_reference_check_status(check_id, "Completed")

    after = client.get_reference_checks(start_date=datetime.now() - timedelta(days=14))
    assert {c["referenceCheckId"]: c["status"] for c in after}[check_id] == "Completed"
    for bad in ("completed", "Cancelled", ""):
        with pytest.raises(ValueError, match="Pending"):
            client.update_reference_check_status(check_id, bad)
    with pytest.raises(ValueError, match="UUID"):
        client.update_reference_check_status("not-a-uuid", "Pending")


def test_contacts_in_the_seed_shape_and_in_altos_own(sim: alto_crm.Simulator, client: alto_crm.AltoClient) -> None:
    before = sim.counts()["contacts"]
    simple = client.create_contact(
        {"firstName": "John", "lastName": "Doe", "email": "john.doe@example.com"}
    )
    fetched = client.get_contact(simple["id"])
    person = fetched["people"][0]
    assert (person["forename"], person["surname"]) == ("John", "Doe")
    assert person["emailAddresses"][0]["address"] == "john.doe@example.com"
    branch = client.get_branches()[0]["branchId"]
    assert fetched["branch"]["id"] == branch, "the agency's first branch by default"

    full = client.create_contact(
        {
            "branchId": branch,
            "people": [
                {"forename": "Ann", "surname": "Lee", "emailAddresses": [{"address": "ann@example.com"}]},
                {"forename": "Bo", "surname": "Lee"},
            ],
        }
    )
    assert len(client.get_contact(int(full["id"]))["people"]) == 2
    assert sim.counts()["contacts"] == before + 2

    with pytest.raises(ValueError, match="lastName"):
        client.create_contact({"firstName": "No", "email": "x@example.com"})
    with pytest.raises(ValueError, match="unknown contact field"):
        client.create_contact({"lastName": "Doe", "nickname": "JD"})
    assert sim.counts()["contacts"] == before + 2, "refused before sending"


def new_property(client: alto_crm.AltoClient, street: str = "Gloucester Road") -> Dict[str, Any]:
    return {
        "address": {
            "nameNumber": "41",
            "street": street,
            "town": "Bristol",
            "postcode": "BS7 8AD",
            "countryCode": "GB",
        },
        "market": "Rent",
        "branchId": int(client.get_branches()[0]["branchId"]),
        "negotiatorId": int(client.get_negotiators()[0]["id"]),
    }


def test_a_property_is_created_with_its_owner_first(sim: alto_crm.Simulator, client: alto_crm.AltoClient) -> None:
    owner = client.create_contact({"firstName": "Eleanor", "lastName": "Whitfield"})
    before = sim.counts()

    property_id = client.create_property(owner_contact_id=owner["id"], property=new_property(client))

    assert isinstance(property_id, int)
    after = sim.counts()
    assert after["properties"] == before["properties"] + 1
    assert after["owners"] == before["owners"] + 1
    detail = client.raw("get_property", inventoryId=property_id)
    assert str(detail["id"]) == str(property_id)

    with pytest.raises(alto_crm.InvalidRequestError):
        client.create_property(owner_contact_id=owner["id"], property={"market": "Nowhere"})
    assert sim.counts()["properties"] == after["properties"]


def test_documents_from_a_path_bytes_and_a_file_object(
    sim: alto_crm.Simulator, client: alto_crm.AltoClient, tmp_path: Path
) -> None:
    owner = client.create_contact({"firstName": "Ida", "lastName": "Docs"})
    property_id = client.create_property(owner_contact_id=owner["id"], property=new_property(client, "Doc Lane"))
    tenancy = client.raw("list_tenancies")[0]["id"]
    pdf = b"%PDF-1.4\n%%EOF\n"
    path = tmp_path / "owner-id.pdf"
    path.write_bytes(pdf)
    before = sim.counts()["documents"]

    ids = [
        client.upload_document(str(path), linked_type=alto_crm.CONTACT, linked_id=owner["id"]),
        client.upload_document(pdf, file_name="gas.pdf", linked_type=alto_crm.PROPERTY, linked_id=property_id),
        client.upload_document(io.BytesIO(pdf), "lease.pdf", linked_type=alto_crm.TENANCY, linked_id=tenancy),
    ]

    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == 3
    assert sim.counts()["documents"] == before + 3
    listed = client.raw("list_documents", linkedType="Contact", linkedId=owner["id"])
    assert [str(d["id"]) for d in listed] == [str(ids[0])]
    with pytest.raises(ValueError, match="file_name"):
        client.upload_document(pdf, linked_type=alto_crm.CONTACT, linked_id=owner["id"])
    with pytest.raises(alto_crm.InvalidRequestError, match="empty"):
        client.upload_document(b"", "empty.pdf", linked_type=alto_crm.CONTACT, linked_id=owner["id"])
    assert sim.counts()["documents"] == before + 3


def test_tenancy_tenants_and_their_guarantors(client: alto_crm.AltoClient) -> None:
    tenancy = client.raw("list_tenancies")[0]["id"]
    tenants = client.get_tenant_ids(tenancy)
    assert tenants and all(set(t) == {"tenantId", "contactId"} for t in tenants)
    guarantors = [g for t in tenants for g in client.get_guarantor_ids(t["tenantId"])]
    assert guarantors, "the demo tenancy has a guaranteed tenant"
    for g in guarantors:
        assert client.get_contact(g["guarantorContactId"])["id"] == str(g["guarantorContactId"])


def test_an_appointment_links_a_property_and_contacts(sim: alto_crm.Simulator, client: alto_crm.AltoClient) -> None:
    owner = client.create_contact({"firstName": "Olu", "lastName": "Owner"})
    property_id = client.create_property(owner_contact_id=owner["id"], property=new_property(client, "View Street"))
    applicants = [
        client.create_contact({"firstName": "Dan", "lastName": "Okafor"})["id"],
        client.create_contact({"firstName": "Grace", "lastName": "Okafor"})["id"],
    ]
    start = datetime(2027, 6, 1, 10, 0, tzinfo=timezone.utc)
    before = sim.counts()["appointments"]

    appointment = client.create_appointment(property_id, applicants, start, start + timedelta(minutes=30), notes="Viewing")

    assert isinstance(appointment, int)
    assert sim.counts()["appointments"] == before + 1
    booked = client.raw("get_appointment", appointmentId=appointment, instanceId=0)
    assert {str(p["id"]) for p in booked["properties"]} == {str(property_id)}
    with pytest.raises(ValueError, match="at least one contact"):
        client.create_appointment(property_id, [], start, start + timedelta(minutes=30))
