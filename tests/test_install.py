"""`pip install .` gives a working `kg` anywhere: the list, facts, ontology and templates ship."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from kg.map.page import INTERFACE_SCRIPTS

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.install


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    (found,) = out.glob("kg-*.whl")
    return found


def test_the_wheel_carries_every_file_kg_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "kg/ontology/kg.ttl",
        "kg/ontology/shapes.ttl",
        "kg/ontology/extension-shapes.ttl",
        "kg/sparql/queries/co-cited.rq",
        "kg/sparql/queries/candidates.rq",
        "kg/data/deep-learning-theory.md",
        "kg/data/seed-facts.json",
        "kg/map/templates/page.html.j2",
        *(f"kg/map/templates/{name}" for name in INTERFACE_SCRIPTS),
        "kg/map/templates/insights.js",
        "kg/map/templates/communities.js",
        "kg/map/templates/start.js",
        "kg/map/templates/canvas.js",
        "kg/map/templates/vis.js",
        "kg/map/templates/page.css",
    ):
        assert needed in names, needed


def test_installed_kg_builds_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # A bare venv (no pip of its own: seeding one costs seconds); this environment's pip
    # installs into it.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # The dependencies come from this environment (no registry needed); kg from the wheel.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--ignore-installed", str(wheel)], check=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(venv / "bin" / "kg"), "build"], cwd=elsewhere,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "outputs" / "kg.ttl").stat().st_size > 10_000
    assert "drawn by vis-network" in result.stdout  # pyvis, a dependency, is there
    assert '<body data-engine="vis">' in (elsewhere / "outputs" / "kg.html").read_text(encoding="utf-8")
    imported = subprocess.run([str(python), "-c", "import kg; print(kg.__file__)"], cwd=elsewhere,
                              capture_output=True, text=True, check=True).stdout
    assert str(venv) in imported  # the installed copy ran, not this checkout
