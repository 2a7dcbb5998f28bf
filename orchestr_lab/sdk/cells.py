"""A notebook cell's body as a function: what ``%%flow`` and ``%%task`` run.

The body is transformed like any cell (``%`` and ``!`` lines work), compiled under the cell's
own file name (tracebacks show the cell's lines) and executed in the user's namespace, so the
names it assigns stay defined. The value of a last bare expression is the run's result. A body
with a top-level ``await`` becomes an async function.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["CellBody", "assigned_names"]

_CO_COROUTINE = inspect.CO_COROUTINE


class _Assigned(ast.NodeVisitor):
    """Names a module-level body binds (not those of nested function or class bodies)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def _add(self, name: str) -> None:
        if name not in self.names:
            self.names.append(name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._add(node.id)

    def visit_FunctionDef(self, node: Any) -> None:
        self._add(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        pass

    def _visit_comp(self, node: Any) -> None:
        pass

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comp

    def visit_Import(self, node: Any) -> None:
        for alias in node.names:
            self._add(alias.asname or alias.name.split(".")[0])

    visit_ImportFrom = visit_Import


def assigned_names(tree: ast.Module) -> list[str]:
    visitor = _Assigned()
    for stmt in tree.body:
        visitor.visit(stmt)
    return [n for n in visitor.names if n != "*"]


class CellBody:
    """One cell's code, ready to run (again: a retry executes it afresh) in ``namespace``."""

    def __init__(self, shell: Any, cell: str, *, name: str) -> None:
        self.namespace: dict[str, Any] = shell.user_ns
        source = shell.transform_cell(cell)
        tree = ast.parse(source)  # a SyntaxError is the user's to see, raised as is
        self.source = source
        self.key = hashlib.sha256(f"{name}\0{source}".encode()).hexdigest()
        self.names = assigned_names(tree)
        last: ast.expr | None = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = tree.body.pop().value
        filename = shell.compile.cache(source, shell.execution_count, raw_code=cell)
        flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        self.body = compile(tree, filename, "exec", flags=flags, dont_inherit=True)
        self.last = (
            compile(ast.Expression(last), filename, "eval", flags=flags, dont_inherit=True)
            if last is not None
            else None
        )
        self.is_async = bool(self.body.co_flags & _CO_COROUTINE) or bool(
            self.last is not None and self.last.co_flags & _CO_COROUTINE
        )
        self.fn_name = name

    def function(self, *, keep_names: bool = False) -> Callable[[], Any]:
        """A zero-argument function running the body; with ``keep_names`` it returns
        ``{"value": ..., "names": {assigned name: value}}`` (what ``%%task --cache`` stores)."""
        ns = self.namespace
        body, last = self.body, self.last

        def result(value: Any) -> Any:
            if not keep_names:
                return value
            return {"value": value, "names": _picklable({n: ns[n] for n in self.names if n in ns})}

        if self.is_async:

            async def run_async() -> Any:
                out = eval(body, ns)
                if inspect.iscoroutine(out):
                    await out
                value = eval(last, ns) if last is not None else None
                if inspect.iscoroutine(value):
                    value = await value
                return result(value)

            fn: Callable[[], Any] = run_async
        else:

            def run() -> Any:
                exec(body, ns)
                return result(eval(last, ns) if last is not None else None)

            fn = run
        fn.__name__ = fn.__qualname__ = self.fn_name.replace("-", "_")
        fn.__module__ = "__main__"
        return fn


def _picklable(names: dict[str, Any]) -> dict[str, Any]:
    """The values a result store can keep (an open file or a lock is left out)."""
    import cloudpickle

    out = {}
    for name, value in names.items():
        try:
            cloudpickle.dumps(value)
        except Exception:
            continue
        out[name] = value
    return out
