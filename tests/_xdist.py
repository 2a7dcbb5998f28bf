"""How ``make test`` shares the suite between its pytest-xdist workers.

``--dist loadfile`` hands out test files whole, so a file's module-scoped fixtures (dask clusters,
jupyter servers) are built once. Some folders share a package-scoped fixture that is costly to
build and heavy to run: tests/browser's JupyterLab server and Chromium. Split file by file, each
worker would start its own server and browser, two at once on a 2-core machine, which makes
the browser tests slow enough to time out. Such a folder goes to one worker as one unit.
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

#: Folders handed out whole (their package-scoped fixtures are started once, on one worker).
ONE_UNIT_FOLDERS = ("tests/browser/",)


class LoadFileOrFolderScheduling(LoadFileScheduling):
    """``--dist loadfile``, except that a folder of ``ONE_UNIT_FOLDERS`` is a single unit."""

    def _split_scope(self, nodeid: str) -> str:
        for folder in ONE_UNIT_FOLDERS:
            if nodeid.startswith(folder):
                return folder
        return super()._split_scope(nodeid)
