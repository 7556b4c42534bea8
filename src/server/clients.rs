//! Fair shares of the query slots: no one client address can take every slot of
//! `--max-concurrent-queries`, so twenty runaway queries from one address leave the other
//! clients' queries their turn.
//!
//! A client is its IP address: the peer of the connection, or, when the peer is one of the
//! `--trusted-proxy` networks, the address its `X-Forwarded-For` names (read from the right,
//! skipping the trusted proxies in the chain, as nginx's `real_ip_recursive` does). A header
//! from anyone else is ignored: believing it would let a client pose as many.

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// An IP network, `192.0.2.0/24` or `2001:db8::/32`; a bare address is one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    /// Whether `ip` is in the network (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.address, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address = IpAddr::from_str(address.trim())
            .map(canonical)
            .map_err(|_| {
                format!("`{text}` is not an IP address or network (192.0.2.10, 192.0.2.0/24, ::1)")
            })?;
        let most = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => most,
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= most)
                .ok_or_else(|| {
                    format!("`{text}`: the prefix length must be a number from 0 to {most}")
                })?,
        };
        Ok(Self { address, prefix })
    }
}

impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, how a dual-stack socket sees IPv4
/// clients) as the IPv4 address they are.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The query slots each client address holds.
pub struct Clients {
    per_client: usize,
    trusted: Vec<Network>,
    slots: Mutex<HashMap<IpAddr, Arc<Semaphore>>>,
}

/// A client's turn: held while its query runs, given back when dropped.
pub struct ClientSlot {
    _permit: Option<OwnedSemaphorePermit>,
    address: Option<IpAddr>,
    clients: Arc<Clients>,
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        // give the permit back first, then forget a client that holds none
        self._permit = None;
        let Some(address) = self.address else { return };
        if let Ok(mut slots) = self.clients.slots.lock() {
            let idle = slots.get(&address).is_some_and(|semaphore| {
                Arc::strong_count(semaphore) == 1
                    && semaphore.available_permits() == self.clients.per_client
            });
            if idle {
                slots.remove(&address);
            }
        }
    }
}

impl Clients {
    /// At most `per_client` queries at once from one address (at least 1); `trusted` are the
    /// proxies whose `X-Forwarded-For` is believed.
    pub fn new(per_client: usize, trusted: Vec<Network>) -> Arc<Self> {
        Arc::new(Self {
            per_client: per_client.max(1),
            trusted,
            slots: Mutex::new(HashMap::new()),
        })
    }

    /// Most queries one address may run at once.
    pub fn per_client(&self) -> usize {
        self.per_client
    }

    /// The client's address: the connection's peer, or the forwarded address when the peer
    /// is a trusted proxy. `None` when the connection's peer is not known (a request made
    /// in process).
    pub fn address(&self, extensions: &Extensions, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| canonical(peer.ip()))?;
        if !self.is_trusted(peer) {
            return Some(peer);
        }
        let mut address = peer;
        let forwarded: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for hop in forwarded.iter().rev() {
            let Some(ip) = parse_hop(hop) else { break };
            address = ip;
            if !self.is_trusted(ip) {
                break;
            }
        }
        Some(address)
    }

    fn is_trusted(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|network| network.contains(ip))
    }

    /// Waits up to `wait` for one of `address`'s slots; `None` when its slots stayed taken.
    /// A request whose address is unknown is not limited here (the global cap still is).
    pub async fn acquire(
        self: &Arc<Self>,
        address: Option<IpAddr>,
        wait: Duration,
    ) -> Option<ClientSlot> {
        let Some(ip) = address else {
            return Some(ClientSlot {
                _permit: None,
                address: None,
                clients: Arc::clone(self),
            });
        };
        let semaphore = {
            let mut slots = self.slots.lock().ok()?;
            Arc::clone(
                slots
                    .entry(ip)
                    .or_insert_with(|| Arc::new(Semaphore::new(self.per_client))),
            )
        };
        let permit = tokio::time::timeout(wait, semaphore.acquire_owned()).await;
        let acquired = matches!(permit, Ok(Ok(_)));
        // dropped when the wait failed, the slot forgets an address that holds no other
        let slot = ClientSlot {
            _permit: permit.ok().and_then(Result::ok),
            address: Some(ip),
            clients: Arc::clone(self),
        };
        acquired.then_some(slot)
    }

    /// Addresses holding or waiting for a slot now (for tests and the health of the map).
    #[cfg(test)]
    pub(crate) fn tracked(&self) -> usize {
        self.slots.lock().map_or(0, |slots| slots.len())
    }
}

/// The address of the client of a request, as [`Clients::address`] tells it.
pub(crate) struct ClientAddress(pub Option<IpAddr>);

impl axum::extract::FromRequestParts<Arc<super::AppState>> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Arc<super::AppState>,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(
            state.clients.address(&parts.extensions, &parts.headers),
        ))
    }
}

/// One address of `X-Forwarded-For`: `192.0.2.1`, `2001:db8::1`, `[2001:db8::1]:443` or
/// `192.0.2.1:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = IpAddr::from_str(hop) {
        return Some(canonical(ip));
    }
    SocketAddr::from_str(hop).ok().map(|s| canonical(s.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(peer: &str, forwarded: &[&str]) -> (Extensions, HeaderMap) {
        let mut extensions = Extensions::new();
        extensions.insert(ConnectInfo(SocketAddr::from_str(peer).expect("peer")));
        let mut headers = HeaderMap::new();
        for value in forwarded {
            headers.append("x-forwarded-for", value.parse().expect("header"));
        }
        (extensions, headers)
    }

    fn client_of(trusted: &[&str], peer: &str, forwarded: &[&str]) -> Option<String> {
        let trusted = trusted
            .iter()
            .map(|t| t.parse().expect("network"))
            .collect();
        let clients = Clients::new(2, trusted);
        let (extensions, headers) = request(peer, forwarded);
        clients
            .address(&extensions, &headers)
            .map(|ip| ip.to_string())
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let some = |s: &str| Some(s.to_owned());
        // an untrusted peer cannot pose as another client
        assert_eq!(
            client_of(&[], "198.51.100.7:5000", &["203.0.113.9"]),
            some("198.51.100.7")
        );
        assert_eq!(
            client_of(&["10.0.0.0/8"], "198.51.100.7:5000", &["203.0.113.9"]),
            some("198.51.100.7")
        );
        // a trusted proxy: the address it saw
        assert_eq!(
            client_of(&["10.0.0.1"], "10.0.0.1:5000", &["203.0.113.9"]),
            some("203.0.113.9")
        );
        // a chain: the rightmost address that is not a trusted proxy; what the client wrote
        // itself (on the left) is not believed
        assert_eq!(
            client_of(
                &["10.0.0.0/8"],
                "10.0.0.1:5000",
                &["1.2.3.4, 203.0.113.9, 10.0.0.2"]
            ),
            some("203.0.113.9")
        );
        assert_eq!(
            client_of(
                &["10.0.0.0/8"],
                "10.0.0.1:5000",
                &["1.2.3.4", "203.0.113.9"]
            ),
            some("203.0.113.9")
        );
        // ports and IPv6, IPv4-mapped peers
        assert_eq!(
            client_of(&["::1"], "[::1]:5000", &["[2001:db8::5]:443"]),
            some("2001:db8::5")
        );
        assert_eq!(
            client_of(&["127.0.0.1"], "[::ffff:127.0.0.1]:5000", &["192.0.2.1:80"]),
            some("192.0.2.1")
        );
        // garbage stops the walk at the last address read
        assert_eq!(
            client_of(&["10.0.0.0/8"], "10.0.0.1:5000", &["203.0.113.9, unknown"]),
            some("10.0.0.1")
        );
        // no header from a trusted proxy: the proxy is the client
        assert_eq!(
            client_of(&["10.0.0.1"], "10.0.0.1:5000", &[]),
            some("10.0.0.1")
        );
    }

    #[test]
    fn networks_parse_and_match() {
        let net: Network = "192.0.2.0/24".parse().expect("network");
        assert!(net.contains("192.0.2.200".parse().expect("ip")));
        assert!(!net.contains("192.0.3.1".parse().expect("ip")));
        let all: Network = "0.0.0.0/0".parse().expect("network");
        assert!(all.contains("8.8.8.8".parse().expect("ip")));
        assert!(!all.contains("::1".parse().expect("ip")));
        let v6: Network = "2001:db8::/32".parse().expect("network");
        assert!(v6.contains("2001:db8:ffff::1".parse().expect("ip")));
        assert_eq!(v6.to_string(), "2001:db8::/32");
        for bad in ["", "10.0.0.0/33", "::/129", "10.0.0.0/x", "example.org"] {
            assert!(bad.parse::<Network>().is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn one_address_cannot_take_more_than_its_share() {
        let clients = Clients::new(2, Vec::new());
        let a = Some("192.0.2.1".parse().expect("ip"));
        let b = Some("192.0.2.2".parse().expect("ip"));
        let wait = Duration::from_millis(50);
        let first = clients.acquire(a, wait).await;
        let second = clients.acquire(a, wait).await;
        assert!(first.is_some() && second.is_some());
        assert!(clients.acquire(a, wait).await.is_none(), "a third from a");
        assert!(clients.acquire(b, wait).await.is_some(), "b is not held up");
        drop(first);
        assert!(
            clients.acquire(a, wait).await.is_some(),
            "a's slot came back"
        );
        drop(second);
        // no address is remembered once it holds no slot
        assert_eq!(clients.tracked(), 0);
        // unknown addresses are not limited here
        let unknown: Vec<_> =
            futures_util::future::join_all((0..5).map(|_| clients.acquire(None, wait))).await;
        assert!(unknown.iter().all(Option::is_some));
    }
}
