"""Paging the public lists: the one reading of a `?page=` number, and pages never counted.

Not Django's Paginator, which counts every row a filter matches before it shows the first page:
on a large table that count is the slowest query of the page (see Page). A page here fetches one
row more than it shows, and a number that names no page is a 404, never a query past the end.
"""

import re
from dataclasses import dataclass

from django.http import Http404

PER_PAGE = 100
# Claims per page (question, source, metal and actor pages): a claim row carries a quote, links
# and its standing. On a question page the verdict and the chart's scale still count every claim.
CLAIMS_PER_PAGE = 25
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


@dataclass
class Page:
    """One page of a list whose length is never counted.

    Counting every match of a filter is the slowest query on a large table (a metal's claims are
    a hundred thousand rows on a database of a million) and a reader needs only "next": one row
    more than the page shows says whether there is one.
    """

    object_list: list
    number: int
    more: bool
    per_page: int = PER_PAGE

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self.more

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.more or self.number > 1

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def start_index(self):
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self):
        return (self.number - 1) * self.per_page + len(self.object_list)


def slice_page(request, rows, per_page):
    """The requested Page of a list already in memory."""
    number = _page_number(request)
    start = (number - 1) * per_page
    if start and start >= len(rows):
        raise Http404(f"No such page: {number}")
    return Page(
        object_list=rows[start : start + per_page],
        number=number,
        more=len(rows) > start + per_page,
        per_page=per_page,
    )


def _page_number(request):
    """The `?page=` asked for (1 when there is none); a 404 when it names no page (page_number)."""
    text = request.GET.get("page") or "1"
    number = page_number(text)
    if number is None:
        raise Http404(f"No such page: {text[:20]!r}")
    return number


def page(request, queryset, *, related=None, per_page=PER_PAGE):
    """The requested page of `queryset` (a Page).

    With `related` (a function that adds select_related/prefetch_related to a queryset), the page
    is found first as ids, then its rows are loaded with their related rows: joining ten tables
    before filtering makes PostgreSQL plan the join over every claim (past join_collapse_limit).
    """
    number = _page_number(request)
    start = (number - 1) * per_page
    if related is None:
        rows = list(queryset[start : start + per_page + 1])
    else:
        ids = list(queryset.values_list("pk", flat=True)[start : start + per_page + 1])
        loaded = related(queryset.model.objects.filter(pk__in=ids)).in_bulk()
        rows = [loaded[pk] for pk in ids]
    if not rows and number > 1:
        raise Http404(f"No such page: {number}")
    return Page(
        object_list=rows[:per_page], number=number, more=len(rows) > per_page, per_page=per_page
    )
