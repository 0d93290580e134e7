"""A changelist filter value no column can hold is a flagged list (?e=1), never a 500."""

import pytest

from tests.conftest import make_claim, make_question


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "/admin/sources/source/?publisher=99999999999999999999",
        "/admin/sources/source/?publisher=-99999999999999999999",
        "/admin/sources/actor/?parent=99999999999999999999",
        "/admin/claims/claim/?cited_source=99999999999999999999",
        "/admin/claims/claim/?value=1e999999",
        "/admin/claims/claim/?value__gte=1e999999",
        "/admin/claims/claim/?question__id__in=1,99999999999999999999",
    ],
)
def test_a_filter_value_beyond_its_column_is_refused_as_a_bad_lookup(admin_client, query):
    response = admin_client.get(query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.django_db
def test_filters_within_range_still_filter(admin_client):
    question = make_question()
    claim = make_claim(question=question, value=12, unit="%")
    other = make_claim(value=13, unit="%")
    response = admin_client.get(f"/admin/claims/claim/?question__id__exact={question.pk}")
    assert response.status_code == 200
    shown = {row.pk for row in response.context["cl"].result_list}
    assert claim.pk in shown
    assert other.pk not in shown
    response = admin_client.get("/admin/claims/claim/?value=12&status__exact=checked")
    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [claim.pk]
