"""A paginator for the admin's changelists of a million rows."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Counting stops here: the admin then shows "10001 results", and pages up to that far.
COUNT_LIMIT = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_LIMIT + 1 rows of a filtered or searched changelist.

    Counting every match of a common word in a million quotes takes a second; the curator needs the
    first pages and a refined search, not the exact figure. (The unfiltered total is not counted at
    all: `show_full_result_count = False` on the admin.)
    """

    @cached_property
    def count(self):
        # COUNT(*) over a LIMITed subquery: the database stops reading after COUNT_LIMIT + 1 rows.
        return self.object_list[: COUNT_LIMIT + 1].count()
