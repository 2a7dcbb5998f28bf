"""Prefect's ``prefect.client`` paths: ``orchestr_lab.client.orchestration.get_client``."""
