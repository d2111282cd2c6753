//! Diary helpers over HTTP on loopback, against the simulator: appointment sub-types,
//! valuations, one appointment, several attendees, rescheduling, and the iCalendar export —
//! each helper's requests pinned by an insta snapshot and checked against Zoopla's spec; the
//! `.ics` read back with an independent parser (the `ical` crate).

mod workflow_support;

use alto::appointments::{
    AppointmentLinks, DiarySlot, NewGeneralAppointment, NewMarketAppraisal, NewViewing,
    ValuationFilter,
};
use alto::calendar::{to_ics, CalendarDetails};
use alto::contacts::{Address, NewContact, NewPerson};
use alto::ids::{AppointmentId, BranchId, ContactId, NegotiatorId, PropertyId};
use alto::properties::{Market, PropertyDetails};
use alto::AltoError;
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use futures::TryStreamExt;
use insta::assert_json_snapshot;
use workflow_support::{assert_conforms, sandbox, shape, Setup};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// A property with its owner, two applicants and every negotiator of the sandbox agency.
struct Diary {
    property: PropertyId,
    owner: ContactId,
    applicants: [ContactId; 2],
    negotiators: Vec<NegotiatorId>,
}

impl Diary {
    /// A 30-minute viewing of the property by the first applicant with the first negotiator.
    fn viewing_at(&self, start: DateTime<Utc>) -> NewViewing {
        NewViewing::new(
            self.property,
            self.applicants[0],
            self.negotiators[0],
            start,
            start + Duration::minutes(30),
        )
    }
}

async fn diary(s: &Setup, street_number: &str) -> Diary {
    let branch = s
        .agency
        .branches()
        .list()
        .try_next()
        .await
        .unwrap()
        .unwrap();
    let branch = BranchId::new(branch.branch_id.unwrap().parse().unwrap());
    let negotiators: Vec<NegotiatorId> = s
        .agency
        .branches()
        .negotiators()
        .map_ok(|n| NegotiatorId::new(n.id.unwrap().parse().unwrap()))
        .try_collect()
        .await
        .unwrap();
    assert!(
        negotiators.len() >= 2,
        "the sandbox has several negotiators"
    );
    let owner = NewContact::new(
        branch,
        NewPerson::new("Whitfield")
            .forename("Eleanor")
            .email("eleanor.whitfield@example.co.uk"),
    )
    .potential_landlord();
    let created = s
        .agency
        .properties()
        .create_with_new_owner(
            &owner,
            PropertyDetails {
                address: Address::new(street_number, "Gloucester Road", "Bristol", "BS7 8AD"),
                market: Market::Rent,
                branch: Some(branch),
                negotiator: Some(negotiators[0]),
            },
        )
        .await
        .unwrap();
    let mut applicants = Vec::new();
    for (forename, surname) in [("Daniel", "Okafor"), ("Priya", "Shah")] {
        let email = format!("{forename}.{surname}.{street_number}@example.com").to_lowercase();
        let c = s
            .agency
            .contacts()
            .create(&NewContact::new(
                branch,
                NewPerson::new(surname).forename(forename).email(email),
            ))
            .await
            .unwrap();
        applicants.push(ContactId::parse("t", c.id.as_deref()).unwrap());
    }
    Diary {
        property: created.property,
        owner: created.owner,
        applicants: [applicants[0], applicants[1]],
        negotiators,
    }
}

#[tokio::test]
async fn appointment_sub_types_are_typed() {
    let s = sandbox().await;
    s.take_requests();
    let types = s.agency.appointments().sub_types().await.unwrap();
    assert!(types.len() >= 2);
    let meeting = types.iter().find(|t| t.name == "Meeting").expect("Meeting");
    assert_eq!(meeting.id, 1);
    let requests = s.take_requests();
    assert_eq!(requests.len(), 1);
    assert_json_snapshot!("diary_sub_types", shape(&requests[0]));
    assert_conforms(&requests);
}

#[tokio::test]
async fn several_applicants_and_several_negotiators_are_booked_and_read_back() {
    let s = sandbox().await;
    let d = diary(&s, "41").await;
    let start = utc("2026-06-10T09:00:00Z"); // 10:00 BST
    let end = start + Duration::minutes(30);
    let viewing = NewViewing::new(d.property, d.applicants[0], d.negotiators[0], start, end)
        .and_applicant(d.applicants[1]);
    let viewing = s
        .agency
        .appointments()
        .create_viewing(&viewing)
        .await
        .unwrap();
    let sub_type = s.agency.appointments().sub_types().await.unwrap()[0].id;
    let general = NewGeneralAppointment::new(
        d.negotiators[0],
        sub_type,
        d.property,
        d.owner,
        start + Duration::hours(2),
        end + Duration::hours(2),
    )
    .and_negotiator(d.negotiators[1])
    .and_contact(d.applicants[0]);
    let general = s
        .agency
        .appointments()
        .create_general(&general)
        .await
        .unwrap();
    s.take_requests();

    let got = s.agency.appointments().get(viewing, 0).await.unwrap();
    let links = AppointmentLinks::of(&got);
    assert_eq!(links.contacts, d.applicants.to_vec());
    assert_eq!(links.negotiators, vec![d.negotiators[0]]);
    assert_eq!(links.properties, vec![d.property]);
    assert_eq!(
        DiarySlot::of(&got),
        Some(DiarySlot { start, end }),
        "UK local diary time read back as the instant booked"
    );
    assert_eq!(
        got.start_date,
        Some(utc("2026-06-10T10:00:00Z")),
        "diary digits are BST"
    );
    let got_general = s.agency.appointments().get(general, 0).await.unwrap();
    let links = AppointmentLinks::of(&got_general);
    assert_eq!(links.negotiators, d.negotiators[..2].to_vec());
    assert_eq!(links.contacts, vec![d.owner, d.applicants[0]]);

    let both = s
        .agency
        .appointments()
        .diary_of(
            &d.negotiators[..2],
            start - Duration::hours(1),
            end + Duration::hours(3),
        )
        .await
        .unwrap();
    let ids: Vec<_> = both.iter().filter_map(|a| a.id).collect();
    assert_eq!(
        ids.iter().filter(|&&id| id == general.0).count(),
        1,
        "an appointment of two negotiators is listed once: {ids:?}"
    );
    assert!(ids.contains(&viewing.0));
    let second = s
        .agency
        .appointments()
        .diary(
            d.negotiators[1],
            start - Duration::hours(1),
            end + Duration::hours(3),
        )
        .await
        .unwrap();
    assert_eq!(
        second.iter().filter_map(|a| a.id).collect::<Vec<_>>(),
        vec![general.0],
        "the second negotiator's diary has the general appointment only"
    );
    let requests = s.take_requests();
    assert_json_snapshot!("diary_get_appointment", shape(&requests[0]));
    assert_json_snapshot!("diary_of_two_negotiators", shape(&requests[2]));
    assert_conforms(&requests);

    // Bad input: nothing is sent.
    let err = s.agency.appointments().get(viewing, -1).await.unwrap_err();
    assert!(matches!(err, AltoError::InvalidRequest { .. }), "{err}");
    let err = s
        .agency
        .appointments()
        .diary_of(&d.negotiators, end, start)
        .await
        .unwrap_err();
    assert!(matches!(err, AltoError::InvalidRequest { .. }), "{err}");
    assert!(
        s.take_requests().is_empty(),
        "bad input is refused before sending"
    );
    let missing = s
        .agency
        .appointments()
        .get(AppointmentId::new(1), 0)
        .await
        .unwrap_err();
    assert!(matches!(missing, AltoError::NotFound { .. }), "{missing}");
}

#[tokio::test]
async fn valuations_are_listed_by_creation_time_and_negotiator() {
    let s = sandbox().await;
    let d = diary(&s, "43").await;
    let start = utc("2026-09-01T09:00:00Z");
    let appraisal = s
        .agency
        .appointments()
        .create_market_appraisal(&NewMarketAppraisal::new(
            d.property,
            d.negotiators[1],
            start,
            start + Duration::hours(1),
        ))
        .await
        .unwrap();
    s.take_requests();
    let always = ValuationFilter::created(utc("2000-01-01T00:00:00Z"), utc("2100-01-01T00:00:00Z"));
    let theirs: Vec<_> = s
        .agency
        .appointments()
        .valuations(always.clone().negotiator(d.negotiators[1]))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        theirs.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![Some(appraisal.0)]
    );
    assert_eq!(
        theirs[0].type_,
        Some(alto::appointments::AppointmentKind::Valuation)
    );
    let others: Vec<_> = s
        .agency
        .appointments()
        .valuations(always.negotiator(d.negotiators[0]))
        .try_collect()
        .await
        .unwrap();
    assert!(
        others.is_empty(),
        "another negotiator's valuations: {others:?}"
    );
    let requests = s.take_requests();
    assert_json_snapshot!("diary_valuations", shape(&requests[0]));
    assert_conforms(&requests);

    let backwards: Result<Vec<_>, _> = s
        .agency
        .appointments()
        .valuations(ValuationFilter::created(start, start - Duration::days(1)))
        .try_collect()
        .await;
    assert!(matches!(backwards, Err(AltoError::InvalidRequest { .. })));
    assert!(
        s.take_requests().is_empty(),
        "bad input is refused before sending"
    );
}

#[tokio::test]
async fn rescheduling_moves_viewings_and_general_appointments_across_the_clock_change() {
    let s = sandbox().await;
    let d = diary(&s, "45").await;
    // Booked on Saturday 24 October 2026 at 10:00 BST; moved to Monday 26th at 10:00 GMT.
    let start = utc("2026-10-24T09:00:00Z");
    let viewing = s
        .agency
        .appointments()
        .create_viewing(&d.viewing_at(start))
        .await
        .unwrap();
    let general = s
        .agency
        .appointments()
        .create_general(
            &NewGeneralAppointment::new(
                d.negotiators[0],
                1,
                d.property,
                d.owner,
                start + Duration::hours(1),
                start + Duration::hours(2),
            )
            .and_negotiator(d.negotiators[1]),
        )
        .await
        .unwrap();
    s.take_requests();

    let new_start = utc("2026-10-26T10:00:00Z");
    let new_end = new_start + Duration::minutes(45);
    s.agency
        .appointments()
        .reschedule_viewing(viewing, new_start, new_end)
        .await
        .unwrap();
    s.agency
        .appointments()
        .reschedule_general(
            general,
            new_start + Duration::hours(2),
            new_end + Duration::hours(2),
        )
        .await
        .unwrap();
    let requests = s.take_requests();
    assert_eq!(requests.len(), 2, "one PATCH each, no lookups");
    assert_json_snapshot!("diary_reschedule_viewing", shape(&requests[0]));
    assert_json_snapshot!("diary_reschedule_general", shape(&requests[1]));
    assert_conforms(&requests);

    let appointments = s.agency.appointments();
    let week = |n: NegotiatorId| {
        appointments.diary(n, utc("2026-10-19T00:00:00Z"), utc("2026-11-02T00:00:00Z"))
    };
    let first = week(d.negotiators[0]).await.unwrap();
    let slot = |id: AppointmentId, list: &[alto::appointments::Appointment]| {
        list.iter()
            .find(|a| a.id == Some(id.0))
            .and_then(DiarySlot::of)
    };
    assert_eq!(
        slot(viewing, &first),
        Some(DiarySlot {
            start: new_start,
            end: new_end
        }),
        "the diary shows the new time"
    );
    let moved = Some(DiarySlot {
        start: new_start + Duration::hours(2),
        end: new_end + Duration::hours(2),
    });
    assert_eq!(slot(general, &first), moved);
    assert_eq!(
        slot(general, &week(d.negotiators[1]).await.unwrap()),
        moved,
        "every negotiator's diary shows the new time"
    );
    s.take_requests();

    // Bad input is refused before anything is sent.
    for (from, to) in [(new_start, new_start), (new_end, new_start)] {
        let err = s
            .agency
            .appointments()
            .reschedule_viewing(viewing, from, to)
            .await
            .unwrap_err();
        assert!(matches!(err, AltoError::InvalidRequest { .. }), "{err}");
    }
    let second_pass = utc("2026-10-25T01:15:00Z"); // 01:15 GMT, after 01:15 BST
    let err = s
        .agency
        .appointments()
        .reschedule_general(general, second_pass, second_pass + Duration::minutes(30))
        .await
        .unwrap_err();
    assert!(matches!(err, AltoError::InvalidRequest { .. }), "{err}");
    // 01:50 BST to 01:20 GMT: on the diary's clock it would end before it starts.
    let across = utc("2026-10-25T00:50:00Z");
    let err = s
        .agency
        .appointments()
        .create_viewing(&d.viewing_at(across))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AltoError::InvalidRequest { detail, .. } if detail.contains("clocks go back")),
        "{err}"
    );
    assert!(s.take_requests().is_empty(), "nothing sent for bad input");
    // A general appointment is not a viewing: Alto answers 404 on the viewing route.
    let err = s
        .agency
        .appointments()
        .reschedule_viewing(general, new_start, new_end)
        .await
        .unwrap_err();
    assert!(matches!(err, AltoError::NotFound { .. }), "{err}");
}

/// One parsed `VEVENT` property: name, parameters, value.
fn props<'a>(
    event: &'a ical::parser::ical::component::IcalEvent,
    name: &str,
) -> Vec<&'a ical::property::Property> {
    event.properties.iter().filter(|p| p.name == name).collect()
}

fn value(event: &ical::parser::ical::component::IcalEvent, name: &str) -> String {
    let found = props(event, name);
    assert_eq!(found.len(), 1, "one {name}");
    unescape(found[0].value.as_deref().unwrap_or_default())
}

fn param(p: &ical::property::Property, key: &str) -> Option<String> {
    p.params
        .iter()
        .flatten()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.join(","))
}

/// RFC 5545 text unescaping (the `ical` crate leaves values as written).
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// The instant of a `DTSTART`/`DTEND` with `TZID=Europe/London`, by the RFC's rule for the
/// repeated hour (first occurrence); the exporter never writes a skipped local time.
fn instant(p: &ical::property::Property) -> DateTime<Utc> {
    assert_eq!(param(p, "TZID").as_deref(), Some("Europe/London"), "{p:?}");
    let local =
        NaiveDateTime::parse_from_str(p.value.as_deref().unwrap(), "%Y%m%dT%H%M%S").unwrap();
    chrono_tz::Europe::London
        .from_local_datetime(&local)
        .earliest()
        .unwrap_or_else(|| panic!("{local} does not exist in Europe/London"))
        .with_timezone(&Utc)
}

fn parse(ics: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    assert!(calendars.next().is_none(), "exactly one calendar");
    calendar
}

#[tokio::test]
async fn negotiator_calendar_round_trips_through_an_independent_parser_across_dst() {
    let s = sandbox().await;
    let d = diary(&s, "47").await;
    let negotiator = d.negotiators[0];
    // Either side of both 2026 clock changes, and the first 01:30 of the night they go back.
    let starts = [
        utc("2026-03-28T10:00:00Z"), // Sat 10:00 GMT
        utc("2026-03-29T09:00:00Z"), // Sun 10:00 BST
        utc("2026-10-24T09:00:00Z"), // Sat 10:00 BST
        utc("2026-10-25T10:00:00Z"), // Sun 10:00 GMT
        utc("2026-10-25T00:15:00Z"), // Sun 01:15 BST, the first of two 01:15s
    ];
    let mut booked = Vec::new();
    for (i, start) in starts.iter().enumerate() {
        let viewing = NewViewing::new(
            d.property,
            d.applicants[0],
            negotiator,
            *start,
            *start + Duration::minutes(30),
        )
        .and_applicant(d.applicants[1])
        .notes(format!("viewing {i}"));
        booked.push(
            s.agency
                .appointments()
                .create_viewing(&viewing)
                .await
                .unwrap(),
        );
    }
    s.take_requests();
    let ics = s
        .agency
        .calendar()
        .negotiator(
            negotiator,
            utc("2026-03-01T00:00:00Z"),
            utc("2026-11-30T00:00:00Z"),
        )
        .await
        .unwrap();
    let requests = s.take_requests();
    let route: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_json_snapshot!("diary_calendar_negotiator_requests", route);
    assert_conforms(&requests);
    assert!(
        ics.contains("DTSTART;TZID=Europe/London:20260329T100000\r\n"),
        "{ics}"
    );

    let calendar = parse(&ics);
    assert_eq!(calendar.timezones.len(), 1, "one VTIMEZONE");
    let zone = &calendar.timezones[0];
    assert!(zone
        .properties
        .iter()
        .any(|p| p.name == "TZID" && p.value.as_deref() == Some("Europe/London")));
    assert_eq!(zone.transitions.len(), 2, "BST and GMT rules");
    assert_eq!(calendar.events.len(), starts.len());
    let sarah = "mailto:sarah.mitchell@example-agency.co.uk";
    for (id, start) in booked.iter().zip(starts) {
        let uid = format!("alto-appointment-{}-0", id.0);
        let event = calendar
            .events
            .iter()
            .find(|e| value(e, "UID") == uid)
            .unwrap_or_else(|| panic!("{uid} in\n{ics}"));
        assert_eq!(instant(props(event, "DTSTART")[0]), start, "{uid}");
        assert_eq!(
            instant(props(event, "DTEND")[0]),
            start + Duration::minutes(30),
            "{uid}"
        );
        assert_eq!(
            value(event, "SUMMARY"),
            "Viewing: 47, Gloucester Road, Bristol, BS7 8AD"
        );
        assert_eq!(
            value(event, "LOCATION"),
            "47, Gloucester Road, Bristol, BS7 8AD"
        );
        let attendees: Vec<(String, Option<String>)> = props(event, "ATTENDEE")
            .into_iter()
            .map(|p| (p.value.clone().unwrap(), param(p, "CN")))
            .collect();
        assert_eq!(
            attendees,
            vec![
                (sarah.to_string(), Some("Sarah Mitchell".to_string())),
                (
                    "mailto:daniel.okafor.47@example.com".to_string(),
                    Some("Daniel Okafor".to_string())
                ),
                (
                    "mailto:priya.shah.47@example.com".to_string(),
                    Some("Priya Shah".to_string())
                ),
            ],
            "{uid}"
        );
    }

    let err = s
        .agency
        .calendar()
        .negotiator(negotiator, starts[1], starts[0])
        .await
        .unwrap_err();
    assert!(matches!(err, AltoError::InvalidRequest { .. }), "{err}");
    assert!(
        s.take_requests().is_empty(),
        "nothing sent for a backwards period"
    );
}

#[tokio::test]
async fn property_calendar_gathers_every_negotiators_diary() {
    let s = sandbox().await;
    let d = diary(&s, "49").await;
    let other = diary(&s, "51").await;
    let start = utc("2026-07-01T09:00:00Z");
    let mine = [
        s.agency
            .appointments()
            .create_viewing(&d.viewing_at(start))
            .await
            .unwrap(),
        s.agency
            .appointments()
            .create_market_appraisal(&NewMarketAppraisal::new(
                d.property,
                d.negotiators[2],
                start + Duration::days(1),
                start + Duration::days(1) + Duration::hours(1),
            ))
            .await
            .unwrap(),
        s.agency
            .appointments()
            .create_general(
                &NewGeneralAppointment::new(
                    d.negotiators[0],
                    1,
                    d.property,
                    d.owner,
                    start + Duration::days(2),
                    start + Duration::days(2) + Duration::hours(1),
                )
                .and_negotiator(d.negotiators[1]),
            )
            .await
            .unwrap(),
    ];
    let elsewhere = s
        .agency
        .appointments()
        .create_viewing(&NewViewing::new(
            other.property,
            other.applicants[0],
            d.negotiators[1],
            start,
            start + Duration::minutes(30),
        ))
        .await
        .unwrap();
    s.take_requests();
    let ics = s
        .agency
        .calendar()
        .property(
            d.property,
            utc("2026-06-28T00:00:00Z"),
            utc("2026-07-06T00:00:00Z"),
        )
        .await
        .unwrap();
    let requests = s.take_requests();
    let route: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_json_snapshot!("diary_calendar_property_requests", route);
    assert_json_snapshot!("diary_calendar_property_all_diaries", shape(&requests[1]));
    assert_conforms(&requests);

    let calendar = parse(&ics);
    let mut uids: Vec<String> = calendar.events.iter().map(|e| value(e, "UID")).collect();
    uids.sort();
    let mut expected: Vec<String> = mine
        .iter()
        .map(|id| format!("alto-appointment-{}-0", id.0))
        .collect();
    expected.sort();
    assert_eq!(uids, expected, "this property's appointments, each once");
    assert!(!ics.contains(&format!("alto-appointment-{}-", elsewhere.0)));
    let general = calendar
        .events
        .iter()
        .find(|e| value(e, "UID") == format!("alto-appointment-{}-0", mine[2].0))
        .unwrap();
    assert_eq!(
        props(general, "ATTENDEE").len(),
        3,
        "two negotiators and the owner"
    );
    assert_eq!(
        instant(props(general, "DTSTART")[0]),
        start + Duration::days(2)
    );
}

#[test]
fn a_skipped_local_time_is_written_as_the_instant_it_stands_for() {
    // Alto takes a plain local value as it is, so a diary can hold 01:30 on the night the clocks
    // go forward; RFC 5545 reads it with the offset before the gap: 01:30 GMT = 02:30 BST.
    let appointment = alto::appointments::Appointment {
        id: Some(9),
        instance_id: Some(0),
        title: Some("Early key handover".into()),
        start_date: Some(utc("2026-03-29T01:30:00Z")),
        end_date: Some(utc("2026-03-29T03:00:00Z")),
        contacts: Some(vec![alto::raw::types::ExternalPartnerContact {
            id: Some("77".into()),
            links: None,
        }]),
        ..Default::default()
    };
    let ics = to_ics("t", &[appointment], &CalendarDetails::default());
    let calendar = parse(&ics);
    let event = &calendar.events[0];
    assert_eq!(
        props(event, "DTSTART")[0].value.as_deref(),
        Some("20260329T023000")
    );
    assert_eq!(
        instant(props(event, "DTSTART")[0]),
        utc("2026-03-29T01:30:00Z")
    );
    assert_eq!(
        instant(props(event, "DTEND")[0]),
        utc("2026-03-29T02:00:00Z")
    );
    assert_eq!(value(event, "SUMMARY"), "Early key handover");
    let attendee = props(event, "ATTENDEE")[0];
    assert_eq!(attendee.value.as_deref(), Some("urn:alto:contact:77"));
    assert_eq!(param(attendee, "CN").as_deref(), Some("Alto contact 77"));
    assert!(props(event, "LOCATION").is_empty());
}
