"""The seed workflow, repeated: prints {"requests": N, "cpu_seconds": S} for the loop alone
(process CPU time, user + system; interpreter start-up and imports excluded).

Run by `cargo bench --bench ratios` (section cpu), which starts the simulator and passes its
URLs, credentials and record ids."""

import argparse
import json
import time
from datetime import datetime, timedelta, timezone

from alto_client import AltoClient


def main():
    p = argparse.ArgumentParser()
    for name in ("base-url", "token-url", "client-id", "client-secret"):
        p.add_argument("--" + name, required=True)
    for name in ("branch", "negotiator", "tenancy", "iterations"):
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--check", required=True)
    p.add_argument("--tag", default="py")
    a = p.parse_args()

    client = AltoClient(a.base_url, a.token_url, a.client_id, a.client_secret)
    since = (datetime.now(timezone.utc) - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    day = datetime(2027, 6, 1, 9, 0, tzinfo=timezone.utc)
    started = time.process_time()
    for i in range(a.iterations):
        email = f"{a.tag}-{i}@example.test"
        contact = client.create_contact({
            "branchId": str(a.branch),
            "people": [{"forename": "Ada", "surname": f"Bench{i}",
                        "emailAddresses": [{"address": email}]}],
        })
        contact_id = int(contact["id"])
        client.get_contact(contact_id)
        prop = client.create_property({
            "address": {"nameNumber": str(i), "street": "Bench Street", "town": "Bristol",
                        "postcode": "BS1 1AA", "countryCode": "GB"},
            "branchId": a.branch, "market": "Rent", "negotiatorId": a.negotiator,
            "owners": [{"contactId": contact_id}],
        })
        property_id = int(prop) if not isinstance(prop, dict) else int(prop["id"])
        client.get_reference_checks(since)
        client.update_reference_check_status(a.check, "Completed" if i % 2 else "Pending")
        client.get_tenant_ids(a.tenancy)
        start = day + timedelta(minutes=30 * i)
        client.create_viewing({
            "propertyId": property_id, "applicantIds": [contact_id],
            "negotiatorId": a.negotiator,
            "startDate": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "endDate": (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "isConfirmed": True,
        })
    cpu = time.process_time() - started
    print(json.dumps({"requests": client.requests, "cpu_seconds": cpu}))


if __name__ == "__main__":
    main()
