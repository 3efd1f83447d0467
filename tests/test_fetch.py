"""Fetching over HTTP from a local server: guards, retries, caps, robots.txt, redirects, private addresses."""
from __future__ import annotations

import pytest

from accords.sources.fetch import USER_AGENT, FetchError, Fetcher, FetchOptions
from tests.fixtures.server import FixtureServer

LOCAL = ("127.0.0.1/32",)  # the test server's address, and only it


@pytest.fixture(scope="module")
def server():
    srv = FixtureServer().start()
    yield srv
    srv.stop()


class FakeClock:
    """Records the waits the fetcher asks for, and moves time on by them (no real waiting)."""

    def __init__(self):
        self.now = 1000.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 3))
        self.now += seconds


def fetcher(clock: FakeClock | None = None, **kw) -> Fetcher:
    opts = dict(allow_private=LOCAL, per_host_interval=0, backoff=0.01, timeout=0.5, retries=2)
    opts.update(kw)
    if clock:
        return Fetcher(FetchOptions(**opts), clock=clock.clock, sleep=clock.sleep)
    return Fetcher(FetchOptions(**opts))


def failure(f: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        f.get(url)
    return info.value


def test_a_page_is_fetched_with_an_honest_user_agent(server):
    with fetcher() as f:
        page = f.get(server.url("/pages/chile-peru-planet.html"))
    assert page.status == 200 and page.is_html and b"Chile and Peru restored" in page.content
    assert server.agents[-1] == USER_AGENT and USER_AGENT.startswith("accords/")


def test_redirects_are_followed_and_the_final_url_kept(server):
    with fetcher() as f:
        page = f.get(server.url("/redirect"))
    assert page.final_url == server.url("/pages/chile-peru-planet.html") and page.url == server.url("/redirect")


def test_a_redirect_loop_gives_up(server):
    err = failure(fetcher(max_redirects=3), server.url("/redirect-loop"))
    assert err.reason == "fetch-failed" and "redirects" in err.problem


def test_a_slow_server_times_out_after_the_retries(server):
    before = server.hits["/slow"]
    err = failure(fetcher(retries=1, timeout=0.3), server.url("/slow"))
    assert err.reason == "fetch-failed" and "timed out" in err.problem
    assert server.hits["/slow"] - before == 2  # the first attempt and one retry


def test_a_declared_huge_body_is_refused_before_reading(server):
    err = failure(fetcher(max_bytes=2**20), server.url("/huge"))
    assert err.reason == "too-large" and "200.0 MB" in err.problem


def test_an_undeclared_huge_body_is_cut_off_at_the_cap(server):
    err = failure(fetcher(max_bytes=2**20), server.url("/huge-chunked"))
    assert err.reason == "too-large" and "more than 1 MB" in err.problem


def test_the_wrong_content_type_is_refused(server):
    err = failure(fetcher(), server.url("/image.png"))
    assert err.reason == "content-type" and "image/png" in err.problem


def test_server_errors_are_retried_with_backoff_then_reported_with_their_status(server):
    clock = FakeClock()
    before = server.hits["/error500"]
    with fetcher(clock, retries=3, backoff=1.0) as f:
        err = failure(f, server.url("/error500"))
    assert (err.reason, err.status) == ("http-status", 500) and "after 4 attempts" in err.problem
    assert server.hits["/error500"] - before == 4
    assert clock.waits == [1.0, 2.0, 4.0]  # exponential backoff


def test_a_transient_error_is_retried_until_it_works(server):
    with fetcher() as f:
        page = f.get(server.url("/flaky"))
    assert page.status == 200 and server.hits["/flaky"] == 2


def test_retry_after_is_honoured(server):
    clock = FakeClock()
    with fetcher(clock, retries=1, backoff=0.5) as f:
        err = failure(f, server.url("/throttled"))
    assert err.status == 429 and clock.waits == [7.0]


def test_a_missing_page_is_not_retried(server):
    before = server.hits["/missing"]
    err = failure(fetcher(), server.url("/missing"))
    assert (err.reason, err.status) == ("http-status", 404) and server.hits["/missing"] - before == 1


def test_requests_to_one_host_are_spaced(server):
    clock = FakeClock()
    with fetcher(clock, per_host_interval=5.0) as f:
        for _ in range(3):
            f.get(server.url("/text"))
    # robots.txt first, then three pages: each waits its turn behind the one before
    assert clock.waits == [5.0, 5.0, 5.0]


def test_robots_txt_is_respected_unless_told_otherwise(server):
    err = failure(fetcher(), server.url("/private/chile-peru-planet.html"))
    assert err.reason == "robots"
    with fetcher(respect_robots=False) as f:
        assert f.get(server.url("/private/chile-peru-planet.html")).status == 200


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/", "http://localhost:9/", "http://[::1]:9/", "http://10.1.2.3/", "http://192.168.0.1/",
    "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/", "http://100.64.0.1/",
])
def test_private_loopback_and_link_local_addresses_are_refused(url):
    with Fetcher(FetchOptions(retries=0)) as f:  # allow_private=False: the default
        err = failure(f, url)
    assert err.reason == "private-address" and "--allow-private" in err.problem


def test_the_guard_checks_every_redirect_hop(server):
    # The first hop (127.0.0.1) is allowed; the redirect to 127.0.0.2 is not, and is never connected to.
    err = failure(fetcher(), server.url("/redirect-away"))
    assert err.reason == "private-address" and "127.0.0.2" in err.problem


def test_allow_private_lets_a_local_server_be_fetched(server):
    with Fetcher(FetchOptions(allow_private=True, per_host_interval=0)) as f:
        assert f.get(server.url("/text")).content.startswith(b"Chile and Peru")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "http:///nohost"])
def test_only_http_urls_are_fetched(url):
    with Fetcher() as f:
        assert failure(f, url).reason == "bad-url"
