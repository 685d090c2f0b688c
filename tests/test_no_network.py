"""Nothing in reading pages can reach the network: parsing HTML full of remote
references, and a whole build, succeed with every socket call made to fail."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest

from pipeline.build import run_build
from pipeline.documents import parse_document
from tests.conftest import RAW

REMOTE_PAGE = """<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY remote SYSTEM "http://tracker.invalid/entity">]>
<html><head><title>Distant</title>
<link rel="stylesheet" href="http://tracker.invalid/a.css">
<link rel="preload" href="https://tracker.invalid/font.woff2">
<script src="http://tracker.invalid/a.js"></script>
<meta http-equiv="refresh" content="0; url=http://tracker.invalid/">
<base href="http://tracker.invalid/">
</head><body>
<p>Texte &remote; visible.</p>
<img src="http://tracker.invalid/pixel.gif" srcset="http://tracker.invalid/2x.gif 2x">
<iframe src="http://tracker.invalid/frame"></iframe>
<object data="http://tracker.invalid/o.swf"></object>
<video src="http://tracker.invalid/v.mp4"></video>
<p style="background:url(http://tracker.invalid/bg.png)">Fin.</p>
</body></html>"""


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way Python code reaches the network raises, and is recorded."""
    attempts: list[str] = []

    def refuse(name: str):  # type: ignore[no-untyped-def]
        def blocked(*args, **kwargs):  # type: ignore[no-untyped-def]
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise NetworkUsed(f"network access attempted: {name}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("socket.sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    return attempts


def test_the_blocker_does_block(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.invalid", 80))
    assert no_network


def test_parsing_a_page_full_of_remote_references_fetches_nothing(no_network):
    raw = REMOTE_PAGE.encode()
    doc = parse_document(raw, "remote.html", hashlib.sha256(raw).hexdigest())
    assert doc.text == "Texte &remote; visible.\nFin."
    assert no_network == []


@pytest.mark.slow
def test_a_whole_build_succeeds_without_network(tmp_path: Path, no_network):
    raw = tmp_path / "raw"
    raw.mkdir()
    seed = sorted(RAW.glob("*.txt"))[0]
    (raw / seed.name).write_bytes(seed.read_bytes())
    (raw / "remote.html").write_text(REMOTE_PAGE)
    result = run_build(raw, tmp_path / "warehouse", version="offline")
    assert result.error is None
    assert result.success, [c.details for c in result.failed_checks]
    assert result.rows["documents"] == 2
    assert no_network == []
