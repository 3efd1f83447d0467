"""Fetching pages and feeds over HTTP(S), politely and safely, with httpx.

    with Fetcher(FetchOptions(allow_private=False)) as fetcher:
        page = fetcher.get("https://news.example/2026/03/02/story.html")   # a Fetched, or raises FetchError
        page.content, page.content_type, page.final_url

What it does for every request:
- refuses anything but http(s), and (unless `allow_private`) any host that
  resolves to a private, loopback, link-local, multicast or reserved
  address; the check runs on every redirect hop before connecting, and again
  on the address actually connected to (no server-side request forgery
  through DNS tricks or redirects);
- honours robots.txt (RFC 9309: a missing robots.txt allows all, one that
  cannot be fetched because of a server error disallows) and its Crawl-delay;
- waits `per_host_interval` seconds between two requests to one host;
- retries connection errors, timeouts, 429 and 5xx answers with exponential
  backoff (a Retry-After is honoured, waiting at most `max_retry_after`);
- refuses a body larger than `max_bytes` (by Content-Length, or while
  reading) and a content type the caller does not accept;
- says who it is: an honest User-Agent naming accords and its version.

Every refusal or failure is a FetchError: an InputError with a `reason`
(see accords.sources.problems) and, for HTTP errors, the `status`.
"""
from __future__ import annotations

import ipaddress
import socket
import time
import urllib.robotparser
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from accords import __version__
from accords.errors import InputError

USER_AGENT = f"accords/{__version__} (news fact extraction; +https://pypi.org/project/accords/)"
ROBOTS_AGENT = "accords"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+xml")
TEXT_TYPES = ("text/plain",)
PAGE_TYPES = HTML_TYPES + FEED_TYPES + TEXT_TYPES
REDIRECTS = (301, 302, 303, 307, 308)
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(InputError):
    """A URL that could not be fetched: `reason` says why, `status` is the HTTP status when there was one."""

    def __init__(self, url: str, problem: str, reason: str, status: int | None = None):
        super().__init__(url, problem)
        self.reason = reason
        self.status = status
        self.details = {"status": status} if status is not None else {}


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20.0  # seconds to connect, and between two bytes read
    retries: int = 3  # further attempts after a failed one
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_retry_after: float = 60.0  # the longest Retry-After waited for
    max_bytes: int = 10 * 2**20  # the largest body read
    per_host_interval: float = 1.0  # seconds between two requests to one host
    max_redirects: int = 5
    allow_private: bool | tuple[str, ...] = False  # True, or the networks allowed ("127.0.0.1/32", ...)
    respect_robots: bool = True
    user_agent: str = USER_AGENT


@dataclass
class Fetched:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    content_type: str  # lowercased, without parameters
    charset: str | None
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES

    @property
    def is_feed(self) -> bool:
        return self.content_type in FEED_TYPES


class Fetcher:
    """An HTTP client with the guards above; one per run (it keeps connections, robots.txt and host clocks)."""

    def __init__(self, options: FetchOptions | None = None, *, transport: httpx.BaseTransport | None = None,
                 clock=time.monotonic, sleep=time.sleep):
        self.options = options or FetchOptions()
        self._clock, self._sleep = clock, sleep  # injectable, so waits can be checked without waiting
        o = self.options
        self._client = httpx.Client(follow_redirects=False, timeout=httpx.Timeout(o.timeout),
                                    headers={"User-Agent": o.user_agent}, transport=transport, trust_env=False)
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._next_at: dict[str, float] = {}
        self._interval: dict[str, float] = {}
        self._allowed = _networks(o.allow_private)

    # -- lifecycle ------------------------------------------------------------
    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the one public call ----------------------------------------------------
    def get(self, url: str, *, accept: tuple[str, ...] = PAGE_TYPES,
            headers: dict[str, str] | None = None) -> Fetched:
        """The body of `url` after redirects; FetchError for anything refused or failed.

        `accept`: content types read (others are refused before their body is
        read); empty accepts any. `headers`: extra request headers (e.g.
        If-None-Match); a 304 answer comes back as a Fetched with status 304.
        """
        current = url
        for _hop in range(self.options.max_redirects + 1):
            self.check_url(current)
            if self.options.respect_robots and not self._robots_allow(current):
                raise FetchError(url, f"disallowed by robots.txt of {_origin(current)} "
                                      "(use --ignore-robots only for sites you may crawl)", "robots")
            result = self._request(url, current, accept, headers or {})
            if isinstance(result, str):  # a redirect
                current = result
                continue
            return result
        raise FetchError(url, f"more than {self.options.max_redirects} redirects", "fetch-failed")

    def check_url(self, url: str) -> None:
        """FetchError unless `url` is http(s) and its host resolves only to addresses we may connect to."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "not an http(s) URL", "bad-url")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(url, "the URL has an invalid port", "bad-url") from None
        try:
            infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(url, f"cannot resolve host {parts.hostname!r} ({exc})", "fetch-failed") from None
        for info in infos:
            self._check_address(url, info[4][0])

    # -- internals -----------------------------------------------------------------
    def _check_address(self, url: str, address: str) -> None:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if ip.is_global and not ip.is_multicast:
            return
        if self._allowed is True or any(ip in net for net in self._allowed or ()):
            return
        raise FetchError(url, f"refused: {urlsplit(url).hostname} is a private, loopback or link-local address "
                              f"({ip}); pass --allow-private to fetch from your own network", "private-address")

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        now = self._clock()
        at = self._next_at.get(host, now)
        if at > now:
            self._sleep(at - now)
        self._next_at[host] = max(at, now) + self._interval.get(host, self.options.per_host_interval)

    def _request(self, asked: str, url: str, accept: tuple[str, ...], headers: dict[str, str]) -> Fetched | str:
        o = self.options
        delay = o.backoff
        for attempt in range(o.retries + 1):
            last = attempt == o.retries
            self._wait_turn(url)
            try:
                with self._client.stream("GET", url, headers=headers) as resp:
                    stream = resp.extensions.get("network_stream")
                    peer = stream.get_extra_info("server_addr") if stream is not None else None
                    if peer:
                        self._check_address(url, peer[0])  # the address really connected to
                    if resp.status_code in REDIRECTS and "location" in resp.headers:
                        return urljoin(url, resp.headers["location"])
                    if resp.status_code in RETRY_STATUSES and not last:
                        delay = max(delay, _retry_after(resp.headers.get("retry-after"), o.max_retry_after))
                    elif resp.status_code >= 400:
                        raise FetchError(asked, f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip()
                                         + (f" after {attempt + 1} attempts" if attempt else ""),
                                         "http-status", resp.status_code)
                    else:
                        return self._body(asked, url, resp, accept)
            except FetchError:
                raise
            except httpx.TimeoutException:
                if last:
                    raise FetchError(asked, f"timed out (no answer within {o.timeout:g} s, "
                                            f"{attempt + 1} attempts)", "fetch-failed") from None
            except httpx.HTTPError as exc:
                if last:
                    raise FetchError(asked, f"fetch failed ({type(exc).__name__}: {exc}; {attempt + 1} attempts)",
                                     "fetch-failed") from None
            self._sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _body(self, asked: str, url: str, resp: httpx.Response, accept: tuple[str, ...]) -> Fetched:
        o = self.options
        raw_type = resp.headers.get("content-type", "")
        ctype = raw_type.split(";", 1)[0].strip().lower()
        if resp.status_code != 304 and accept and ctype not in accept:
            raise FetchError(asked, f"content type {ctype or 'missing'!s}, not a page, feed or text "
                                    f"(accepted: {', '.join(accept)})", "content-type", resp.status_code)
        length = resp.headers.get("content-length")
        if length and length.isdigit() and int(length) > o.max_bytes:
            raise FetchError(asked, f"too large ({int(length) / 2**20:.1f} MB; the limit is "
                                    f"{o.max_bytes / 2**20:g} MB)", "too-large", resp.status_code)
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > o.max_bytes:
                raise FetchError(asked, f"too large (more than {o.max_bytes / 2**20:g} MB, the limit)",
                                 "too-large", resp.status_code)
            chunks.append(chunk)
        return Fetched(asked, str(resp.url), resp.status_code, ctype, resp.charset_encoding, b"".join(chunks),
                       dict(resp.headers))

    def _robots_allow(self, url: str) -> bool:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        parser = self._robots[origin]
        return True if parser is None else parser.can_fetch(ROBOTS_AGENT, url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """None allows everything (no robots.txt); a parser that disallows all when the server failed."""
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            got = self._without_robots(origin + "/robots.txt")
        except FetchError as exc:
            if exc.reason == "private-address":
                raise
            if exc.status is not None and 400 <= exc.status < 500:
                return None
            parser.parse(["User-agent: *", "Disallow: /"])  # unreachable: RFC 9309 says assume disallowed
            return parser
        parser.parse(got.content.decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:
            host = urlsplit(origin).netloc.lower()
            self._interval[host] = max(float(delay), self.options.per_host_interval)
        return parser

    def _without_robots(self, url: str) -> Fetched:
        current = url
        for _hop in range(self.options.max_redirects + 1):
            self.check_url(current)
            result = self._request(url, current, (), {})
            if not isinstance(result, str):
                return result
            current = result
        raise FetchError(url, "too many redirects", "fetch-failed")


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _networks(allow: bool | tuple[str, ...] | list[str]) -> bool | tuple:
    if allow is True or allow is False:
        return allow
    return tuple(ipaddress.ip_network(n, strict=False) for n in allow)


def _retry_after(value: str | None, cap: float) -> float:
    if not value:
        return 0.0
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return 0.0
    return max(0.0, min(seconds, cap))
