"""Packaging: build the sdist and wheel, install the wheel into a fresh venv, run it.

``python -m build`` builds the sdist and then the wheel *from the sdist*, so a file
missing from the sdist is missing from the wheel too. The wheel is installed into a
new venv (dependencies from the pip cache or the index) and ``interview-diag
analyze`` runs on an example copied to a folder outside the repository.

It takes about 30 s with a warm pip cache (most of it installing spaCy and
scikit-learn), so it is marked ``slow``; ``make test`` still runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from interview_diag import __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "interview_diag"
# The source tree the build needs; models/ is mapped to interview_diag.models.
SOURCES = ("pyproject.toml", "README.md", "interview_diag", "models")
# An example to analyse: the demo transcript, else any example, else this one.
FALLBACK_EXAMPLE = (
    "Interviewer: Why did you leave your last job?\n"
    "Candidate: Honestly, my old boss was an idiot who never listened.\n"
)

pytestmark = pytest.mark.slow


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def run(cmd: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        cmd, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, (
        f"{cmd} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def pick_example(dest: Path) -> Path:
    examples = ROOT / "examples"
    preferred = examples / "transcript_blown.txt"
    candidates = [preferred] if preferred.is_file() else []
    if examples.is_dir():
        candidates += sorted(
            p
            for p in examples.iterdir()
            if p.is_file()
            and p.suffix in {".txt", ".vtt", ".srt", ".json"}
            and not p.stem.startswith("job_description")
        )
    target = dest / (candidates[0].name if candidates else "interview.txt")
    if candidates:
        shutil.copy(candidates[0], target)
    else:
        target.write_text(FALLBACK_EXAMPLE, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    pytest.importorskip("build")
    tmp = tmp_path_factory.mktemp("wheel")
    # Build from a copy, so the build never writes build/ or egg-info into the repo.
    src = tmp / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        elif path.exists():
            shutil.copy(path, src / name)
    dist = tmp / "dist"
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(src)], cwd=tmp)
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    return {"tmp": tmp, "wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def venv(built) -> Path:
    tmp = built["tmp"]
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp)
    python = venv / "bin" / "python"
    # This interpreter's pip installs into the new venv; no byte-compiling saves ~20 s.
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-compile",
            str(built["wheel"]),
        ],
        cwd=tmp,
    )
    return venv


def package_data_files() -> set[str]:
    """The data files of the package source that the wheel must carry."""
    found = {"interview_diag/py.typed"}
    for path in PACKAGE.rglob("*"):
        if (
            path.is_file()
            and path.suffix in {".json", ".joblib"}
            and "__pycache__" not in path.parts
        ):
            found.add(path.relative_to(ROOT).as_posix())
    models = ROOT / "models"
    if models.is_dir():
        for name in ("model.joblib", "manifest.json"):
            if (models / name).is_file():
                found.add(f"interview_diag/models/{name}")
    return found


def test_wheel_name_carries_the_package_version(built):
    assert built["wheel"].name.startswith(f"interview_diag-{__version__}-")
    assert built["sdist"].name == f"interview_diag-{__version__}.tar.gz"


def test_wheel_holds_rules_schema_and_model(built):
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    rule_files = {f"interview_diag/rules/{p.name}" for p in (PACKAGE / "rules").glob("*.json")}
    assert rule_files, "no rule files in the source"
    assert rule_files <= names
    assert "interview_diag/schema/report.schema.json" in names
    if (ROOT / "models" / "model.joblib").is_file():
        assert {
            "interview_diag/models/model.joblib",
            "interview_diag/models/manifest.json",
        } <= names
    missing = package_data_files() - names
    assert not missing, f"package data missing from the wheel: {sorted(missing)}"
    assert not [n for n in names if n.startswith(("tests/", "data/", "notebooks/"))]


def test_sdist_holds_the_package_data(built):
    with tarfile.open(built["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert "pyproject.toml" in names
    assert {f for f in package_data_files() if not f.startswith("interview_diag/models/")} <= names
    if (ROOT / "models" / "model.joblib").is_file():
        assert "models/model.joblib" in names


def test_wheel_installed_in_fresh_venv_analyzes_an_example(venv, tmp_path):
    work = tmp_path / "outside"
    work.mkdir()
    example = pick_example(work)
    exe = venv / "bin" / "interview-diag"
    where = run(
        [str(venv / "bin" / "python"), "-c", "import interview_diag as d; print(d.__file__)"],
        cwd=work,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), "imported from outside the fresh venv"
    version = run([str(exe), "--version"], cwd=work)
    assert __version__ in version.stdout
    result = run([str(exe), "analyze", example.name, "--format", "json"], cwd=work)
    data = json.loads(result.stdout)
    assert data["findings"], "no findings on the example"
    source = example.read_text(encoding="utf-8")
    for f in data["findings"]:
        for e in f["evidence"]:
            assert source[e["start"] : e["end"]] == e["text"]
