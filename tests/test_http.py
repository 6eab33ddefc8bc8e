"""The network policy against a real local HTTP server: retries, waits, errors, the key.

Waits are observed through an injected clock and sleep, so the tests see exactly what the
policy would wait without spending the time; the HTTP is real.
"""

from __future__ import annotations

import json
import random
import socket
import time
from dataclasses import replace

import pytest
from s2server import FakeS2Server, Faults

from kg.errors import AuthError, FetchError, UnreachableError
from kg.sources.api_client import ApiClient
from kg.sources.http import NetworkPolicy

BATCH = "/graph/v1/paper/batch?fields=title"
BODY = json.dumps({"ids": ["ARXIV:1702.08489", "ARXIV:0000.00000"]}).encode()


class FakeTime:
    """A clock that moves only when the policy sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client(policy: NetworkPolicy, fake: FakeTime | None = None) -> ApiClient:
    fake = fake or FakeTime()
    return ApiClient(policy, sleep=fake.sleep, clock=fake.clock, rng=random.Random(1))


FAST = NetworkPolicy(rate=float("inf"), backoff_base=0.5, backoff_cap=8, max_attempts=6, timeout=5)


def test_a_429_burst_waits_at_least_what_retry_after_asks() -> None:
    fake = FakeTime()
    faults = Faults(script={1: 429, 2: 429, 3: 429}, retry_after="7")
    with FakeS2Server(faults=faults) as server, client(FAST, fake) as http:
        answer = http.request("POST", server.url + BATCH, body=BODY)
    assert answer.status == 200
    assert answer.data[0]["title"].startswith("Synthetic paper")
    assert answer.data[1] is not None  # any arXiv id resolves on the synthetic server
    assert [s.status for s in server.seen] == [429, 429, 429, 200]
    assert len(fake.sleeps) == 3 and all(wait >= 7 for wait in fake.sleeps)
    assert http.requests == 4 and http.retries == 3


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_with_growing_jittered_waits(status: int) -> None:
    fake = FakeTime()
    with FakeS2Server(faults=Faults(script={1: status, 2: status, 3: status})) as server, client(FAST, fake) as http:
        answer = http.request("POST", server.url + BATCH, body=BODY)
    assert answer.status == 200 and len(answer.data) == 2
    assert [s.status for s in server.seen] == [status] * 3 + [200]
    # full jitter: each wait is at most base * 2^(n-1)
    assert all(0 <= wait <= 0.5 * 2**n for n, wait in enumerate(fake.sleeps))


def test_server_errors_that_never_stop_are_an_error_not_an_empty_result() -> None:
    policy = NetworkPolicy(rate=float("inf"), backoff_base=0.01, max_attempts=3)
    script = dict.fromkeys(range(1, 10), 502)
    with FakeS2Server(faults=Faults(script=script)) as server, client(policy) as http:
        with pytest.raises(FetchError, match=r"gave up after 3 attempt.*HTTP 502") as caught:
            http.request("POST", server.url + BATCH, body=BODY)
    assert "/graph/v1/paper/batch" in str(caught.value)
    assert len(server.seen) == 3


def test_the_total_wait_is_bounded() -> None:
    fake = FakeTime()
    policy = NetworkPolicy(rate=float("inf"), max_wait=60, max_attempts=50)
    faults = Faults(script=dict.fromkeys(range(1, 60), 429), retry_after="3600")
    with FakeS2Server(faults=faults) as server, client(policy, fake) as http:
        with pytest.raises(FetchError, match="asks to wait 3600 s"):
            http.request("POST", server.url + BATCH, body=BODY)
    assert len(server.seen) == 1 and fake.sleeps == []


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_is_a_clear_error_at_once(status: int) -> None:
    policy = NetworkPolicy(api_key="wrong-key", rate=float("inf"))
    with FakeS2Server(faults=Faults(script={1: status})) as server, client(policy) as http:
        with pytest.raises(AuthError, match="refused the API key") as caught:
            http.request("POST", server.url + BATCH, body=BODY)
    assert "S2_API_KEY" in str(caught.value) and "wrong-key" not in str(caught.value)
    assert len(server.seen) == 1


def test_the_key_goes_on_every_request_and_a_wrong_one_is_refused() -> None:
    with FakeS2Server(api_key="right") as server:
        with client(NetworkPolicy(api_key="right", rate=float("inf"))) as http:
            http.request("POST", server.url + BATCH, body=BODY)
        with client(NetworkPolicy(api_key="wrong", rate=float("inf"))) as http:
            with pytest.raises(AuthError):
                http.request("POST", server.url + BATCH, body=BODY)
    assert [(s.api_key, s.status) for s in server.seen] == [("right", 200), ("wrong", 403)]


def test_without_a_key_a_403_says_so() -> None:
    with FakeS2Server(faults=Faults(script={1: 403})) as server, client(FAST) as http:
        with pytest.raises(AuthError, match="without an API key"):
            http.request("POST", server.url + BATCH, body=BODY)
    assert server.seen[0].api_key is None


def test_a_truncated_body_and_a_dropped_connection_are_retried() -> None:
    fake = FakeTime()
    with FakeS2Server(faults=Faults(truncate=frozenset({1}), drop=frozenset({2}))) as server, client(FAST, fake) as http:
        answer = http.request("POST", server.url + BATCH, body=BODY)
    assert answer.status == 200 and len(answer.data) == 2
    assert len(server.seen) == 3 and len(fake.sleeps) == 2


def test_a_slow_answer_times_out_and_is_asked_again() -> None:
    policy = NetworkPolicy(rate=float("inf"), timeout=0.3, backoff_base=0.01)
    faults = Faults(rate_slow=1.0, slow_seconds=0.6)  # every answer slow: it gives up
    with FakeS2Server(faults=faults) as server, ApiClient(replace_attempts(policy, 2)) as http:
        with pytest.raises(FetchError, match="no answer within 0.3 s"):
            http.request("POST", server.url + BATCH, body=BODY)
    assert len(server.seen) >= 1
    faults = Faults(rate_slow=0.5, slow_seconds=0.6, seed=3)  # some slow: it gets there
    with FakeS2Server(faults=faults) as server, ApiClient(replace_attempts(policy, 8)) as http:
        assert http.request("POST", server.url + BATCH, body=BODY).status == 200
    slow = [s for s in server.seen if s.status == 200]
    assert len(slow) >= 1


def replace_attempts(policy: NetworkPolicy, attempts: int) -> NetworkPolicy:
    return replace(policy, max_attempts=attempts)


def test_requests_are_spaced_by_the_rate() -> None:
    fake = FakeTime()
    with FakeS2Server() as server, client(NetworkPolicy(rate=2), fake) as http:
        for _ in range(3):
            http.request("POST", server.url + BATCH, body=BODY)
    assert fake.sleeps == [0.5, 0.5]  # real requests take (fake) no time: each waits its turn


def test_the_default_rate_is_one_per_second_with_a_key_and_gentler_without() -> None:
    assert NetworkPolicy(api_key="k").min_interval == 1.0
    assert NetworkPolicy().min_interval == 2.0
    assert NetworkPolicy(rate=float("inf")).min_interval == 0.0


def test_a_404_is_an_answer() -> None:
    with FakeS2Server() as server, client(FAST) as http:
        answer = http.request("GET", server.url + "/graph/v1/paper/search/match?query=x&fields=title")
    assert answer.status == 200  # any title matches on the synthetic server
    with FakeS2Server() as server, client(FAST) as http:
        answer = http.request("GET", server.url + "/graph/v1/nothing?fields=title")
    assert answer.status == 404 and "no such endpoint" in answer.data["error"]


def test_a_bad_request_is_an_error_naming_the_api_message() -> None:
    with FakeS2Server() as server, client(FAST) as http:
        with pytest.raises(FetchError, match="Unrecognized or unsupported fields"):
            http.request("POST", server.url + "/graph/v1/paper/batch?fields=nonsense", body=BODY)
    assert len(server.seen) == 1


def test_an_unreachable_server_fails_fast_when_probing() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    with ApiClient(NetworkPolicy(rate=float("inf"))) as http:
        with pytest.raises(UnreachableError, match=f"127.0.0.1:{port}"):
            http.request("GET", f"http://127.0.0.1:{port}/graph/v1/paper/x", probe=True)
    assert time.monotonic() - started < 2
    assert http.requests == 1


def test_the_key_never_shows_in_the_policy() -> None:
    assert "secret" not in repr(NetworkPolicy(api_key="secret"))


def test_the_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S2_API_KEY", " from-env ")
    assert NetworkPolicy.from_env().api_key == "from-env"
    monkeypatch.setenv("S2_API_KEY", "")
    assert NetworkPolicy.from_env().api_key is None


# --- what kg refuses on the wire (issue 12, items 3 and 8) -------------------------------


def test_a_trickling_answer_ends_at_the_deadline() -> None:
    """Each byte comes well within the read timeout, so only an overall deadline ends it."""
    policy = NetworkPolicy(rate=float("inf"), timeout=5, deadline=0.3, max_attempts=2, backoff_base=0.01)
    with FakeS2Server(hostile={"trickle"}, trickle_seconds=0.02) as server, ApiClient(policy) as http:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"gave up after 2 attempt.*within the 0.3 s deadline"):
            http.request("POST", server.url + BATCH, body=BODY)
        elapsed = time.monotonic() - started
    assert 0.6 <= elapsed < 2.5  # two attempts of 0.3 s, not the minutes the trickle takes
    assert len(server.seen) == 2


def test_a_body_past_the_cap_is_refused_as_it_arrives() -> None:
    policy = NetworkPolicy(rate=float("inf"), max_body=100_000, backoff_base=0.01)
    with FakeS2Server(hostile={"huge"}, huge_bytes=50_000_000) as server, ApiClient(policy) as http:
        with pytest.raises(FetchError, match=r"too large \(more; at most 100,000 are read\)"):
            http.request("POST", server.url + BATCH, body=BODY)
    assert len(server.seen) == 1  # not retried: the same answer would come again


def test_a_declared_length_past_the_cap_is_refused_before_the_body() -> None:
    policy = NetworkPolicy(rate=float("inf"), max_body=200, max_attempts=1)
    one = json.dumps({"ids": ["ARXIV:1702.08489"]}).encode()
    with FakeS2Server() as server, ApiClient(policy) as http:
        assert len(http.request("POST", server.url + BATCH, body=one).text) < 200
        with pytest.raises(FetchError, match=r"too large \([\d,]+ bytes; at most 200 are read"):
            http.request("POST", server.url + BATCH, body=BODY)


def test_a_redirect_is_not_followed_and_the_key_stays_home() -> None:
    with FakeS2Server(hostile={"redirect"}) as server:
        with client(NetworkPolicy(api_key="secret-key", rate=float("inf"))) as http:
            with pytest.raises(FetchError, match=r"HTTP 302, a redirect to .*/stolen.*follows no redirect") as caught:
                http.request("POST", server.url + BATCH, body=BODY)
    assert [s.target for s in server.seen] == [BATCH]  # /stolen never asked
    assert "secret-key" not in str(caught.value)


@pytest.mark.parametrize("mode", ["infinite-count", "deep-nesting", "not-json"])
def test_a_body_that_is_not_json_is_asked_again_then_an_error(mode: str) -> None:
    policy = NetworkPolicy(rate=float("inf"), max_attempts=2, backoff_base=0.01)
    with FakeS2Server(hostile={mode}) as server, client(policy) as http:
        with pytest.raises(FetchError, match=r"/paper/batch\?fields=title,citationCount: gave up after 2 attempt.*not valid JSON"):
            http.request("POST", server.url + BATCH + ",citationCount", body=BODY)
    assert len(server.seen) == 2


def test_json_means_the_standard() -> None:
    from kg.sources.http import parse_json

    assert parse_json('{"a": [1, 2.5, null]}') == {"a": [1, 2.5, None]}
    for text in ('{"n": NaN}', '{"n": -Infinity}', '{"n": 1e999}', "[" * 50_000 + "]" * 50_000):
        with pytest.raises(ValueError, match="not JSON"):
            parse_json(text)
