"""The shipped model is packaged, and the model modules stay light to import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _setuptools_config() -> dict[str, object]:
    tomllib = pytest.importorskip("tomllib")
    with (ROOT / "pyproject.toml").open("rb") as handle:
        config: dict[str, object] = tomllib.load(handle)["tool"]["setuptools"]
    return config


@pytest.mark.parametrize("expected_dir", ["models"])
def test_packaging_maps_models_folder_to_subpackage(expected_dir: str) -> None:
    config = _setuptools_config()
    assert "interview_diag.models" in config["packages"]  # type: ignore[operator]
    assert expected_dir == config["package-dir"]["interview_diag.models"]  # type: ignore[index]
    data = config["package-data"]["interview_diag.models"]  # type: ignore[index]
    assert {"model.joblib", "manifest.json"} <= set(data)


@pytest.mark.parametrize("package_root", ["interview_diag"])
def test_packaging_lists_every_subpackage(package_root: str) -> None:
    # The package list is explicit (find cannot see the mapped models/ folder), so a
    # new folder of code or data that is not listed would be missing from the wheel.
    listed = set(_setuptools_config()["packages"])  # type: ignore[call-overload]
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / package_root).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert set() == on_disk - listed


@pytest.mark.parametrize(
    "modules",
    [
        (
            "interview_diag.model.artifact",
            "interview_diag.model.dataset",
            "interview_diag.model.metrics",
            "interview_diag.model.scorer",
        )
    ],
)
def test_model_modules_import_without_sklearn(modules: tuple[str, ...]) -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in modules)
        + "print(sorted(m for m in ('sklearn', 'joblib') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
