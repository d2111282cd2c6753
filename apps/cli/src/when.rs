//! Parsing `--since 7d` / `--until 2026-11-01` into instants.

use chrono::{DateTime, NaiveDate, Utc};

use crate::output::Failure;

/// `7d`, `12h`, `30m` back from now, a date (`2026-11-01`, midnight UTC) or an RFC 3339 time.
pub fn parse_instant(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, Failure> {
    let t = text.trim();
    let bad = || {
        Failure::new(format!("{text:?} is not a time"), Some("use a duration back from now (7d, 12h, 30m), a date (2026-11-01) or an RFC 3339 time"))
    };
    if let Some((number, unit)) = t.find(|c: char| !c.is_ascii_digit()).map(|i| t.split_at(i)) {
        if let (Ok(n), Some(per)) = (number.parse::<i64>(), unit_seconds(unit)) {
            return Ok(now - chrono::Duration::seconds(n.checked_mul(per).ok_or_else(bad)?));
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(date
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc());
    }
    DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| bad())
}

fn unit_seconds(unit: &str) -> Option<i64> {
    match unit {
        "d" => Some(86_400),
        "h" => Some(3_600),
        "m" => Some(60),
        "w" => Some(7 * 86_400),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_dates_and_times() {
        let now = DateTime::parse_from_rfc3339("2026-11-25T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            parse_instant("7d", now).unwrap().to_rfc3339(),
            "2026-11-18T12:00:00+00:00"
        );
        assert_eq!(
            parse_instant("12h", now).unwrap().to_rfc3339(),
            "2026-11-25T00:00:00+00:00"
        );
        assert_eq!(
            parse_instant("2026-11-01", now).unwrap().to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        assert!(parse_instant("yesterday", now).is_err());
        assert!(parse_instant("7y", now).is_err());
    }
}
