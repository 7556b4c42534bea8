//! Dates as the catalog, schema.org and HTML's `<time>` write them, from system times, without a
//! calendar crate: UTC only, the proleptic Gregorian calendar.

use std::time::SystemTime;

/// `YYYY-MM-DDThh:mm:ssZ` and `YYYY-MM-DD` of a time (UTC).
pub(crate) fn timestamp(t: SystemTime) -> (String, String) {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    let date = format!("{year:04}-{month:02}-{day:02}");
    let time = format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    (time, date)
}

/// Gregorian date of a count of days since 1970-01-01 (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// A time as ISO 8601 in UTC (`2026-12-07T22:27:36Z`): what schema.org's dates and the
/// `datetime` attribute of `<time>` expect (the HTTP date format is for headers only).
pub fn iso_8601(t: SystemTime) -> String {
    timestamp(t).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_dates() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(951_782_400 + 3_723);
        assert_eq!(
            timestamp(t),
            ("2000-02-29T01:02:03Z".to_owned(), "2000-02-29".to_owned())
        );
        assert_eq!(timestamp(SystemTime::UNIX_EPOCH).1, "1970-01-01");
    }

    #[test]
    fn iso_8601_in_utc() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(951_782_400 + 3_723);
        assert_eq!(iso_8601(t), "2000-02-29T01:02:03Z");
    }
}
