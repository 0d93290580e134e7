"""The admin's capped count of a changelist's rows."""

import pytest

from claims.models import Claim
from core import paginators
from core.paginators import CappedCountPaginator
from tests.conftest import make_claim

pytestmark = pytest.mark.django_db


def test_the_count_stops_past_the_limit(monkeypatch):
    monkeypatch.setattr(paginators, "COUNT_LIMIT", 3)
    for _ in range(5):
        make_claim()

    paginator = CappedCountPaginator(Claim.objects.all(), 2)

    assert paginator.count == 4  # the limit and one more: "there are more"
    assert paginator.num_pages == 2
    assert CappedCountPaginator(Claim.objects.all()[:2], 2).count == 2
