"""binder/postBuild, run as Binder would, in a fresh virtual environment.

Kept cheap: the environment gets the dependencies from uv's cache first, and pip builds the
wheel without isolation, with the extension this checkout has already built (the npm build
itself is what `make setup` runs on every fresh clone). What is checked is what Binder needs:
postBuild succeeds, and in that environment JupyterLab lists the extension enabled and the
server extension loads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

import orchestr_lab

REPO = Path(__file__).resolve().parents[2]
BUILT = REPO / "orchestr_lab" / "labextension" / "static" / "style.js"


def _tracked_copy(dest: Path) -> None:
    """The repository as a clone would have it (files git does not ignore), plus the built extension."""
    files = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    shutil.copytree(REPO / "orchestr_lab" / "labextension", dest / "orchestr_lab" / "labextension")


def _run(command: list[str], **kwargs: object) -> str:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{command} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.mark.timeout(600)
def test_postbuild_installs_and_enables_both_extensions(tmp_path: Path) -> None:
    if not BUILT.exists():
        pytest.fail("the JupyterLab extension is not built: run `make setup`")
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv, "uv is installed by `make setup`"
    repo = tmp_path / "repo"
    _tracked_copy(repo)
    venv = tmp_path / "venv"
    _run([uv, "venv", "--seed", "-q", "--python", sys.executable, str(venv)])
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    needs = [
        *pyproject["project"]["dependencies"],
        *pyproject["build-system"]["requires"],
        "hatch-jupyter-builder>=0.5",
    ]
    py = venv / "bin" / "python"
    _run([uv, "pip", "install", "-q", "--python", str(py), *needs], env={**os.environ, "UV_LINK_MODE": "copy"})

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VIRTUAL_ENV", "JUPYTER", "ORCHESTR_LAB", "PYTHON"))
    }
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        PIP_NO_BUILD_ISOLATION="off",  # pip's spelling of --no-build-isolation
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        HOME=str(tmp_path / "home"),  # no user-level Jupyter config or extensions
    )
    out = _run(["bash", str(repo / "binder" / "postBuild")], cwd=tmp_path, env=env)
    assert "installed and enabled" in out

    labext = _run([str(venv / "bin" / "jupyter"), "labextension", "list"], env=env)
    # One version for both halves (hatch-nodejs-version reads labextension/package.json).
    line = next(li for li in labext.splitlines() if "orchestr-lab v" in li)
    assert f"orchestr-lab v{orchestr_lab.__version__}" in line and "enabled" in line and "OK" in line
    installed = venv / "share" / "jupyter" / "labextensions" / "orchestr-lab"
    assert (installed / "package.json").exists() and (installed / "install.json").exists()
    server = _run([str(venv / "bin" / "jupyter"), "server", "extension", "list"], env=env)
    assert "orchestr_lab" in server and "OK" in server.split("orchestr_lab", 1)[1]
    # The package came from the copy, not this checkout.
    where = _run([str(py), "-c", "import orchestr_lab; print(orchestr_lab.__file__)"], env=env, cwd=tmp_path)
    assert str(venv) in where
