"""Parity scenarios for assets: ``Asset``, ``AssetProperties``, ``@materialize``, ``asset_deps``
and ``add_asset_metadata``, observed through what user code sees (values, states, errors).

Lineage itself is kept by the server (Prefect records it from events its Cloud reads); what a
run stored is checked by orchestr-lab's own tests (tests/assets)."""

import importlib

from scenarios import raises, scenario, state_obs


def _assets(L):
    return importlib.import_module(f"{L.name}.assets")


@scenario
def assets_key_rules(L):
    A = _assets(L)
    keys = [
        "s3://bucket/data.csv",
        "postgres://db/schema/table",
        "s3://",
        "no-scheme",
        "S3://upper",
        "s3://a b",
        "s3://a?b",
        "s3://a#b",
        "s3://a%20b",
        "s3://" + "x" * 507,
        "s3://" + "x" * 508,
    ]
    return {k[:40]: raises(lambda k=k: repr(A.Asset(key=k))) for k in keys}


@scenario
def assets_identity_and_properties(L):
    A = _assets(L)
    props = A.AssetProperties(name="Orders", description="daily", owners=["ana"], url="https://x/orders")
    a = A.Asset(key="s3://b/orders", properties=props)
    b = A.Asset(key="s3://b/orders")

    def mutate():
        a.key = "s3://b/other"

    return {
        "repr": repr(a),
        "properties": [a.properties.name, a.properties.description, a.properties.owners, a.properties.url],
        "equal_without_properties": a == b,
        "equal_same": b == A.Asset(key="s3://b/orders"),
        "hash_is_keys": hash(a) == hash("s3://b/orders") == hash(b),
        "in_set": len({a, b, A.Asset(key="s3://b/orders")}),
        "frozen": raises(mutate),
        "no_properties": b.properties,
        "long_description": raises(lambda: A.AssetProperties(description="d" * 2501)),
    }


@scenario
def assets_materialize_task(L):
    A = _assets(L)

    @A.materialize("s3://b/x", A.Asset(key="s3://b/y"), asset_deps=["s3://b/raw"], by="dbt", retries=1)
    def make(n):
        return n * 2

    @L.flow
    def f():
        return make(2), make(3, return_state=True), make.submit(4).result()

    value, state, submitted = f()
    other = make.with_options(assets=["s3://b/z"], name="other")
    return {
        "returned": [value, state_obs(state), submitted],
        "type": type(make).__name__,
        "is_task": isinstance(make, L.tasks.Task),
        "name": make.name,
        "retries": make.retries,
        "assets": [a.key for a in make.assets],
        "asset_deps": [a.key for a in make.asset_deps],
        "by": make.materialized_by,
        "with_options": [[a.key for a in other.assets], other.name, other.materialized_by],
        "outside_flow": make(5),
    }


@scenario
def assets_materialize_needs_valid_assets(L):
    A = _assets(L)
    return {
        "none": raises(lambda: A.materialize()),
        "bad_key": raises(lambda: A.materialize("not a uri")(lambda: 1)),
        "bad_dep": raises(lambda: A.materialize("s3://b/x", asset_deps=["nope"])(lambda: 1)),
        "task_bad_dep": raises(lambda: L.task(asset_deps=["s3://a b"])(lambda: 1)),
    }


@scenario
def assets_task_asset_deps_option(L):
    A = _assets(L)

    @L.task(asset_deps=["s3://b/in", A.Asset(key="pg://db/t")])
    def reads():
        return 1

    @L.task
    def plain():
        return 1

    return {
        "deps": [(type(a).__name__, a.key) for a in reads.asset_deps],
        "plain": plain.asset_deps,
        "with_options": [a.key for a in reads.with_options(asset_deps=["s3://b/other"]).asset_deps],
    }


@scenario
def assets_add_metadata(L):
    A = _assets(L)

    @A.materialize("s3://b/m")
    def make():
        return {
            "right": raises(lambda: A.add_asset_metadata("s3://b/m", {"rows": 1})),
            "again_merges": raises(lambda: A.add_asset_metadata(A.Asset(key="s3://b/m"), {"cols": 2})),
            "method": raises(lambda: A.Asset(key="s3://b/m").add_metadata({"x": 1})),
            "wrong_asset": raises(lambda: A.add_asset_metadata("s3://b/other", {"rows": 1})),
        }

    @L.task
    def plain():
        return raises(lambda: A.add_asset_metadata("s3://b/m", {"rows": 1}))

    @L.flow
    def f():
        return make(), plain()

    inside, in_plain = f()
    return {
        "materialize": inside,
        "plain_task": in_plain,
        "outside": raises(lambda: A.add_asset_metadata("s3://b/m", {"rows": 1})),
    }


@scenario
def assets_failed_materialization(L):
    A = _assets(L)

    @A.materialize("s3://b/fails")
    def make():
        raise ValueError("bad data")

    @L.flow
    def f():
        return state_obs(make(return_state=True))

    @L.flow
    def g():
        make()

    return {"task": f(), "flow": state_obs(g(return_state=True))}
