"""Prefect-style ``orchestr_lab.testing`` package (``.utilities.prefect_test_harness``)."""
