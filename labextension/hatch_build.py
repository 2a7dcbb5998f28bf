"""The hatch-jupyter-builder build function: npm_builder, with JupyterLab's Python made known.

The npm build (scripts/build-labextension.mjs) asks Python where the installed JupyterLab keeps
its package metadata; in pip's or uv's isolated build environment that must be the build
environment's interpreter, which only this process knows.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from hatch_jupyter_builder import npm_builder


def build(target_name: str, version: str, **kwargs: Any) -> None:
    os.environ.setdefault("ORCHESTR_LAB_PYTHON", sys.executable)
    npm_builder(target_name, version, **kwargs)
