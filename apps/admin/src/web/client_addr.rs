//! The client's address for login throttling and logs: the TCP peer, or, when that peer is the
//! configured trusted proxy, the address the proxy put in its header.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName};

use super::AdminState;

/// A reverse proxy whose header names the real client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedProxy {
    /// The proxy's own address, as this server sees it on the socket.
    pub address: IpAddr,
    /// The header it sets (`X-Forwarded-For` by default).
    pub header: HeaderName,
}

impl TrustedProxy {
    /// A proxy at `address` that sets `X-Forwarded-For`.
    pub fn new(address: IpAddr) -> Self {
        Self {
            address,
            header: HeaderName::from_static("x-forwarded-for"),
        }
    }

    /// Uses another header (for example `X-Real-IP`).
    pub fn header(mut self, header: HeaderName) -> Self {
        self.header = header;
        self
    }
}

/// The client's address, `None` when the server was not given socket addresses (tests calling
/// the router directly): such requests share one throttling bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl std::fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(ip) => ip.fmt(f),
            None => f.write_str("unknown"),
        }
    }
}

/// Picks the client's address from the socket peer and, behind `proxy`, its header.
///
/// Only the last entry of the header counts: that is the one the trusted proxy appended; the
/// ones before it came from the client and can say anything. A peer other than the proxy is
/// the client itself, whatever headers it sends.
pub fn client_addr(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    proxy: Option<&TrustedProxy>,
) -> Option<IpAddr> {
    let proxy = proxy.filter(|proxy| Some(proxy.address) == peer);
    let Some(proxy) = proxy else {
        return peer;
    };
    headers
        .get_all(&proxy.header)
        .iter()
        .next_back()
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .and_then(|last| last.trim().parse::<IpAddr>().ok())
        .or(peer)
}

impl FromRequestParts<AdminState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AdminState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(ClientAddr(client_addr(
            peer,
            &parts.headers,
            state.config().trusted_proxy.as_ref(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_the_trusted_proxy_is_believed() {
        let proxy = TrustedProxy::new("10.0.0.5".parse().unwrap());
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9"),
        );
        let from_proxy = Some("10.0.0.5".parse().unwrap());
        let elsewhere = Some("192.0.2.44".parse().unwrap());
        assert_eq!(
            client_addr(from_proxy, &headers, Some(&proxy)),
            Some("203.0.113.9".parse().unwrap())
        );
        assert_eq!(client_addr(elsewhere, &headers, Some(&proxy)), elsewhere);
        assert_eq!(client_addr(from_proxy, &headers, None), from_proxy);
        headers.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(client_addr(from_proxy, &headers, Some(&proxy)), from_proxy);
    }
}
