//! Cursor paging for every listing: opaque tokens, stable order, page size 25 by default and
//! at most 100.
//!
//! A token names the route and the sort key of the last item served, so a page never repeats
//! or skips items when records are added meanwhile, and a token from another listing is refused.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::params::Params;
use crate::problem::ApiError;

/// Page size when the client does not ask for one.
pub const DEFAULT_PAGE_SIZE: usize = 25;
/// Largest page served; larger requests are clamped.
pub const MAX_PAGE_SIZE: usize = 100;

/// What the client asked for: where to resume and how many items.
#[derive(Debug, Clone)]
pub(crate) struct PageRequest {
    route: &'static str,
    token_param: &'static str,
    after: Option<String>,
    size: usize,
}

impl PageRequest {
    /// Reads the cursor and size from the parameter names this route uses (their casing).
    pub fn from_params(
        params: &Params,
        route: &'static str,
        token_param: &'static str,
        size_param: &'static str,
    ) -> Result<Self, ApiError> {
        let size = match params.int(size_param)? {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if n < 1 => {
                return Err(ApiError::field(
                    size_param,
                    format!("{size_param} must be at least 1."),
                ))
            }
            Some(n) => (n as usize).min(MAX_PAGE_SIZE),
        };
        let after = params
            .get(token_param)
            .map(|t| decode(route, t).ok_or_else(|| invalid(token_param)))
            .transpose()?;
        Ok(Self {
            route,
            token_param,
            after,
            size,
        })
    }

    /// Serves one page of `items`, which must be sorted by their key (ascending, unique).
    /// Returns the page and the next token (`None` on the last page).
    pub fn page<T>(&self, items: Vec<(String, T)>) -> (Vec<T>, Option<String>) {
        let mut rest = items
            .into_iter()
            .skip_while(|(k, _)| self.after.as_ref().is_some_and(|a| k <= a))
            .peekable();
        let mut page = Vec::new();
        let mut last = None;
        while page.len() < self.size {
            match rest.next() {
                Some((k, item)) => {
                    last = Some(k);
                    page.push(item);
                }
                None => break,
            }
        }
        let next = match (rest.peek(), last) {
            (Some(_), Some(last)) => Some(encode(self.route, &last)),
            _ => None,
        };
        (page, next)
    }

    /// Serves one page of `items`, which must be sorted so that `key` ascends in string order
    /// (unique keys). Unlike [`PageRequest::page`] it finds the resume point by binary search
    /// and computes keys only for that search and the page, so a page of a long listing costs
    /// the page, not the listing.
    pub fn page_sorted<'a, T>(
        &self,
        items: &'a [T],
        key: impl Fn(&T) -> String,
    ) -> (&'a [T], Option<String>) {
        let start = match &self.after {
            Some(after) => items.partition_point(|item| key(item).as_str() <= after.as_str()),
            None => 0,
        };
        let end = (start + self.size).min(items.len());
        let page = &items[start..end];
        let next = match page.last() {
            Some(last) if end < items.len() => Some(encode(self.route, &key(last))),
            _ => None,
        };
        (page, next)
    }

    /// The cursor parameter name, for error messages.
    #[allow(dead_code)]
    pub fn token_param(&self) -> &'static str {
        self.token_param
    }
}

/// Sort key for numeric ids: zero-padded so string order is numeric order.
pub(crate) fn id_key(id: i64) -> String {
    format!("{id:020}")
}

fn encode(route: &str, last: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("sim1|{route}|{last}"))
}

fn decode(route: &str, token: &str) -> Option<String> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    let mut parts = raw.splitn(3, '|');
    (parts.next()? == "sim1" && parts.next()? == route).then_some(())?;
    parts.next().map(String::from)
}

fn invalid(param: &str) -> ApiError {
    ApiError::field(
        param,
        format!("{param} is not a token this listing issued; start again without it."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str) -> Result<PageRequest, ApiError> {
        let params = Params::parse(&axum::extract::RawQuery(Some(query.into()))).unwrap();
        PageRequest::from_params(&params, "/things", "next-token", "max-results")
    }

    #[test]
    fn pages_follow_tokens_without_repeats() {
        let items = || (1..=7).map(|i| (id_key(i), i)).collect::<Vec<_>>();
        let (first, next) = request("max-results=3").unwrap().page(items());
        assert_eq!(first, vec![1, 2, 3]);
        let token = next.unwrap();
        let (second, next) = request(&format!("max-results=3&next-token={token}"))
            .unwrap()
            .page(items());
        assert_eq!(second, vec![4, 5, 6]);
        let (third, next) = request(&format!("max-results=3&next-token={}", next.unwrap()))
            .unwrap()
            .page(items());
        assert_eq!((third, next), (vec![7], None));
    }

    #[test]
    fn sorted_pages_match_linear_pages() {
        let ids: Vec<i64> = (1..=250).collect();
        let all = || ids.iter().map(|&i| (id_key(i), i)).collect::<Vec<_>>();
        let mut token: Option<String> = None;
        loop {
            let query = match &token {
                Some(t) => format!("max-results=40&next-token={t}"),
                None => "max-results=40".to_string(),
            };
            let r = request(&query).unwrap();
            let (linear, next_linear) = r.page(all());
            let (sorted, next_sorted) = r.page_sorted(&ids, |&i| id_key(i));
            assert_eq!(sorted, linear.as_slice());
            assert_eq!(next_sorted, next_linear);
            match next_sorted {
                Some(t) => token = Some(t),
                None => break,
            }
        }
    }

    #[test]
    fn bad_tokens_and_sizes_are_refused() {
        assert!(request("next-token=garbage").is_err());
        let foreign = encode("/other", &id_key(1));
        assert!(request(&format!("next-token={foreign}")).is_err());
        assert!(request("max-results=0").is_err());
        let big = request("max-results=1000").unwrap();
        assert_eq!(big.size, MAX_PAGE_SIZE);
    }
}
