"""Where remarks may send a request on someone else's say-so (a webhook URL): not to this machine,
the private network it sits in, link-local addresses or a cloud's metadata service — unless an admin
allowed it explicitly. Checked when the URL is registered and again at every connection, against the
addresses the name resolves to at that moment (so a name that later resolves inside is caught), and
the connection goes to the address that was checked (no second lookup to rebind)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx

from remarks.errors import BadInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services, named for the error message (they are link-local or private anyway,
# except Alibaba's, which sits in the shared address space).
METADATA = {
    ipaddress.ip_address("169.254.169.254"): "cloud metadata service",
    ipaddress.ip_address("169.254.170.2"): "cloud metadata service",
    ipaddress.ip_address("100.100.100.200"): "cloud metadata service",
    ipaddress.ip_address("fd00:ec2::254"): "cloud metadata service",
}
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: inside someone's network


def blocked_reason(ip: IPAddress) -> str | None:
    """Why a webhook may not be sent to this address, or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return blocked_reason(mapped)
        if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64: the IPv4 address is the last 32 bits
            return blocked_reason(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip in METADATA:
        return METADATA[ip]
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in SHARED:
        return "shared (carrier-grade NAT)"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if ip.is_private or ip.is_reserved:
        return "private"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the name has now (an IP literal is itself; decimal and octal forms included)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[IPAddress] = []
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if ip not in seen:
            seen.append(ip)
    return seen


def check_addresses(host: str, addresses: list[IPAddress]) -> None:
    for ip in addresses:
        reason = blocked_reason(ip)
        if reason:
            raise BadInput(f"{host} resolves to {ip} ({reason}); webhooks are not sent to loopback, private, "
                           "link-local or metadata addresses unless an admin allows it (remarks webhook add "
                           "--allow-private)", code="address_not_allowed")


def check_url(url: str, *, allow_private: bool) -> None:
    """At registration: refuse a URL whose host is (or resolves to) a blocked address. A name that does
    not resolve now is let through: it is checked again at every delivery."""
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        addresses = resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError, ValueError):
        return
    check_addresses(host, addresses)


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport that checks the addresses at connection time and connects to the checked
    one (TLS still verifies the certificate for the name). A request may carry the extension
    ``{"remarks_allow_private": True}`` when an admin allowed its webhook."""

    def __init__(self, *, allow_private: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.allow_private = allow_private

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.allow_private or request.extensions.get("remarks_allow_private"):
            return super().handle_request(request)
        host = request.url.host
        try:
            addresses = resolve(host, request.url.port or (443 if request.url.scheme == "https" else 80))
        except (OSError, UnicodeError) as exc:
            raise httpx.ConnectError(f"cannot resolve {host}: {exc}", request=request) from None
        try:
            check_addresses(host, addresses)
        except BadInput as exc:
            raise httpx.ConnectError(exc.message, request=request) from None
        pinned = str(addresses[0])
        if request.url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        request.url = request.url.copy_with(host=pinned)
        return super().handle_request(request)
