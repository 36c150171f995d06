"""Execute the notebooks of an explicit list with nbclient; any cell error fails.

The kernel is this interpreter (a kernel spec written to a temporary
``JUPYTER_PATH``), so the notebook sees the same installed package as the tests.
Committed notebooks must carry no outputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ("notebooks/quickstart.ipynb",)
KERNEL = "idiag-test-python"
TIMEOUT = 120  # per cell, seconds


@pytest.fixture(scope="module")
def kernel_name(tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
    pytest.importorskip("ipykernel")
    base = tmp_path_factory.mktemp("jupyter")
    spec = base / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "interview_diag tests",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(base))
    mp.setenv("MPLBACKEND", "Agg")
    yield KERNEL
    mp.undo()


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_committed_without_outputs(path):
    import nbformat

    nb = nbformat.read(ROOT / path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path}: strip the outputs before committing"
            assert cell.execution_count is None, f"{path}: strip the execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_runs_without_errors(path, kernel_name):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    examples = [p for p in (ROOT / "examples").glob("*") if p.is_file()]
    assert examples, "examples/ holds no example files, and the notebook analyses them"
    nb = nbformat.read(ROOT / path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=TIMEOUT,
        resources={"metadata": {"path": str((ROOT / path).parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path}: a cell failed:\n{exc}")
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.get("output_type") == "error"
    ]
    assert errors == []
    images = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if "image/png" in out.get("data", {})
    ]
    assert images, f"{path}: the chart was not drawn"
