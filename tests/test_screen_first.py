"""The first screen: the county's figures on / in a real browser, equal to the summary API."""

import pytest

from dashboard import fmt

pytestmark = pytest.mark.browser


def test_big_screen_shows_the_county_figures(page, api):
    page.open("/")
    page.wait_text(".bs-title", lambda t: "南陵县" in t)
    expected = api.get("/api/v1/summary").get_json()
    for field in ("reported", "accepted", "closed", "in_progress", "population", "houses", "grids", "online_rate"):
        sel = f'[id*=\'"field":"{field}"\']'
        assert page.wait_text(sel) == fmt.number(field, expected[field]), field
    assert page.console_errors() == []
