"""The path rules the API and the worker share: inside the folder, or PathOutsideRoot naming why."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestr_lab.core.errors import PathOutsideRoot
from orchestr_lab.core.ids import is_run_id
from orchestr_lab.engine.ids import new_id
from orchestr_lab.workers.paths import relative_to_root, resolve_under_root, run_file


def test_inside_the_root_is_resolved_and_made_relative(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "nb.ipynb").write_text("{}")
    (tmp_path / "alias.ipynb").symlink_to(tmp_path / "sub" / "nb.ipynb")
    assert resolve_under_root(tmp_path, "sub/../sub/nb.ipynb") == (tmp_path / "sub" / "nb.ipynb").resolve()
    assert relative_to_root(tmp_path, str(tmp_path / "alias.ipynb")) == "sub/nb.ipynb"


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("a\x00b.ipynb", "NUL character"),
        ("x" * 256, "longer than 255 bytes"),
        ("/".join(["dé"] * 1_100), "longer than 4096 bytes"),
        ("\ud800.ipynb", "not valid text"),
        ("loop.ipynb", "loop"),
        ("out.ipynb", "outside the server root"),
        ("../x.ipynb", "outside the server root"),
        ("/etc/passwd", "outside the server root"),
    ],
)
def test_what_is_refused_and_why(tmp_path: Path, path: str, says: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "loop.ipynb").symlink_to("loop.ipynb")
    (root / "out.ipynb").symlink_to(tmp_path / "elsewhere.ipynb")
    with pytest.raises(PathOutsideRoot, match=says):
        resolve_under_root(root, path)


def test_files_named_after_runs_need_a_run_id(tmp_path: Path) -> None:
    run_id = new_id()
    assert is_run_id(run_id) and run_file(tmp_path, run_id, ".ipynb") == tmp_path.resolve() / f"{run_id}.ipynb"
    for bad in ("../x", "..", "", "a/b", run_id + "/..", run_id + "\n", None):
        assert not is_run_id(bad)
    with pytest.raises(PathOutsideRoot, match="not a run id"):
        run_file(tmp_path, "../../escape", ".ipynb")
