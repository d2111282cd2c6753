//! Offers and sales progressions: `GET /offers/sales-offer/{offerId}`, `GET /sales-progressions`
//! (filtered, sorted, paged with `NextToken`/`MaxResults`) and `GET /sales-progressions/{offerId}`
//! (the progression with its milestones).
//!
//! A sales progression is the life of an accepted sale offer up to completion; its id is the
//! offer's.

use alto::raw::types;
use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use axum::{Extension, Json, Router};

use crate::paging::PageRequest;
use crate::params::Params;
use crate::problem::ApiError;
use crate::sales_store::{OfferRec, ProgressionRec, SolicitorRec, PROGRESSION_STATUSES};
use crate::simulator::RunningSimulator;
use crate::state::{AgencyKey, AppState};
use crate::store::{AgencyData, ContactRec};

/// The routes of offers and sales progressions.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/offers/sales-offer/{offerId}", get(sales_offer))
        .route("/sales-progressions", get(list))
        .route("/sales-progressions/{offerId}", get(progression))
}

fn contact_name(c: &ContactRec) -> String {
    c.people
        .iter()
        .map(|p| {
            [
                p.title.as_deref(),
                p.forename.as_deref(),
                Some(p.surname.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

fn negotiator(data: &AgencyData, id: Option<i64>) -> Option<&crate::store::NegotiatorRec> {
    id.and_then(|id| data.negotiators.iter().find(|n| n.id == id))
}

fn to_offer(data: &AgencyData, o: &OfferRec) -> types::Offer {
    let contacts: Vec<serde_json::Value> = o
        .contact_ids
        .iter()
        .map(|id| {
            serde_json::json!({
                "id": id,
                "name": data.contacts.get(id).map(contact_name),
                "type": "Applicant",
            })
        })
        .collect();
    let progressor = data
        .sales
        .progressions
        .get(&o.id)
        .and_then(|p| negotiator(data, p.progressor_id));
    types::Offer {
        branch_id: o.branch_id.map(|b| b.to_string()),
        contacts_json: Some(serde_json::Value::from(contacts).to_string()),
        currency_code: Some("GBP".into()),
        effective_date: Some(o.effective),
        id: Some(o.id.to_string()),
        insert_date: Some(o.created),
        modified_date: Some(o.modified),
        offer_amount: Some(o.amount),
        owner_id: o.negotiator_id.and_then(|n| i32::try_from(n).ok()),
        property_id: Some(o.property_id.to_string()),
        record_type: Some(o.record_type),
        sales_progressor_name: progressor.map(|n| n.name.clone()),
        status: Some(o.status),
    }
}

fn to_company(s: &SolicitorRec) -> types::CompanyResponse {
    types::CompanyResponse {
        address: Some(s.address.clone()),
        company_name: Some(s.company_name.clone()),
        email: Some(s.email.clone()),
        id: Some(s.id.to_string()),
        name: Some(s.contact_name.clone()),
        phone: Some(s.phone.clone()),
    }
}

fn to_contact(id: i64, kind: &str) -> types::ContactResponse {
    types::ContactResponse {
        broker: None,
        id: Some(id.to_string()),
        links: Some(vec![types::Link {
            href: Some(format!("/contacts/{id}")),
            rel: Some("self".into()),
        }]),
        type_: Some(kind.into()),
    }
}

/// A progression as `GET /sales-progressions/{offerId}` answers it (the list drops the
/// milestones).
fn to_agreed(data: &AgencyData, p: &ProgressionRec) -> types::AgreedOfferWithMilestones {
    let offer = data.sales.offers.get(&p.offer_id);
    let solicitor = |id: Option<i64>| {
        id.and_then(|id| data.sales.solicitors.get(&id))
            .map(to_company)
    };
    let mut contacts: Vec<types::ContactResponse> = offer
        .map(|o| {
            o.contact_ids
                .iter()
                .map(|c| to_contact(*c, "Buyer"))
                .collect()
        })
        .unwrap_or_default();
    if let Some(o) = offer {
        contacts.extend(
            data.owners_of(o.property_id)
                .map(|owner| to_contact(owner.contact_id, "Vendor")),
        );
    }
    let progressor = negotiator(data, p.progressor_id).map(|n| types::SecurityUserResponse {
        address: None,
        email: Some(n.email.clone()),
        id: Some(n.id.to_string()),
        name: Some(n.name.clone()),
        phone: Some(n.phone.clone()),
    });
    let milestones = p
        .milestones
        .iter()
        .map(|m| types::Milestone {
            branch_id: offer.and_then(|o| o.branch_id).map(|b| b.to_string()),
            completed_date: m.completed,
            customization: None,
            description: Some(m.description.clone()),
            id: Some(m.id.to_string()),
            notes: m.notes.clone(),
            ordering: Some(m.ordering),
            priority: Some(m.priority.clone()),
            status: Some(
                if m.completed.is_some() {
                    "Completed"
                } else {
                    "Pending"
                }
                .into(),
            ),
            sub_type_id: Some(m.sub_type_id),
            target_date: m.target,
            type_: Some(m.kind.clone()),
        })
        .collect();
    types::AgreedOfferWithMilestones {
        branch_id: offer.and_then(|o| o.branch_id).map(|b| b.to_string()),
        buyer_solicitor: solicitor(p.buyer_solicitor),
        completion_date: p.completion,
        contacts: Some(contacts),
        currency_code: Some("GBP".into()),
        estimated_exchange_date: p.estimated_exchange,
        exchange_date: p.exchanged,
        id: Some(p.offer_id.to_string()),
        milestones: Some(milestones),
        offer_agreed_date: Some(p.agreed),
        offer_amount: offer.map(|o| o.amount),
        property_id: offer.map(|o| o.property_id.to_string()),
        sales_progressor: progressor,
        status: Some(p.status.into()),
        vendor_solicitor: solicitor(p.vendor_solicitor),
    }
}

fn without_milestones(a: types::AgreedOfferWithMilestones) -> types::AgreedOffer {
    types::AgreedOffer {
        branch_id: a.branch_id,
        buyer_solicitor: a.buyer_solicitor,
        completion_date: a.completion_date,
        contacts: a.contacts,
        currency_code: a.currency_code,
        estimated_exchange_date: a.estimated_exchange_date,
        exchange_date: a.exchange_date,
        id: a.id,
        offer_agreed_date: a.offer_agreed_date,
        offer_amount: a.offer_amount,
        property_id: a.property_id,
        sales_progressor: a.sales_progressor,
        status: a.status,
        vendor_solicitor: a.vendor_solicitor,
    }
}

/// `GET /offers/sales-offer/{offerId}`: a sale offer; 404 for an unknown id or a letting offer.
pub(crate) async fn sales_offer(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::Offer>, ApiError> {
    let data = state.data(&agency);
    let offer = id
        .trim()
        .parse::<i32>()
        .ok()
        .and_then(|n| data.sales.offers.get(&i64::from(n)))
        .filter(|o| o.record_type == types::OfferRecordType::Sale)
        .ok_or_else(|| ApiError::not_found("Sales offer", &id))?;
    Ok(Json(to_offer(&data, offer)))
}

/// `GET /sales-progressions/{offerId}`: the progression with its milestones. The operation
/// declares no 404, so an unknown offer id (or one never agreed) answers 400 naming it.
pub(crate) async fn progression(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    Path(id): Path<String>,
) -> Result<Json<types::AgreedOfferWithMilestones>, ApiError> {
    let data = state.data(&agency);
    let offer_id: i64 = id
        .trim()
        .parse()
        .map_err(|_| ApiError::field("offerId", format!("The value '{id}' is not valid.")))?;
    let p = data.sales.progressions.get(&offer_id).ok_or_else(|| {
        ApiError::field(
            "offerId",
            format!("Offer {offer_id} has no sales progression for this agency."),
        )
    })?;
    Ok(Json(to_agreed(&data, p)))
}

/// What `GET /sales-progressions` selects.
struct Criteria {
    property: Option<i64>,
    branches: Vec<i64>,
    conveyancer: Option<i64>,
    negotiator: Option<i64>,
    status: Option<i64>,
    text: Option<String>,
}

impl Criteria {
    fn from_params(params: &Params) -> Result<Self, ApiError> {
        Ok(Self {
            property: params.int("PropertyId")?,
            branches: params.ints("BranchId")?,
            conveyancer: params.int("ConveyancerId")?,
            negotiator: params.int("NegotiatorId")?,
            status: params.int("StatusId")?,
            text: params.get("FTSQuery").map(str::to_lowercase),
        })
    }

    fn matches(&self, data: &AgencyData, p: &ProgressionRec) -> bool {
        let offer = data.sales.offers.get(&p.offer_id);
        let property = offer.map(|o| o.property_id);
        let branch = offer.and_then(|o| o.branch_id);
        let status_ok = self.status.is_none_or(|n| {
            usize::try_from(n - 1)
                .ok()
                .and_then(|i| PROGRESSION_STATUSES.get(i))
                == Some(&p.status)
        });
        self.property.is_none_or(|id| property == Some(id))
            && (self.branches.is_empty() || branch.is_some_and(|b| self.branches.contains(&b)))
            && self
                .conveyancer
                .is_none_or(|c| p.buyer_solicitor == Some(c) || p.vendor_solicitor == Some(c))
            && self.negotiator.is_none_or(|n| p.progressor_id == Some(n))
            && status_ok
            && self
                .text
                .as_deref()
                .is_none_or(|t| searchable_text(data, p).contains(t))
    }
}

/// What `FTSQuery` searches: the address, the parties' names and the solicitors' firms.
fn searchable_text(data: &AgencyData, p: &ProgressionRec) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(o) = data.sales.offers.get(&p.offer_id) {
        if let Some(prop) = data.properties.get(&o.property_id) {
            let a = &prop.address;
            parts.extend(
                [&a.name_number, &a.street, &a.town, &a.postcode]
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
        }
        let parties = o
            .contact_ids
            .iter()
            .copied()
            .chain(data.owners_of(o.property_id).map(|w| w.contact_id));
        parts.extend(
            parties
                .filter_map(|c| data.contacts.get(&c))
                .map(contact_name),
        );
    }
    for s in [p.buyer_solicitor, p.vendor_solicitor]
        .into_iter()
        .flatten()
        .filter_map(|id| data.sales.solicitors.get(&id))
    {
        parts.push(s.company_name.clone());
        parts.push(s.contact_name.clone());
    }
    parts.join(" ").to_lowercase()
}

/// The order of `Sort`; the default is the most recently agreed first.
fn sort(data: &AgencyData, items: &mut [&ProgressionRec], by: Option<types::SortType>) {
    let micros =
        |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or(i64::MAX, |t| t.timestamp_micros());
    match by {
        Some(types::SortType::CompletionDate) => {
            items.sort_by_key(|p| (micros(p.completion), p.offer_id))
        }
        Some(types::SortType::EstimatedExchangeDate) => {
            items.sort_by_key(|p| (micros(p.estimated_exchange), p.offer_id));
        }
        Some(types::SortType::Negotiator) => items.sort_by_key(|p| {
            (
                negotiator(data, p.progressor_id).map(|n| n.name.clone()),
                p.offer_id,
            )
        }),
        // Furthest behind first: fewest milestones completed.
        Some(types::SortType::Milestone) => items.sort_by_key(|p| {
            (
                p.milestones
                    .iter()
                    .filter(|m| m.completed.is_some())
                    .count(),
                p.offer_id,
            )
        }),
        Some(types::SortType::OldestToNewest) => items.sort_by_key(|p| (p.agreed, p.offer_id)),
        Some(types::SortType::OfferAcceptedDate) | None => {
            items.sort_by_key(|p| (std::cmp::Reverse(p.agreed), std::cmp::Reverse(p.offer_id)));
        }
    }
}

/// `GET /sales-progressions`: every criterion optional (`BranchId` repeated); `StatusId` n is the
/// n-th of `InProgress`, `Exchanged`, `Completed`, `FallenThrough`; `FTSQuery` searches the
/// address, the buyers' and vendors' names and the solicitors.
pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(agency): Extension<AgencyKey>,
    query: RawQuery,
) -> Result<Json<types::AgreedOfferPagedResults>, ApiError> {
    let params = Params::parse(&query)?;
    let page = PageRequest::from_params(&params, "/sales-progressions", "NextToken", "MaxResults")?;
    let criteria = Criteria::from_params(&params)?;
    let by: Option<types::SortType> = params
        .get("Sort")
        .map(|v| {
            v.parse()
                .map_err(|_| ApiError::field("Sort", format!("The value '{v}' is not valid.")))
        })
        .transpose()?;
    let data = state.data(&agency);
    let mut found: Vec<&ProgressionRec> = data
        .sales
        .progressions
        .values()
        .filter(|p| criteria.matches(&data, p))
        .collect();
    sort(&data, &mut found, by);
    let keyed = found
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("{i:08}"), without_milestones(to_agreed(&data, p))))
        .collect();
    let (items, next) = page.page(keyed);
    Ok(Json(types::AgreedOfferPagedResults {
        items: Some(items),
        meta: Some(types::Meta {
            next_token: next,
            previous_token: None,
        }),
    }))
}

/// What tests can look at.
impl RunningSimulator {
    /// The agency's sales progressions, as `GET /sales-progressions/{offerId}` answers them.
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn sales_progressions(
        &self,
        agency: Option<&str>,
    ) -> Vec<types::AgreedOfferWithMilestones> {
        self.with(agency, |d| {
            d.sales
                .progressions
                .values()
                .map(|p| to_agreed(d, p))
                .collect()
        })
    }

    /// The agency's offers (sale and let), as `GET /offers/sales-offer/{offerId}` answers them.
    ///
    /// # Panics
    /// If the agency is not one of this simulator's.
    pub fn offers(&self, agency: Option<&str>) -> Vec<types::Offer> {
        self.with(agency, |d| {
            d.sales.offers.values().map(|o| to_offer(d, o)).collect()
        })
    }
}
