"""Partial dates: a year, a month or a day."""

import pytest
from django.core.exceptions import ValidationError

from core.fields import validate_partial_date


@pytest.mark.parametrize("value", ["2025", "2025-11", "2025-11-04", "2024-02-29", ""])
def test_it_accepts_partial_dates(value):
    validate_partial_date(value)


@pytest.mark.parametrize("value", ["25", "2025-13", "2025-1", "2025-02-30", "Nov 2025", "2025/11"])
def test_it_refuses_what_is_not_a_partial_date(value):
    with pytest.raises(ValidationError):
        validate_partial_date(value)
