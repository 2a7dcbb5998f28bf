"""Background services of the server: the scheduler, the late/crashed-run reaper, their loop.

No jupyter import anywhere below here: the headless ``orchestr-lab server`` and workers use
these too. Import the submodules (``services.scheduler``, ``services.reaper``,
``services.loop``, ``services.automations``); nothing is imported here. How a deployment is
shown (next runs, last run) lives in ``orchestr_lab.actions.deployment_view``.
"""
