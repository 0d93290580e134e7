"""A partial date: a year, a month or a day.

Sources are often dated only to a year ("Vedomosti, 2025") or a month, and figures hold "as of 2030".
Stored as ISO text (`2025`, `2025-11`, `2025-11-04`) because ISO strings of mixed precision still sort
in time order, read the same in CSV and in the database, and need no companion "precision" column.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models

PARTIAL_DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def validate_partial_date(value):
    if not value:
        return
    if not PARTIAL_DATE_RE.match(value):
        raise ValidationError(
            "%(value)s is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.",
            code="invalid_partial_date",
            params={"value": value},
        )
    if len(value) == 10:
        try:
            datetime.date.fromisoformat(value)
        except ValueError as error:
            raise ValidationError(
                "%(value)s is not a day of the calendar.",
                code="invalid_partial_date",
                params={"value": value},
            ) from error


class PartialDateField(models.CharField):
    """A CharField holding `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (blank for none)."""

    default_validators = [validate_partial_date]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
