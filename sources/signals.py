"""Signals of the sources app, for apps that build on it (the sources app imports none of them)."""

from django.dispatch import Signal

# Sent with sender=<model> when the admin's import has written rows of that model in bulk, inside
# the import's transaction. Bulk writes send no post_save: claims.signals uses this to recompute
# what it derives from the records (question summaries).
records_imported = Signal()
