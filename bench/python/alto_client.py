"""A small Alto client of the seed's shape (requests.Session, one method per call, JSON in and
out), used only as the baseline of the CPU-per-request comparison in docs/performance.md."""

import requests


class AltoClient:
    """Token once, then bearer calls; AgencyRef only when given (production)."""

    def __init__(self, base_url, token_url, client_id, client_secret, agency_ref=None):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        answer = self.session.post(
            token_url,
            auth=(client_id, client_secret),
            data={"grant_type": "client_credentials"},
            timeout=30,
        )
        answer.raise_for_status()
        self.session.headers["Authorization"] = "Bearer " + answer.json()["access_token"]
        if agency_ref:
            self.session.headers["AgencyRef"] = agency_ref
        self.requests = 0

    def _call(self, method, path, **kwargs):
        self.requests += 1
        response = self.session.request(method, self.base_url + path, timeout=30, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def create_contact(self, contact):
        return self._call("POST", "/contacts", json=contact)

    def get_contact(self, contact_id):
        return self._call("GET", f"/contacts/{contact_id}")

    def create_property(self, prop):
        return self._call("POST", "/inventory/new", json=prop)

    def get_reference_checks(self, created_from):
        params = {"CreatedFrom": created_from, "MaxResults": 100}
        return self._call("GET", "/ReferenceChecks", params=params)

    def update_reference_check_status(self, check_id, status):
        return self._call("PATCH", f"/ReferenceChecks/{check_id}", json={"status": status})

    def get_tenant_ids(self, tenancy_id):
        return self._call("GET", f"/tenancies/{tenancy_id}/tenantIds")

    def create_viewing(self, viewing):
        return self._call("POST", "/appointments/viewings", json=viewing)
