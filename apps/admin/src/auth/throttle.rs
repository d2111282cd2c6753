//! Login throttling: growing delays after repeated failed sign-ins, per username and per client
//! address, answered with `429 Too Many Requests` and `Retry-After`.
//!
//! Why not `governor` / `tower_governor`: their GCRA meters a steady rate of *all* requests,
//! while sign-in needs delays that grow with *consecutive failures* and reset when the right
//! password is given; a leaky bucket cannot express that, and metering every request would lock
//! out a user who merely reloads the page. The table below is small and lives in memory: with
//! several instances each keeps its own counts (an attacker gets that many budgets, still
//! bounded).
//!
//! Usernames are keyed by a SHA-256 of their lowercased form, so the table (and a heap dump)
//! holds no typed usernames, and an unknown user is throttled exactly like a known one.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// Where the throttle starts and how fast the delays grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures of one username allowed before any delay.
    pub free_per_username: u32,
    /// Failures from one client address allowed before any delay (higher: an office shares one).
    pub free_per_address: u32,
    /// The first delay; each further failure doubles it.
    pub first_delay: Duration,
    /// The longest delay.
    pub max_delay: Duration,
    /// A key with no failure for this long is forgotten.
    pub forget_after: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            free_per_username: 5,
            free_per_address: 20,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(15 * 60),
            forget_after: Duration::from_secs(60 * 60),
        }
    }
}

/// Most keys kept; beyond it, stale keys are dropped first, then the oldest.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Username([u8; 32]),
    Address(Option<IpAddr>),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

/// Counts failed sign-ins and says when the next attempt may come.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    policy: ThrottlePolicy,
    keys: Mutex<HashMap<Key, Failures>>,
}

/// A sign-in attempt turned away before the password was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    /// How long until the next attempt is considered (whole seconds, at least 1).
    pub retry_after: Duration,
}

impl LoginThrottle {
    /// A throttle with `policy`.
    pub fn new(policy: ThrottlePolicy) -> Self {
        Self {
            policy,
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// Whether an attempt for `username` from `address` may go ahead now.
    pub fn check(&self, username: &str, address: Option<IpAddr>) -> Result<(), Throttled> {
        let now = Instant::now();
        let keys = self.lock();
        let wait = [username_key(username), Key::Address(address)]
            .iter()
            .filter_map(|key| keys.get(key)?.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max();
        match wait {
            Some(wait) => Err(Throttled {
                // Rounded up, so a client that waits exactly this long is let in.
                retry_after: Duration::from_secs(
                    wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
                ),
            }),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt against both the username and the address.
    pub fn record_failure(&self, username: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        let mut keys = self.lock();
        if keys.len() >= MAX_KEYS {
            self.evict(&mut keys, now);
        }
        let policy = self.policy;
        for (key, free) in [
            (username_key(username), policy.free_per_username),
            (Key::Address(address), policy.free_per_address),
        ] {
            let entry = keys.entry(key).or_insert(Failures {
                count: 0,
                last: now,
                locked_until: None,
            });
            if now.duration_since(entry.last) > policy.forget_after {
                entry.count = 0;
            }
            entry.count = entry.count.saturating_add(1);
            entry.last = now;
            entry.locked_until = delay(&policy, entry.count, free).map(|d| now + d);
        }
    }

    /// Clears the username's failures after the right password. The address keeps its count:
    /// otherwise one valid account would reset the budget for guessing others.
    pub fn record_success(&self, username: &str) {
        self.lock().remove(&username_key(username));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Failures>> {
        // The map holds counters only; one left half-updated by a panic is still usable.
        self.keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn evict(&self, keys: &mut HashMap<Key, Failures>, now: Instant) {
        let forget_after = self.policy.forget_after;
        keys.retain(|_, f| now.duration_since(f.last) <= forget_after);
        if keys.len() >= MAX_KEYS {
            let mut by_age: Vec<_> = keys.iter().map(|(k, f)| (f.last, k.clone())).collect();
            by_age.sort_by_key(|(last, _)| *last);
            for (_, key) in by_age.into_iter().take(MAX_KEYS / 10) {
                keys.remove(&key);
            }
        }
    }
}

/// The delay after `count` failures when `free` are allowed: none, then 1×, 2×, 4× … the first.
fn delay(policy: &ThrottlePolicy, count: u32, free: u32) -> Option<Duration> {
    let over = count
        .checked_sub(free)?
        .checked_sub(1)
        .map_or(0, |n| n.min(20));
    (count > free).then(|| {
        policy
            .first_delay
            .saturating_mul(1 << over)
            .min(policy.max_delay)
    })
}

fn username_key(username: &str) -> Key {
    Key::Username(Sha256::digest(username.trim().to_lowercase().as_bytes()).into())
}

/// A short, non-reversible-at-a-glance tag of a typed username for log lines, so repeated
/// attempts on one name can be correlated without writing the name itself.
pub fn username_tag(username: &str) -> String {
    let digest = Sha256::digest(username.trim().to_lowercase().as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy {
            free_per_username: 3,
            free_per_address: 5,
            ..ThrottlePolicy::default()
        }
    }

    #[test]
    fn delays_grow_after_the_free_failures() {
        let p = policy();
        assert_eq!(delay(&p, 3, 3), None);
        assert_eq!(delay(&p, 4, 3), Some(Duration::from_secs(1)));
        assert_eq!(delay(&p, 5, 3), Some(Duration::from_secs(2)));
        assert_eq!(delay(&p, 6, 3), Some(Duration::from_secs(4)));
        assert_eq!(delay(&p, 1000, 3), Some(p.max_delay));
    }

    #[test]
    fn a_username_is_throttled_whatever_its_case_and_success_clears_it() {
        let throttle = LoginThrottle::new(policy());
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            assert!(throttle.check("Ann", Some(a)).is_ok());
            throttle.record_failure("Ann", Some(a));
        }
        assert!(throttle.check("ann", Some(a)).is_ok(), "three are free");
        throttle.record_failure("ann", Some(a));
        let other: IpAddr = "198.51.100.7".parse().unwrap();
        let refused = throttle.check(" ANN ", Some(other)).unwrap_err();
        assert_eq!(refused.retry_after, Duration::from_secs(1));
        assert!(throttle.check("bob", Some(other)).is_ok());
        throttle.record_success("ann");
        assert!(throttle.check("ann", Some(other)).is_ok());
    }

    #[test]
    fn an_address_is_throttled_across_usernames() {
        let throttle = LoginThrottle::new(policy());
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        for n in 0..6 {
            throttle.record_failure(&format!("user{n}"), Some(a));
        }
        assert!(throttle.check("someone", Some(a)).is_err());
        assert!(throttle.check("someone", None).is_ok());
        throttle.record_success("someone");
        assert!(
            throttle.check("someone", Some(a)).is_err(),
            "success keeps the address count"
        );
    }

    #[test]
    fn tags_do_not_contain_the_name() {
        let tag = username_tag("ann");
        assert_eq!(tag.len(), 8);
        assert_eq!(tag, username_tag(" ANN"));
        assert!(!tag.contains("ann"));
    }
}
