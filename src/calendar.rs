//! iCalendar (`.ics`, RFC 5545) export of a negotiator's or a property's appointments.
//!
//! Times are written as Alto's diary keeps them, UK local time: `DTSTART;TZID=Europe/London:…`
//! with the `Europe/London` `VTIMEZONE` in the file, so calendar programs show what the diary
//! shows on either side of the clock changes, and the RFC's rules for the repeated and the
//! skipped hour are the ones [`crate::appointments::diary_time`] applies.
//!
//! Each event carries a stable `UID` (`alto-appointment-{id}-{instance}`), so importing a newer
//! export updates events instead of duplicating them; `ATTENDEE`s are the negotiators and
//! contacts (a `mailto:` when Alto has an email, else an `urn:alto:` id); `LOCATION` is the
//! first property's address.
//!
//! # What an export costs
//!
//! - a negotiator: the diary (one request per page) + `GET /negotiators` (names and emails, one
//!   request per 100 negotiators) + one `GET /contacts/{id}` per distinct contact and one
//!   `GET /inventory/{id}` per distinct property.
//! - a property: Alto has no listing of a property's appointments, so the diaries of **all**
//!   negotiators are read (`GET /negotiators`, then `GET /appointments/negotiators` with up to
//!   [`NEGOTIATORS_PER_DIARY_REQUEST`](crate::appointments::NEGOTIATORS_PER_DIARY_REQUEST)
//!   negotiators per request) and filtered, plus the lookups above. For an agency of N
//!   negotiators that is about `2 + N/50` requests before the lookups; keep the period short.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus, Property};

use crate::appointments::diary_time::{to_local, DIARY_TIME_ZONE};
use crate::appointments::{Appointment, AppointmentLinks, DiarySlot};
use crate::client::AgencyClient;
use crate::error::AltoError;
use crate::ids::{ContactId, NegotiatorId, PropertyId};

/// The `VTIMEZONE` of Europe/London: BST from 01:00 GMT on the last Sunday of March, GMT from
/// 02:00 BST on the last Sunday of October (the rules in force since 1996).
const EUROPE_LONDON: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/London\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0000\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:BST\r\n\
DTSTART:19810329T010000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0000\r\n\
TZNAME:GMT\r\n\
DTSTART:19961027T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// Someone attending: a name and, when Alto has one, an email.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attendee {
    /// Display name (`CN`).
    pub name: String,
    /// Email address, for a `mailto:` attendee.
    pub email: Option<String>,
}

/// Names, emails and addresses for the ids appointments carry. Export without it and events
/// name people and places by id only.
#[derive(Debug, Clone, Default)]
pub struct CalendarDetails {
    negotiators: HashMap<NegotiatorId, Attendee>,
    contacts: HashMap<ContactId, Attendee>,
    places: HashMap<PropertyId, String>,
}

impl CalendarDetails {
    /// Names a negotiator.
    pub fn negotiator(mut self, id: NegotiatorId, who: Attendee) -> Self {
        self.negotiators.insert(id, who);
        self
    }

    /// Names a contact.
    pub fn contact(mut self, id: ContactId, who: Attendee) -> Self {
        self.contacts.insert(id, who);
        self
    }

    /// Gives a property's address.
    pub fn place(mut self, id: PropertyId, address: impl Into<String>) -> Self {
        self.places.insert(id, address.into());
        self
    }
}

/// Writes `appointments` as an iCalendar file named `name` (times in UK local time with the
/// `Europe/London` `VTIMEZONE`). Appointments without a start or end are left out.
///
/// ```
/// use alto::appointments::Appointment;
/// use alto::calendar::{to_ics, CalendarDetails};
/// let viewing = Appointment {
///     id: Some(76543),
///     instance_id: Some(0),
///     title: Some("Viewing: Flat 3".into()),
///     start_date: Some("2026-10-24T10:00:00Z".parse().unwrap()), // diary time, 10:00 BST
///     end_date: Some("2026-10-24T10:30:00Z".parse().unwrap()),
///     ..Default::default()
/// };
/// let ics = to_ics("Diary", &[viewing], &CalendarDetails::default());
/// assert!(ics.contains("DTSTART;TZID=Europe/London:20261024T100000"));
/// assert!(ics.contains("UID:alto-appointment-76543-0"));
/// ```
pub fn to_ics(name: &str, appointments: &[Appointment], details: &CalendarDetails) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//alto-rs//Alto diary export//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    calendar.name(name).timezone(DIARY_TIME_ZONE.name());
    for appointment in appointments {
        if let Some(event) = event(appointment, details) {
            calendar.push(event);
        }
    }
    // icalendar writes no VTIMEZONE; it goes before the first event (RFC 5545 allows any order
    // of calendar components, but some readers want the zone first).
    let text = calendar.to_string();
    let at = text
        .find("BEGIN:VEVENT\r\n")
        .or_else(|| text.rfind("END:VCALENDAR"))
        .unwrap_or(text.len());
    format!("{}{EUROPE_LONDON}{}", &text[..at], &text[at..])
}

fn event(a: &Appointment, details: &CalendarDetails) -> Option<Event> {
    let slot = DiarySlot::of(a)?;
    let local = |t: DateTime<Utc>| CalendarDateTime::WithTimezone {
        date_time: to_local(t),
        tzid: DIARY_TIME_ZONE.name().to_string(),
    };
    let kind = a.type_.map(|k| k.to_string());
    let summary = a
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| kind.clone())
        .unwrap_or_else(|| "Appointment".into());
    let links = AppointmentLinks::of(a);
    let mut event = Event::new();
    event
        .uid(&format!(
            "alto-appointment-{}-{}",
            a.id?,
            a.instance_id.unwrap_or(0)
        ))
        .timestamp(a.modified_date.or(a.created_date).unwrap_or_else(Utc::now))
        .summary(&summary)
        .starts(local(slot.start))
        .ends(local(slot.end))
        .status(if a.is_cancelled == Some(true) {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if let Some(kind) = kind {
        event.add_property("CATEGORIES", kind);
    }
    if let Some(place) = links
        .properties
        .iter()
        .map(|p| {
            details
                .places
                .get(p)
                .cloned()
                .unwrap_or_else(|| format!("Alto property {p}"))
        })
        .next()
    {
        event.location(&place);
    }
    let attendees = links
        .negotiators
        .iter()
        .map(|n| attendee("negotiator", n.0, details.negotiators.get(n)))
        .chain(
            links
                .contacts
                .iter()
                .map(|c| attendee("contact", c.0, details.contacts.get(c))),
        );
    for property in attendees {
        event.append_multi_property(property);
    }
    Some(event.done())
}

fn attendee(kind: &str, id: i64, who: Option<&Attendee>) -> Property {
    let address = match who.and_then(|w| w.email.as_deref()) {
        Some(email) if !email.trim().is_empty() => format!("mailto:{}", email.trim()),
        _ => format!("urn:alto:{kind}:{id}"),
    };
    let name = who
        .map(|w| w.name.trim())
        .filter(|n| !n.is_empty())
        .map(String::from)
        .unwrap_or_else(|| format!("Alto {kind} {id}"));
    Property::new("ATTENDEE", address)
        .add_parameter("CN", &name)
        .add_parameter("CUTYPE", "INDIVIDUAL")
        .add_parameter("ROLE", "REQ-PARTICIPANT")
        .done()
}

/// Refuses a period that does not end after it starts, before anything is sent.
fn check_period(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<(), AltoError> {
    if to <= from {
        return Err(AltoError::InvalidRequest {
            operation: "calendar export".into(),
            detail: format!("the period ends ({to}) before it starts ({from})"),
        });
    }
    Ok(())
}

/// Calendar exports for one agency. Get it with [`AgencyClient::calendar`].
#[derive(Debug, Clone, Copy)]
pub struct CalendarExport<'a> {
    client: &'a AgencyClient,
}

impl AgencyClient {
    /// Calendar exports.
    pub fn calendar(&self) -> CalendarExport<'_> {
        CalendarExport { client: self }
    }
}

impl CalendarExport<'_> {
    /// A negotiator's appointments between `from` and `to` as iCalendar text (cost: see the
    /// [module documentation](self)).
    ///
    /// ```no_run
    /// # async fn demo(agency: &alto::AgencyClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use alto::ids::NegotiatorId;
    /// let from = "2026-10-19T00:00:00Z".parse()?;
    /// let ics = agency.calendar().negotiator(NegotiatorId::new(45678), from, from + chrono::Duration::days(14)).await?;
    /// std::fs::write("diary.ics", ics)?;
    /// # Ok(()) }
    /// ```
    pub async fn negotiator(
        &self,
        negotiator: NegotiatorId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<String, AltoError> {
        check_period(from, to)?;
        let appointments = self
            .client
            .appointments()
            .diary(negotiator, from, to)
            .await?;
        let staff = self.staff().await?;
        let details = self.details(&appointments, staff).await?;
        let name = match details.negotiators.get(&negotiator) {
            Some(who) if !who.name.is_empty() => format!("Alto diary: {}", who.name),
            _ => format!("Alto diary: negotiator {negotiator}"),
        };
        Ok(to_ics(&name, &appointments, &details))
    }

    /// A property's appointments between `from` and `to` (viewings, market appraisals, general
    /// appointments linked to it) as iCalendar text. Reads every negotiator's diary: see the
    /// [module documentation](self) for the cost.
    pub async fn property(
        &self,
        property: PropertyId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<String, AltoError> {
        check_period(from, to)?;
        let staff = self.staff().await?;
        let everyone: Vec<NegotiatorId> = staff.negotiators.keys().copied().collect();
        let appointments: Vec<Appointment> = self
            .client
            .appointments()
            .diary_of(&everyone, from, to)
            .await?
            .into_iter()
            .filter(|a| AppointmentLinks::of(a).properties.contains(&property))
            .collect();
        let details = self.details(&appointments, staff).await?;
        let name = match details.places.get(&property) {
            Some(address) => format!("Alto appointments: {address}"),
            None => format!("Alto appointments: property {property}"),
        };
        Ok(to_ics(&name, &appointments, &details))
    }

    /// Every negotiator's name and email (`GET /negotiators`).
    async fn staff(&self) -> Result<CalendarDetails, AltoError> {
        let negotiators: Vec<_> = self.client.branches().negotiators().try_collect().await?;
        Ok(negotiators
            .into_iter()
            .filter_map(|n| {
                let id = NegotiatorId::new(n.id.as_deref()?.trim().parse().ok()?);
                Some((id, n))
            })
            .fold(CalendarDetails::default(), |d, (id, n)| {
                d.negotiator(
                    id,
                    Attendee {
                        name: n.name.unwrap_or_default(),
                        email: n.email,
                    },
                )
            }))
    }

    /// Contacts' names and emails and properties' addresses, one lookup per distinct id. A
    /// record Alto no longer has (404) stays named by id.
    async fn details(
        &self,
        appointments: &[Appointment],
        mut details: CalendarDetails,
    ) -> Result<CalendarDetails, AltoError> {
        let mut contacts = BTreeSet::new();
        let mut properties = BTreeSet::new();
        for a in appointments {
            let links = AppointmentLinks::of(a);
            contacts.extend(links.contacts);
            properties.extend(links.properties);
        }
        for id in contacts {
            match self.client.contacts().get(id).await {
                Ok(contact) => {
                    let person = contact.people.unwrap_or_default().into_iter().next();
                    let name = person
                        .as_ref()
                        .map(|p| {
                            [
                                p.title.as_deref(),
                                p.forename.as_deref(),
                                p.surname.as_deref(),
                            ]
                            .into_iter()
                            .flatten()
                            .filter(|s| !s.trim().is_empty())
                            .collect::<Vec<_>>()
                            .join(" ")
                        })
                        .unwrap_or_default();
                    let email = person
                        .and_then(|p| p.email_addresses)
                        .and_then(|e| e.into_iter().find_map(|e| e.address));
                    details = details.contact(id, Attendee { name, email });
                }
                Err(AltoError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        for id in properties {
            match self.client.properties().get(id).await {
                Ok(property) => {
                    if let Some(address) = property.address {
                        let text = [
                            address.sub_dwelling,
                            address.name_no,
                            address.street,
                            address.town,
                            address.postcode,
                        ]
                        .into_iter()
                        .flatten()
                        .filter(|s| !s.trim().is_empty())
                        .collect::<Vec<_>>()
                        .join(", ");
                        if !text.is_empty() {
                            details = details.place(id, text);
                        }
                    }
                }
                Err(AltoError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(details)
    }
}
