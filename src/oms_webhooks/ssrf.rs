//! Where webhooks may not go: in live mode, an OMS endpoint must be a public address.
//!
//! A tenant who could register `http://169.254.169.254/…` or `http://10.0.0.5:6379/`
//! would make the gateway send requests inside its own network (server-side request
//! forgery). So in live mode a URL is refused when its host is, or resolves to, a
//! loopback, private, link-local, CGNAT, unique-local, unspecified, multicast, reserved
//! or cloud-metadata address — when the endpoint is created or changed, and again at
//! every connection, through the HTTP client's resolver ([`GuardedResolver`]): a name
//! that resolved to a public address at creation can be pointed at 127.0.0.1 later
//! (DNS rebinding). Sandbox mode allows everything, so an OMS under development can
//! receive on localhost.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why an address may not be called, or `None` when it is public.
pub fn forbidden(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match () {
        _ if ip.is_unspecified() || a == 0 => "unspecified",
        _ if ip.is_loopback() => "loopback",
        _ if ip.is_private() => "private",
        // 169.254.169.254 (the cloud metadata service) is in here too.
        _ if ip.is_link_local() => "link-local",
        // Carrier-grade NAT, and Alibaba's metadata address 100.100.100.200.
        _ if a == 100 && (64..128).contains(&b) => "CGNAT",
        _ if ip.is_multicast() => "multicast",
        _ if ip.is_broadcast() || a >= 240 => "reserved",
        // IETF protocol assignments, benchmarking, documentation ranges.
        _ if a == 192 && b == 0 && c == 0 => "reserved",
        _ if a == 198 && (b == 18 || b == 19) => "reserved",
        _ if (a, b, c) == (192, 0, 2)
            || (a, b, c) == (198, 51, 100)
            || (a, b, c) == (203, 0, 113) =>
        {
            "reserved"
        }
        _ => return None,
    })
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    // An IPv4 address in IPv6 clothing is judged as IPv4: mapped (::ffff:a.b.c.d),
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) all reach the embedded address.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    let s = ip.segments();
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return forbidden_v4(Ipv4Addr::new(
            (s[6] >> 8) as u8,
            s[6] as u8,
            (s[7] >> 8) as u8,
            s[7] as u8,
        ));
    }
    if s[0] == 0x2002 {
        return forbidden_v4(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ));
    }
    Some(match () {
        _ if ip.is_unspecified() => "unspecified",
        _ if ip.is_loopback() => "loopback",
        // fc00::/7, AWS's metadata address fd00:ec2::254 among them.
        _ if (s[0] & 0xfe00) == 0xfc00 => "unique-local",
        _ if (s[0] & 0xffc0) == 0xfe80 => "link-local",
        // Deprecated site-local.
        _ if (s[0] & 0xffc0) == 0xfec0 => "site-local",
        _ if ip.is_multicast() => "multicast",
        // IPv4-compatible (::a.b.c.d), documentation (2001:db8::/32), discard (100::/64).
        _ if s[0..6] == [0, 0, 0, 0, 0, 0] => "reserved",
        _ if s[0] == 0x2001 && s[1] == 0x0db8 => "reserved",
        _ if s[0] == 0x0100 && s[1..4] == [0, 0, 0] => "reserved",
        _ => return None,
    })
}

/// Why `url` may not be called in live mode, resolving its host name; `Ok` when every
/// address it resolves to is public.
pub async fn check_url(url: &url::Url) -> Result<(), String> {
    let host = url.host().ok_or("the URL has no host")?;
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<IpAddr> = match host {
        url::Host::Ipv4(ip) => vec![IpAddr::V4(ip)],
        url::Host::Ipv6(ip) => vec![IpAddr::V6(ip)],
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name == "localhost" || name.ends_with(".localhost") {
                return Err(format!("`{name}` is this machine (loopback)"));
            }
            let found = tokio::net::lookup_host((name.as_str(), port))
                .await
                .map_err(|e| format!("`{name}` does not resolve ({e})"))?;
            let addrs: Vec<IpAddr> = found.map(|a| a.ip()).collect();
            if addrs.is_empty() {
                return Err(format!("`{name}` does not resolve"));
            }
            addrs
        }
    };
    judge(&addrs)
}

fn judge(addrs: &[IpAddr]) -> Result<(), String> {
    for ip in addrs {
        if let Some(why) = forbidden(*ip) {
            return Err(format!(
                "{ip} is a {why} address; live mode sends webhooks to public addresses only"
            ));
        }
    }
    Ok(())
}

/// The HTTP client's resolver in live mode: resolves as usual, then refuses the whole
/// name if any address is not public (an attacker's name may list a public address and
/// a private one, hoping the client tries both).
#[derive(Debug, Default, Clone)]
pub struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let name = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let ips: Vec<IpAddr> = addrs.iter().map(SocketAddr::ip).collect();
            judge(&ips).map_err(|why| format!("refused to connect to `{name}`: {why}"))?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_forbidden_and_public_ones_allowed() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.100.100.200",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "fc00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1",
        ] {
            let ip: IpAddr = bad.parse().unwrap();
            assert!(forbidden(ip).is_some(), "{bad} should be forbidden");
        }
        for good in [
            "93.184.216.34",
            "8.8.8.8",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            let ip: IpAddr = good.parse().unwrap();
            assert_eq!(forbidden(ip), None, "{good} should be allowed");
        }
    }

    #[tokio::test]
    async fn urls_are_judged_by_what_they_resolve_to() {
        for bad in [
            "http://localhost:8080/x",
            "http://127.0.0.1/x",
            "http://[::1]:9000/",
            "http://169.254.169.254/latest/meta-data",
            "http://2130706433/",
        ] {
            let url = url::Url::parse(bad).unwrap();
            assert!(check_url(&url).await.is_err(), "{bad} should be refused");
        }
        assert!(
            check_url(&url::Url::parse("https://93.184.216.34/hook").unwrap())
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn the_resolver_refuses_names_that_resolve_inside() {
        let name: Name = "localhost".parse().unwrap();
        let refused = GuardedResolver.resolve(name).await;
        assert!(refused.is_err());
    }
}
