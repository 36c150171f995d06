"""Shared fixtures for the whole test suite (the only conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_FORMATS = ROOT.parent / "shared" / "formats"


@pytest.fixture(scope="session")
def shared_formats() -> Path:
    """The folder of real transcript samples beside the project; skips when absent."""
    if not SHARED_FORMATS.is_dir():
        pytest.skip("../shared/formats is not present")
    return SHARED_FORMATS


@pytest.fixture(scope="session")
def shared_expect(shared_formats: Path) -> dict[str, list[str]]:
    """Expected speaker lists for some of the shared samples."""
    return json.loads((shared_formats / "expect.json").read_text(encoding="utf-8"))
