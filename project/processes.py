"""Set-up a process does once Django is loaded: web workers and the bulk data commands."""

import gc


def freeze_loaded_objects():
    """Move every object loaded so far out of the garbage collector's reach.

    Django, the apps and their modules live as long as the process. A full collection walks every
    object the collector watches, and a page or an import that keeps thousands of objects alive
    for a moment sets off one full collection after another, each walking these ~100k objects
    again (~30 ms a time on the source page at a million claims; a tenth of a 100k-row import).
    Frozen, they are skipped (docs/performance.md). Python's documentation of gc.freeze()
    recommends it for servers that fork workers, where it also keeps memory pages shared.
    """
    gc.freeze()
