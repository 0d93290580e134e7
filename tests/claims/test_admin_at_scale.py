"""The claim changelist's choices for large tables: a capped count and indexed searches."""

import pytest
from django.db import connection
from django.urls import reverse

from claims.models import Claim
from tests.conftest import make_claim

pytestmark = pytest.mark.django_db


def test_a_search_finds_refs_by_their_beginning_and_quotes_anywhere(admin_client):
    make_claim(ref="edm-russia-ree-reserves", quote="Russia holds the fifth-largest reserves.")
    make_claim(ref="mt-china-share", quote="China handles nearly 90 percent.")
    url = reverse("admin:claims_claim_changelist")

    by_ref = admin_client.get(url, {"q": "edm-russia"}).content.decode()
    by_quote = admin_client.get(url, {"q": "nearly 90"}).content.decode()

    assert "edm-russia-ree-reserves" in by_ref and "mt-china-share" not in by_ref
    assert "mt-china-share" in by_quote and "edm-russia-ree-reserves" not in by_quote


def test_on_postgresql_the_changelist_search_reads_its_indexes():
    if connection.vendor != "postgresql":
        pytest.skip("trigram and pattern indexes are PostgreSQL's")
    from django.db.models import Q

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        by_quote = Claim.objects.filter(Q(quote__icontains="reserves")).explain()
        by_ref = Claim.objects.filter(Q(ref__istartswith="edm")).explain()

    assert "claim_quote_trgm_idx" in by_quote
    assert "claim_ref_prefix_idx" in by_ref
