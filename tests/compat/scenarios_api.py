"""Parity scenarios for the rest of the flow/task API (topic ``api``): the logging, context,
annotations, testing and runtime modules, ``tags(...)``, ``State[T]``, the ``on_running`` and
``on_crashed`` hooks, ``cache_result_in_memory``, flows and tasks on methods, generator flows
and tasks, the Mermaid graph of a flow, ``log_prints`` outside a flow and the process pool."""

import asyncio
import importlib
import os

from scenarios import capture_stdout, exc, raises, scenario, state_obs


def _mod(L, name: str):
    return importlib.import_module(f"{L.name}.{name}")


@scenario
def api_logging_module(L):
    logging_ = _mod(L, "logging")

    @L.task
    def t():
        logging_.get_run_logger().info("quiet please")
        return 1

    with logging_.disable_run_logger():
        inside = t()
        fn_call = raises(lambda: t.fn())
    return {
        "get_run_logger_is_the_root_one": logging_.get_run_logger is L.get_run_logger,
        "root_logger_named_after_the_package": logging_.get_logger().name == L.name,
        "child_logger": logging_.get_logger("x").name == f"{L.name}.x",
        "full_name_kept": logging_.get_logger(f"{L.name}.y").name == f"{L.name}.y",
        "task_in_disabled_block": inside,
        "task_fn_in_disabled_block": fn_call,
        "outside_a_run": raises(lambda: logging_.get_run_logger()),
    }


@scenario
def api_run_context(L):
    context = _mod(L, "context")

    @L.task
    def t(a):
        c = context.get_run_context()
        return {
            "is_task_ctx": isinstance(c, context.TaskRunContext),
            "get_is_it": context.TaskRunContext.get() is c,
            "task_name": c.task.name,
            "task_run_name_is_runtime": c.task_run.name == L.runtime.task_run.name,
            "task_run_id_is_runtime": str(c.task_run.id) == str(L.runtime.task_run.id),
            "parameters": dict(c.parameters),
            "run_count": c.task_run.run_count,
            "flow_ctx_present": context.FlowRunContext.get() is not None,
        }

    @L.flow
    def f(x=1):
        c = context.get_run_context()
        return {
            "is_flow_ctx": isinstance(c, context.FlowRunContext),
            "get_is_it": context.FlowRunContext.get() is c,
            "flow_name": c.flow.name,
            "flow_run_name_is_runtime": c.flow_run.name == L.runtime.flow_run.name,
            "flow_run_id_is_runtime": str(c.flow_run.id) == str(L.runtime.flow_run.id),
            "parameters": dict(c.parameters),
            "run_count": c.flow_run.run_count,
            "task_ctx_in_flow": context.TaskRunContext.get(),
            "task": t(2),
        }

    return {
        "in_flow": f(),
        "lone_task": t(3),
        "outside": [context.FlowRunContext.get(), context.TaskRunContext.get()],
        "get_run_context_outside": raises(lambda: context.get_run_context()),
    }


@scenario
def api_allow_failure(L):
    ann = _mod(L, "utilities.annotations")

    @L.task
    def boom():
        raise ValueError("upstream broke")

    @L.task
    def down(x):
        return f"{type(x).__name__}: {x}"

    @L.task
    def after():
        return "ran"

    @L.flow
    def f():
        b = boom.submit()
        submitted = down.submit(ann.allow_failure(b))
        called = down(ann.allow_failure(b))
        waited = after.submit(wait_for=[ann.allow_failure(b)])
        plain = down.submit(b)
        plain.wait()
        return {
            "submitted": submitted.result(),
            "called": called,
            "wait_for": waited.result(),
            "without_allow_failure": state_obs(plain.state),
            "unwrap": ann.allow_failure(5).unwrap(),
        }

    return f()


@scenario
def api_quote(L):
    ann = _mod(L, "utilities.annotations")

    @L.task
    def seven():
        return 7

    @L.task
    def show(x):
        return {"is_future": hasattr(x, "result") and hasattr(x, "wait"), "value": x if isinstance(x, list) else None}

    @L.flow
    def f():
        fut = seven.submit()
        quoted_future = show(ann.quote(fut))
        resolved = show.submit([fut]).result()
        fut.wait()
        return {
            "quoted_list": show(ann.quote([1, 2])),
            "quoted_future_not_resolved": quoted_future,
            "unquoted_list_of_future": {"value": resolved["value"]},
            "unwrap": ann.quote("q").unwrap(),
        }

    return f()


@scenario
def api_unmapped_from_annotations(L):
    ann = _mod(L, "utilities.annotations")

    @L.task
    def add(x, y):
        return x + sum(y)

    @L.flow
    def f():
        return add.map([1, 2], ann.unmapped([10, 20])).result()

    return {"same_class": ann.unmapped is L.unmapped, "mapped": f()}


@scenario
def api_tags(L):
    context = _mod(L, "context")

    @L.task
    def seen():
        return {"ctx": sorted(context.get_run_context().task_run.tags), "runtime": sorted(L.runtime.task_run.tags)}

    @L.flow
    def f():
        with L.root.tags("a", "b") as current:
            inside = sorted(current)
            tagged = seen()
            with L.root.tags("c"):
                nested = seen()
        return {
            "yielded": inside,
            "tagged": tagged,
            "nested": nested,
            "after": seen(),
            "flow_run": sorted(L.runtime.flow_run.tags),
        }

    with L.root.tags("outer"):
        out = f()
    out["context_tags_is_root_tags"] = context.tags is L.root.tags
    return out


@scenario
def api_state_generic(L):
    State = L.states.State

    @L.flow
    def f(x: int) -> "State[int]":
        return x + 1

    def annotated(s: State[int]) -> State[str]:
        return s

    return {
        "subscriptable": State[int] is not None,
        "annotations_kept": sorted(annotated.__annotations__),
        "flow_runs": f(1),
        "return_state": state_obs(f(2, return_state=True), result=True),
    }


@scenario
def api_runtime_modules(L):
    fr = importlib.import_module(f"{L.name}.runtime.flow_run")
    tr = importlib.import_module(f"{L.name}.runtime.task_run")
    dep = importlib.import_module(f"{L.name}.runtime.deployment")
    from_package = importlib.import_module(f"{L.name}.runtime")

    @L.task
    def t():
        return {"task_name": tr.task_name, "run_count": tr.run_count, "parameters": tr.parameters}

    @L.flow
    def f(n=3):
        context = _mod(L, "context")
        return {
            "id_matches": str(fr.id) == str(context.get_run_context().flow_run.id),
            "flow_name": fr.flow_name,
            "parameters": fr.parameters,
            "run_count": fr.run_count,
            "task": t(),
            "deployment_id": dep.id,
        }

    return {
        "same_module": from_package.flow_run is fr and from_package.task_run is tr,
        "outside": {"flow_run_id": fr.id, "task_run_id": tr.id, "deployment_id": dep.id},
        "in_flow": f(),
    }


@scenario
def api_test_harness(L):
    testing = _mod(L, "testing.utilities")

    @L.task
    def double(x):
        return 2 * x

    @L.flow
    def f():
        return double(21)

    with testing.prefect_test_harness(server_startup_timeout=300):  # Prefect starts a server
        inside = f()
    return {"inside": inside, "after": f()}


@scenario
def api_on_running_hooks(L):
    events = []

    def hook(tag):
        def record(obj, run, state):
            events.append([tag, obj.name, state.type.name, state.name])

        return record

    attempts = {"n": 0}

    @L.task(on_running=[hook("task")], retries=1)
    def flaky():
        attempts["n"] += 1
        if attempts["n"] == 1:
            raise ValueError("once")
        return "ok"

    @L.flow(on_running=[hook("flow")])
    def f():
        return flaky()

    @L.task
    def plain():
        return 1

    @plain.on_running
    def decorated(task, run, state):
        events.append(["decorated", task.name, state.type.name, state.name])

    r = f()
    p = plain()
    return {"results": [r, p], "events": events}


@scenario
def api_on_crashed_hook(L):
    events = []

    @L.flow(on_crashed=[lambda flow, run, state: events.append(["crashed", flow.name, state.type.name])])
    def f():
        raise KeyboardInterrupt

    @L.flow
    def g():
        raise KeyboardInterrupt

    @g.on_crashed
    def hook(flow, run, state):
        events.append(["decorated", flow.name, state.type.name])

    caught = []
    for fl in (f, g):
        try:
            fl()
        except BaseException as e:  # noqa: BLE001 - observing
            caught.append(type(e).__name__)
    return {"raised": caught, "events": events}


@scenario
def api_cache_result_in_memory(L):
    @L.task(cache_result_in_memory=False, persist_result=True)
    def persisted():
        return {"a": 1}

    @L.task(cache_result_in_memory=False)
    def unpersisted():
        return {"b": 2}

    @L.flow(cache_result_in_memory=False)
    def f():
        s = persisted(return_state=True)
        s2 = unpersisted(return_state=True)
        return {"states": [s.result(), s2.result()], "values": [persisted(), unpersisted()]}

    state = f(return_state=True)
    return {"flow_value": f(), "flow_state": state_obs(state, result=True)}


@scenario
def api_methods(L):
    flow, task = L.flow, L.task

    class Box:
        k = 10

        def __init__(self):
            self.v = 5

        @flow
        def method_flow(self, x):
            return self.v + x + self.method_task(1)

        @task
        def method_task(self, y):
            return self.v * y

        @classmethod
        @flow
        def class_flow_outer(cls, x):
            return cls.k + x

        @flow
        @classmethod
        def class_flow_inner(cls, x):
            return cls.k * x

        @staticmethod
        @flow
        def static_flow_outer(x):
            return x + 1

        @flow
        @staticmethod
        def static_flow_inner(x):
            return x + 2

        @task
        @classmethod
        def class_task(cls, x):
            return cls.k - x

        @task
        @staticmethod
        def static_task(x):
            return -x

        @flow
        def uses_tasks(self):
            return [self.class_task(1), Box.class_task(3), Box.static_task(4), self.method_task.submit(5).result()]

    box = Box()
    state = box.method_flow(2, return_state=True)
    return {
        "method_flow": box.method_flow(1),
        "class_flows": [Box.class_flow_outer(1), Box.class_flow_inner(2), box.class_flow_outer(1)],
        "static_flows": [Box.static_flow_outer(1), Box.static_flow_inner(1), box.static_flow_outer(2)],
        "tasks": box.uses_tasks(),
        "return_state": state_obs(state, result=True),
        "bound_type": type(box.method_flow).__name__,
    }


@scenario
def api_generators(L):
    events = []

    @L.task(on_completion=[lambda t, r, s: events.append(["task", s.type.name])])
    def numbers(n):
        yield from range(n)

    @L.flow(on_completion=[lambda f, r, s: events.append(["flow", s.type.name])])
    def tens(n):
        for i in range(n):
            yield i * 10

    @L.task
    def broken():
        yield 1
        raise ValueError("bad")

    @L.flow
    def uses():
        g = numbers(3)
        kind = type(g).__name__
        items = list(g)
        got = []
        try:
            for x in broken():
                got.append(x)
        except ValueError as e:
            got.append(exc(e))
        return {"kind": kind, "items": items, "broken": got, "submitted": numbers.submit(2).result()}

    gen = tens(3)
    kind = type(gen).__name__
    items = list(gen)
    lone = numbers(2)
    return {
        "flow_kind": kind,
        "flow_items": items,
        "in_flow": uses(),
        "lone_task": [type(lone).__name__, list(lone)],
        "events": events,
    }


@scenario
def api_async_generator_flow(L):
    @L.flow
    async def agen(n):
        for i in range(n):
            yield i

    async def main():
        g = agen(2)
        return [type(g).__name__, [x async for x in g]]

    return asyncio.run(main())


@scenario
def api_mermaid_graph(L):
    @L.task
    def a(x):
        return x

    @L.task
    def b(x, y=None):
        return x

    @L.task(viz_return_value=[5, 6])
    def c():
        return [1, 2]

    @L.flow
    def sub():
        return a(1)

    @L.flow
    def f(n):
        x = a(n)
        y = b(x)
        b(2, y)
        z = c()
        b(z)
        sub()
        return z[0] + 1

    @L.flow
    def mapped():
        return a.map([1, 2])

    return {
        "graph": f.generate_mermaid_graph(3),
        "has_visualize": callable(f.visualize),
        "map_unsupported": raises(lambda: mapped.generate_mermaid_graph()),
        "no_run_left_behind": L.runtime.flow_run.id,
    }


@scenario
def api_log_prints_lone_task(L):
    @L.task(log_prints=True)
    def loud():
        print("printed by a lone loud task")
        return 1

    @L.task
    def quiet():
        print("printed by a lone quiet task")
        return 2

    with capture_stdout() as out:
        r = [loud(), quiet()]
    text = out.getvalue()
    return {
        "results": r,
        "loud_on_stdout": "lone loud task" in text,
        "quiet_on_stdout": "lone quiet task" in text,
    }


@scenario
def api_process_pool(L):
    runners = L.task_runners
    marker = os.path.join(os.environ.get("PREFECT_HOME") or os.environ.get("ORCHESTR_LAB_HOME") or "/tmp", "pp-once")

    @L.task(retries=1)
    def work(x, fail_first=False):
        import os as os_

        if fail_first and not os_.path.exists(marker):
            open(marker, "w").close()
            raise ValueError("first attempt")
        rt = importlib.import_module(f"{L.name}.runtime")
        return [x * 2, os_.getpid(), rt.task_run.task_name, rt.task_run.run_count, rt.flow_run.name is not None]

    @L.task
    def bad():
        raise KeyError("k")

    @L.flow(task_runner=runners.ProcessPoolTaskRunner(max_workers=2))
    def f():
        futures = [work.submit(i) for i in range(2)] + [work.submit(5, fail_first=True)]
        results = [fu.result() for fu in futures]
        failed = bad.submit()
        failed.wait()
        mapped = work.map([7, 8]).result()
        return {
            "results": [[r[0], r[1] != os.getpid(), r[2], r[3], r[4]] for r in results],
            "failed": state_obs(failed.state),
            "failed_error": type(failed.state.result(raise_on_failure=False)).__name__,
            "mapped": [m[0] for m in mapped],
        }

    return f()
