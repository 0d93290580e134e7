"""The public pages: what each source says, side by side, and where sources agree or conflict.

All read-only. Every page is also data: `?format=csv` and `?format=json` answer the same view with
the same filters (see pages/respond.py). Readers see only claims whose status is in
settings.PUBLIC_CLAIM_STATUSES (checked and disputed); disputed claims are marked as such.

The source and actor pages live here rather than in the sources app because they show claims, and
the sources app never imports claims. One module per page, or pair of pages (pages/urls.py).

Each page runs a fixed number of queries whatever the number of rows: lists are fetched with their
related rows (`with_related()`, `for_list()`) or as plain values (`figures()`) and paginated, and
the tests pin the counts. Each view ends in pages.respond.respond, which builds only what the
format asked for needs.
"""
