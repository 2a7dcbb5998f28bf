"""Background services of the server: the scheduler, the late/crashed-run reaper, their loop.

No jupyter import anywhere below here: the headless ``orchestr-lab server`` and workers use
these too. Import the submodules (``services.scheduler``, ``services.reaper``,
``services.loop``, ``services.deployments``); nothing is imported here.
"""
