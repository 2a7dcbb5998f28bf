"""Prefect's ``prefect.blocks.core``: ``Block``."""

from ..sdk.blocks import Block, BlockNotSavedError, InvalidBlockRegistration, UnknownBlockType

__all__ = ["Block", "BlockNotSavedError", "InvalidBlockRegistration", "UnknownBlockType"]
