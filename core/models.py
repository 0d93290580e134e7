"""The abstract base of the record models, and the data version (core.dataversion)."""

from django.db import models, router, transaction


class Versioned(models.Model):
    """A record's version, bumped by every write of it: by a form's save, by an import's bulk
    update. A form remembers the version it was opened at, and a save from an older one is refused
    (core.admin.RecordAdmin), so that of two curators editing one record the second cannot silently
    revert the first."""

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Bumped by every change; a save made from an older version is refused.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Save, the version one past the stored one (not past this instance's, which may be old).

        An instance read before someone else's save (a script's, or an old version being
        reverted in the admin) would otherwise write a version number that is already taken, and
        a form opened at that number would then save over the other change unrefused. The stored
        version is read with the row locked (SELECT … FOR UPDATE on PostgreSQL; on SQLite the
        transaction holds the database's write lock from its start) in the transaction of the
        save, so two saves at once cannot both read it. `F("version") + 1` would need no read,
        but the history row saved with the record cannot store an expression.
        """
        update_fields = kwargs.get("update_fields")
        if (
            self._state.adding
            or self.pk is None
            or (update_fields is not None and not update_fields)
        ):
            return super().save(*args, **kwargs)
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            stored = stored_version(self, using=using)
            if stored is not None:  # None: deleted meanwhile, and saved again as a new row
                self.version = stored + 1
            return super().save(*args, **kwargs)


class Timestamped(Versioned):
    """When a record was created and last changed (Actor, Source, Question, Claim)."""

    created = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")
    updated = models.DateTimeField(auto_now=True, help_text="When the record was last changed.")

    class Meta:
        abstract = True


def stored_version(record, *, using=None):
    """The version of `record` in the database (None if it is not there), its row locked until
    the end of the transaction, which the caller must be in."""
    rows = type(record)._base_manager.db_manager(using).select_for_update()
    return rows.filter(pk=record.pk).values_list("version", flat=True).first()


class DataVersion(models.Model):
    """One committed change of the data: its number (ever growing) and when it was published.

    Append-only: each write transaction adds a row after its commit (core.dataversion), and inserts
    never wait for each other, so writers do not queue on it; the newest row is the data version.
    """

    number = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(help_text="When the change was published (after its commit).")

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"{self.number} at {self.at.isoformat()}"
