"""Signals of the interchange engine, for the apps that build on it (the engine imports none of them)."""

from django.dispatch import Signal

# Sent inside an import's transaction once its rows are written in bulk (bulk writes send no
# post_save): with sender=<model> when the admin's import has written rows of that model, and with
# sender=None when a whole interchange import (data_import: import_data, load_demo) has written
# rows of any models. Other bulk writes that bypass save() send it too: an import's undo
# (interchange.undo) and a merge of two actors or sources (sources.services.records_merge, with
# sender=Actor or Source). claims.signals uses it to recompute what it derives from the records
# (question summaries, quote-found flags). Each sender says what it wrote: `batch`, the
# ImportBatch an import wrote (its ImportRecords flushed) or an undo undid, or `sources`, the ids
# of the sources a merge gave claims to.
records_imported = Signal()
