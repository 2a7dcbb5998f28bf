"""Prefect-style import path ``orchestr_lab.input``: ``RunInput`` and sending inputs to runs."""

from ..sdk.input_actions import (
    acreate_flow_run_input,
    acreate_flow_run_input_from_model,
    adelete_flow_run_input,
    afilter_flow_run_input,
    aread_flow_run_input,
    create_flow_run_input,
    create_flow_run_input_from_model,
    delete_flow_run_input,
    filter_flow_run_input,
    read_flow_run_input,
)
from ..sdk.run_input import (
    GetInputHandler,
    Keyset,
    RunInput,
    RunInputMetadata,
    keyset_from_base_key,
    keyset_from_paused_state,
    receive_input,
    send_input,
)

__all__ = [
    "GetInputHandler",
    "Keyset",
    "RunInput",
    "RunInputMetadata",
    "acreate_flow_run_input",
    "acreate_flow_run_input_from_model",
    "adelete_flow_run_input",
    "afilter_flow_run_input",
    "aread_flow_run_input",
    "create_flow_run_input",
    "create_flow_run_input_from_model",
    "delete_flow_run_input",
    "filter_flow_run_input",
    "keyset_from_base_key",
    "keyset_from_paused_state",
    "read_flow_run_input",
    "receive_input",
    "send_input",
]
