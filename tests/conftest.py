"""Shared fixtures. Keep this small: put helpers in their own module (e.g. browser.py)."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from browser import OfflineBrowser

    from kg.pipeline import BuildResult


@pytest.fixture(scope="session")
def offline_browser() -> Iterator[OfflineBrowser]:
    """Headless chromium with the network blocked (see ``tests/browser.py``).

    Skips when chromium is not installed; under ``CI=true`` that is a failure instead,
    so a missing install step cannot pass as a green run.
    """
    from browser import chromium_path, launch_offline_browser

    if chromium_path() is None:
        reason = "chromium not installed (apt-get install chromium, or set KG_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with launch_offline_browser() as browser:
        yield browser


@pytest.fixture(scope="session", autouse=True)
def no_internet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test touches the real Semantic Scholar API, nor the user's cache.

    ``S2_API_URL`` points at a local port nothing listens on, so a build in the default
    mode (try the API, else offline) finds it unreachable at once; tests that want an API
    start a local server and pass its URL. The cache goes to a temporary directory
    (platformdirs honours ``XDG_CACHE_HOME``) and no API key is sent anywhere.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    saved = {name: os.environ.get(name) for name in ("S2_API_URL", "S2_API_KEY", "XDG_CACHE_HOME")}
    os.environ["S2_API_URL"] = f"http://127.0.0.1:{closed_port}"
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    os.environ.pop("S2_API_KEY", None)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The shipped list built once per session, offline, validated, with its map.

    The build runs in its output directory, so a file written beside the outputs (pyvis
    copies a ``lib/`` folder into the working directory) would show. Tests only read it.
    """
    from kg.pipeline import BuildSettings, build

    out = tmp_path_factory.mktemp("seed")
    with contextlib.chdir(out):
        return build(BuildSettings(out_dir=out))
