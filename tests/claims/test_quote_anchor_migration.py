"""Migration 0015 fills the anchor context of the claims whose quote is found in their source."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("claims", "0014_currency_units")]
AFTER = [("claims", "0015_claim_quote_anchor")]


@pytest.mark.django_db(transaction=True)
def test_existing_claims_get_the_context_of_their_quote():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # The state of every other app as it is in the database (their fields, e.g. versions).
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "claims"]
    apps = executor.loader.project_state(BEFORE + others).apps
    Source = apps.get_model("sources", "Source")
    Claim = apps.get_model("claims", "Claim")
    source = Source.objects.create(
        slug="report",
        title="Report",
        kind="article",
        text="Before it.  The  quote\nhere. After.",
    )
    found = Claim.objects.create(
        ref="found", source=source, quote="The quote here.", quote_found=True, version=1
    )
    Claim.objects.create(
        ref="missing", source=source, quote="Not in it.", quote_found=False, version=1
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    Claim = executor.loader.project_state(AFTER + others).apps.get_model("claims", "Claim")
    rows = dict(Claim.objects.values_list("ref", "quote_prefix"))
    assert rows == {"found": "Before it. ", "missing": ""}
    assert Claim.objects.get(pk=found.pk).quote_suffix == " After."
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
