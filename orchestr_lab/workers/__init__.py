"""The execution plane: notebook and flow-entrypoint runs, and the worker that claims them.

Modules are imported by name (``orchestr_lab.workers.worker``); nothing is imported here, so
``import orchestr_lab.workers`` costs nothing and never pulls in papermill or jupyter_server.
"""
