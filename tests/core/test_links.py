"""core.links.page_url: the addresses it remembers are those reverse() gives, per script prefix."""

from django.urls import get_script_prefix, reverse, set_script_prefix

from core.links import page_url


def test_page_url_is_reverse_and_follows_the_script_prefix():
    before = get_script_prefix()
    try:
        assert page_url("source_detail", "usgs-2025") == reverse(
            "source_detail", args=["usgs-2025"]
        )
        set_script_prefix("/claims-db/")
        assert page_url("source_detail", "usgs-2025") == "/claims-db/sources/usgs-2025/"
    finally:
        set_script_prefix(before)
    assert page_url("source_detail", "usgs-2025") == f"{before}sources/usgs-2025/"


def test_a_key_no_address_can_hold_has_none_every_time():
    assert page_url("source_detail", "not a slug") == ""
    assert page_url("source_detail", "not a slug") == ""
