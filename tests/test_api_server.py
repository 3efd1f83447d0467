"""The API over the network: `accords serve` (uvicorn) on 127.0.0.1, called with httpx from this process."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.test_api import PUBLISHED, TOKEN, build_db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: str, *extra: str, token: str | None = TOKEN, timeout: float = 60.0):
    """`accords serve` in a child process until the block ends; yields its base URL."""
    port = free_port()
    env = {**os.environ, "ACCORDS_API_TOKEN": token or ""}
    log = Path(db).with_suffix(f".{port}.log")
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "accords", "serve", "--db", db, "--port", str(port),
                                 "--log-level", "warning", *extra], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"accords serve exited with {proc.returncode}: {log.read_text()}")
            try:
                if httpx.get(base + "/stats", timeout=2).status_code in (200, 401):
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"accords serve did not answer within {timeout:.0f} s: {log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = build_db(tmp_path_factory.mktemp("served") / "accords.db")
    with serving(db) as base:
        yield base


def test_reads_over_the_network(server):
    with httpx.Client(base_url=server) as c:
        members = c.get("/bodies/brics/members", params={"as_of": "2025-02-01"}).json()
        assert {"EGY", "ETH", "IDN"} <= {e["member"]["id"] for e in members["members"]}
        assert c.get("/openapi.json").json()["info"]["title"] == "accords"
        page = c.get("/body/brics")
        assert page.status_code == 200 and "BRICS" in page.text
        assert c.get("/static/world.json").json()["countries"]


def test_errors_over_the_network(server):
    with httpx.Client(base_url=server) as c:
        r = c.get("/countries/atlantis")
        assert r.status_code == 404 and r.json() == {"ok": False, "error": r.json()["error"], "status": 404}
        r = c.post("/documents", json={"text": "Peru joined the Pacific Alliance in 2011."})
        assert r.status_code == 401 and r.json()["ok"] is False


def test_write_then_read_over_the_network(server):
    doc = {"id": "wire-1", "text": "Mongolia joined the Shanghai Cooperation Organisation on Monday.",
           "published": PUBLISHED, "outlet": "Steppe Wire"}
    with httpx.Client(base_url=server, timeout=120) as c:
        r = c.post("/documents", json=doc, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 201, r.text
        assert r.json()["added"][0]["id"] == "wire-1"
        stored = c.get("/documents/wire-1").json()
        assert stored["document"]["outlet"] == "Steppe Wire"
        facts = c.get("/facts", params={"country": "MNG"}).json()["items"]
        assert any(f["object"]["id"] == "sco" for f in facts), facts


def test_private_server_over_the_network(tmp_path):
    db = build_db(tmp_path / "private.db")
    with serving(db, "--private") as base, httpx.Client(base_url=base) as c:
        assert c.get("/bodies").status_code == 401
        assert c.get("/bodies", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_private_server_refuses_to_start_without_a_token(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "accords", "serve", "--db", str(tmp_path / "x.db"), "--private",
                           "--port", str(free_port())], env={**os.environ, "ACCORDS_API_TOKEN": ""},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "ACCORDS_API_TOKEN" in proc.stderr
