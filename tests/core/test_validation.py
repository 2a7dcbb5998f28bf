"""The one wording for input that fails its model (server and local backend alike)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from orchestr_lab.core.validation import validation_detail, validation_text


class Spec(BaseModel):
    name: str = Field(max_length=3)
    a: int = 0
    b: int = 0
    c: int = 0

    @field_validator("a")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must not be negative")
        return value


def _error(**data: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        Spec.model_validate(data)
    return caught.value


def test_names_the_field_and_keeps_a_validators_own_words() -> None:
    assert validation_text(_error(name="abcd")) == "Invalid request: name: String should have at most 3 characters"
    assert validation_text(_error(name="x", a=-1)) == "Invalid request: a: must not be negative"


def test_names_three_errors_and_counts_the_rest() -> None:
    exc = _error(name=[1], a="x", b="y", c="z")
    assert len(validation_detail(exc)) == 4
    text = validation_text(exc)
    assert text.startswith("Invalid request: name: Input should be a valid string; a: ")
    assert text.count("; ") == 2 and text.endswith(" (and 1 more)")
