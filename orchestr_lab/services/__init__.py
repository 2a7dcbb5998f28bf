"""The server's background services: scheduler, late/crashed-run reaper, automations, their
loop, and :class:`~orchestr_lab.services.background.Background`, which runs them with a local
worker.

No Jupyter import anywhere in here: ``jupyter lab`` (the server extension), the headless
``orchestr-lab server`` and ``serve()`` all run the same services. Import the submodules
(``services.scheduler``, ``services.reaper``, ``services.automations``, ``services.loop``,
``services.background``); nothing is imported here. How a deployment is shown (next runs, last
run) lives in ``orchestr_lab.actions.deployment_view``.
"""
