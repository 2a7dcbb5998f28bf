"""Prefect-style ``orchestr_lab.utilities`` package (``.annotations``)."""
