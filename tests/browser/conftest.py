"""A real ``jupyter lab`` with orchestr-lab, driven by Debian's Chromium through Playwright.

One server per session (a temporary root holding copies of examples/ plus a slow notebook, its
own orchestr-lab home and JupyterLab settings), one fresh browser page per test. Waiting is
always on state (Playwright's expect/wait_for with timeouts), never a fixed sleep.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
#: Where screenshots go: docs/screenshots with `make screenshots` (they are committed and the
#: README shows them), else a temporary folder, so a test run leaves the checkout unchanged.
SCREENSHOTS_ENV = "ORCHESTR_LAB_SCREENSHOTS"
CHROMIUM = os.environ.get("ORCHESTR_LAB_CHROMIUM", "/usr/bin/chromium")
# ENV.md: Debian's Chromium, headless, nothing that phones home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: How long a notebook run may take on a loaded 2-core machine before a test gives up.
RUN_TIMEOUT_MS = 90_000


@dataclass
class Lab:
    """The running server: where it is, its token and its root folder."""

    url: str
    token: str
    root: Path
    process: subprocess.Popen[bytes]
    log: Path

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call orchestr-lab's REST API; raises on an error status."""
        response = httpx.request(
            method,
            f"{self.url}orchestr-lab/api/{path}",
            headers={"Authorization": f"token {self.token}"},
            timeout=30,
            **kwargs,
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def deploy(self, notebook: str, **fields: Any) -> dict[str, Any]:
        """A deployment of ``notebook`` (unique name), created through the API."""
        body = {"name": f"{Path(notebook).stem}-{uuid.uuid4().hex[:6]}", "notebook": notebook, **fields}
        return self.api("POST", "deployments", json=body)

    def lab_url(self, path: str = "lab") -> str:
        return f"{self.url}{path}?token={self.token}&reset"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _slow_notebook(path: Path) -> None:
    """A notebook whose run lasts ``seconds`` (a parameter), for RUNNING and cancel tests."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("seconds: float = 2.0  # how long the run lasts")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell("import time\ntime.sleep(seconds)\nprint(f'slept {seconds} s')"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@contextlib.contextmanager
def running_lab(base: Path, *extra_args: str) -> Iterator[Lab]:
    """``jupyter lab`` on a copy of examples/ (plus slow.ipynb) with its own store, until exit."""
    root = base / "root"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    _slow_notebook(root / "slow.ipynb")
    # No "get notified about Jupyter news?" toast over the screenshots.
    settings = base / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    token = uuid.uuid4().hex
    port = _free_port()
    env = {
        **os.environ,
        "ORCHESTR_LAB_HOME": str(base / "home"),
        # Clean JupyterLab state: no restored layout or user settings from this machine.
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "ORCHESTR_LAB_SCHEDULER_INTERVAL": "1",
    }
    for name in ("ORCHESTR_LAB_DB_URL", "ORCHESTR_LAB_RESULTS_DIR", "ORCHESTR_LAB_API_URL"):
        env.pop(name, None)
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}",
        "--ServerApp.port_retries=0", *extra_args,
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = base / "jupyter.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited ({process.returncode}):\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}api/status", params={"token": token}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter lab did not answer in 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)  # polling the server's readiness, not waiting on UI state
        yield Lab(url=url, token=token, root=root, process=process, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Package scope, not session: Playwright's sync API keeps its event loop marked as running in
# this thread while it is started, which would break every later asyncio test (pytest-jupyter's
# servers); the browser (and the server) must be gone before pytest leaves tests/browser.
@pytest.fixture(scope="package")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: `make test` installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_FAILED] = report.failed


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Any, lab: Lab, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A fresh JupyterLab page, loaded, with the Orchestration sidebar shown."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = open_lab(context, lab)
    # A marker that a reload would wipe: the tests assert updates arrive without one.
    page.evaluate("window.__orchestrNoReload = true")
    try:
        yield page
        if request.node.stash.get(_FAILED, False):
            # What the browser showed when the test failed, for the report.
            shot = tmp_path / "failure.png"
            page.screenshot(path=str(shot))
            print(f"screenshot of the failure: {shot}")
            print("jupyter lab's log, last lines:\n" + lab.log.read_text(errors="replace")[-4000:])
    finally:
        context.close()


def open_lab(context: Any, lab: Lab) -> Any:
    """A new page of ``context`` showing JupyterLab, loaded."""
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(lab.lab_url())
    page.locator("#jp-main-dock-panel").wait_for(state="visible", timeout=60_000)
    return page


def open_new_notebook(page: Any, lab: Lab, name: str, source: str) -> Any:
    """Write a one-cell notebook ``name`` holding ``source``, open it, wait for its kernel to be
    idle, and return the notebook panel (its cell is not run)."""
    from playwright.sync_api import expect

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, lab.root / name)
    # reset: only this notebook, not the ones an earlier test left open (whose idle kernel the
    # status bar could show before this one's kernel is up).
    page.goto(f"{lab.url}lab/tree/{name}?token={lab.token}&reset")
    notebook = page.locator(".jp-NotebookPanel:visible")
    expect(notebook.locator(".jp-Notebook")).to_be_visible(timeout=60_000)
    expect(notebook.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_be_attached(timeout=60_000)
    idle = page.locator("#jp-main-statusbar", has_text=re.compile(r"ipykernel\) \| Idle"))
    expect(idle).to_be_visible(timeout=60_000)
    return notebook


def show_sidebar(page: Any) -> Any:
    """Click the sidebar's tab (the layout restorer may have shown the file browser instead)."""
    return _show_left(page, "orchestr-lab-sidebar")


def _show_left(page: Any, widget_id: str) -> Any:
    """Show a left-area widget by its tab; clicking the current tab would collapse it, so don't."""
    tab = page.locator(f"li.lm-TabBar-tab[data-id='{widget_id}']")
    tab.wait_for(state="visible")
    widget = page.locator(f"#{widget_id}")
    if "lm-mod-current" not in (tab.get_attribute("class") or "") or not widget.is_visible():
        tab.click()
    widget.wait_for(state="visible")
    return widget


def show_file_browser(page: Any) -> Any:
    return _show_left(page, "filebrowser")


@pytest.fixture(scope="session", autouse=True)
def _screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    global _SCREENSHOTS
    chosen = os.environ.get(SCREENSHOTS_ENV)
    _SCREENSHOTS = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")


_SCREENSHOTS: Path | None = None


def screenshot(page: Any, name: str, locator: Any = None) -> Path:
    """Save NAME.png of the page (or of one element) into the screenshot folder."""
    assert _SCREENSHOTS is not None
    _SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = _SCREENSHOTS / f"{name}.png"
    (locator or page).screenshot(path=str(path))
    assert path.stat().st_size > 0
    return path


def no_reload_happened(page: Any) -> bool:
    return bool(page.evaluate("window.__orchestrNoReload === true"))


def json_dump(value: Any) -> str:
    return json.dumps(value, indent=2, default=str)
