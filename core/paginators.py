"""Paging: the one reading of a `?page=` number, and a paginator for changelists of a million rows."""

import re

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Counting stops here: the admin then shows "10001 results", and pages up to that far.
COUNT_LIMIT = 10_000
# The furthest page a public list serves: 100,000 pages of 25 claims is more than the claims of a
# database at its documented scale (a million). A larger number cannot name a page, and left
# unchecked it overflows the query's OFFSET (SQLite: "datatype mismatch"; PostgreSQL: "bigint out
# of range").
MAX_PAGE = 100_000
# ASCII only: str.isdigit() and int() also take "²", "①" or "١", which no page link ever holds.
_PAGE_NUMBER = re.compile(r"[1-9][0-9]*")


def page_number(text):
    """The page number `text` names, 1 to MAX_PAGE written in ASCII digits; None for anything else.

    Every public page reads `?page=` through this and answers 404 when it names no page. (The
    admin's changelists read their `?p=` themselves and check it against their count of rows,
    so they never query past it.)
    """
    if len(text) > len(str(MAX_PAGE)) or not _PAGE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_PAGE else None


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
