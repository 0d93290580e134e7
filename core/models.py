"""The abstract base of the record models; core itself has no table (so no migration)."""

from django.db import models


class Timestamped(models.Model):
    """When a record was created and last changed (Actor, Source, Question, Claim)."""

    created = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")
    updated = models.DateTimeField(auto_now=True, help_text="When the record was last changed.")

    class Meta:
        abstract = True
