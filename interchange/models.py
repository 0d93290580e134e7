"""What the engine remembers of each import: its batch, and the records it created or changed.

Every import that is written (the admin's confirmation, `import_data`, `load_demo`) is an
`ImportBatch`: who, when, which files, how many rows. Its `ImportRecord`s list each record it
created (+), changed (~) or deleted (-), with the history row the import wrote for it and the
version it left, so that the import can be undone (interchange.services.batch_undo). The records
are written by the engine with COPY, per batch of rows, like the rows themselves
(interchange/batches.py). See docs/operations.md, "Import batches and undo".
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ImportBatch(models.Model):
    """One import: all its files, written in one transaction, undone as one."""

    created = models.DateTimeField(auto_now_add=True, help_text="When the import was written.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who imported it (none for a command run without a user).",
    )
    files = models.CharField(
        max_length=500, help_text="The files imported, in import order (claims.csv, …)."
    )
    model_labels = models.CharField(
        max_length=500,
        blank=True,
        help_text="The models the files hold (claims.claim, …), in import order.",
    )
    rows_created = models.PositiveIntegerField(default=0, help_text="Rows that made a new record.")
    rows_updated = models.PositiveIntegerField(default=0, help_text="Rows that changed a record.")
    rows_unchanged = models.PositiveIntegerField(
        default=0, help_text="Rows that matched their record already."
    )
    undone = models.DateTimeField(
        null=True, blank=True, help_text="When the import was undone; empty while it stands."
    )
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who undid it.",
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "import"
        verbose_name_plural = "imports"
        permissions = [("undo_importbatch", "Can undo an import")]

    def __str__(self):
        return f"import #{self.pk} of {self.files}"


class ImportRecord(models.Model):
    """A record an import created, changed or deleted (a claim's link it replaced)."""

    class Action(models.TextChoices):
        CREATED = "+", "created"
        CHANGED = "~", "changed"
        DELETED = "-", "deleted"

    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="records",
        db_index=False,  # importrecord_batch_order serves it
        help_text="The import that wrote it.",
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # never looked up by model alone; one index less on every COPY
        help_text="The record's model.",
    )
    object_id = models.PositiveBigIntegerField(help_text="The record's id.")
    action = models.CharField(max_length=1, choices=Action.choices, help_text="What it did.")
    history_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The history row the import wrote for it (its state after, or before a delete).",
    )
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The version the import left it at (none if deleted)."
    )

    class Meta:
        # Undo reads a batch's records in the order they were written.
        indexes = [models.Index(fields=["batch", "id"], name="importrecord_batch_order")]

    def __str__(self):
        return f"{self.get_action_display()} {self.content_type.model} #{self.object_id}"
