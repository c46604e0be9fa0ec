"""A page request (the browser's plain GET of a URL) answers with the status of what the page will
show: 404 for an unknown path or code — while still serving the page that renders the Chinese
"not found" — 200 for a page that exists."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard.domain import areas
from dashboard.store.models import Event

from .authsupport import Browser, add
from .conftest import AS_OF, settings_for

UNKNOWN = ["/nonexistent", "/grid/000", "/grid/340223999999999", "/event/999999999", "/event/abc", "/event/-1",
           "/town/340223100001001", "/community/340223100", "/department/NOPE", "/events/extra", "/bulletin/x",
           "/%3Cscript%3E", "/grid/", "/assets-not/x"]


@pytest.fixture(scope="module")
def known(demo_engine):
    with demo_engine.connect() as c:
        event = c.execute(select(Event.id).order_by(Event.id)).scalar()
    grid = areas.children(demo_engine, areas.children(demo_engine, "340223100")[0].code)[0].code
    return ["/", "/events", "/events?range=all", "/warnings", "/bulletin", "/town/340223100",
            f"/community/{grid[:12]}", f"/grid/{grid}", f"/grid/{grid}/", f"/event/{event}", "/department/D03"]


def is_the_app_page(r) -> bool:
    return r.mimetype == "text/html" and 'id="react-entry-point"' in r.get_data(as_text=True)


@pytest.mark.parametrize("path", UNKNOWN)
def test_unknown_pages_answer_404_with_the_page_that_says_so(api, path):
    r = api.get(path)
    assert r.status_code == 404, path
    assert is_the_app_page(r), path  # the browser still renders the Chinese "not found" page
    assert api.head(path).status_code == 404


def test_known_pages_answer_200(api, known):
    for path in known:
        r = api.get(path)
        assert r.status_code == 200 and is_the_app_page(r), path


def test_the_not_found_page_is_still_rendered_for_an_unknown_code(api, demo_app):
    from .authsupport import callback_body, txt

    r = api.post("/_dash-update-component", json=callback_body(demo_app, "page.children",
                                                               {"url.pathname": "/grid/000", "url.search": ""}))
    assert r.status_code == 200 and "页面不存在" in txt(r)


def test_a_page_outside_the_scope_answers_like_one_that_does_not_exist(databases):
    from app import create_app
    from dashboard.store import db as dbmod
    from dashboard.demo import seed

    url = databases.new_url()
    engine = dbmod.make_engine(url)
    seed(engine, "nanling", 7, as_of=AS_OF)
    towns = sorted(areas.names(engine, "town"))
    add(engine, "town1", "town_officer", town=towns[0])
    add(engine, "wall1", "display")
    app = create_app(settings_for(url, auth=True))
    other_grid = areas.children(engine, areas.children(engine, towns[1])[0].code)[0].code
    my_grid = areas.children(engine, areas.children(engine, towns[0])[0].code)[0].code
    with engine.connect() as c:
        other_event = c.execute(select(Event.id).where(Event.grid_code.like(towns[1] + "%"))).scalar()
    b = Browser(app)
    assert b.login("town1").status_code == 303
    assert b.get(f"/grid/{my_grid}").status_code == 200
    for path in (f"/grid/{other_grid}", f"/town/{towns[1]}", f"/event/{other_event}", "/grid/000"):
        assert b.get(path).status_code == 404, path
    wall = Browser(app)
    assert wall.login("wall1").status_code == 303
    assert wall.get("/").status_code == 200
    assert wall.get("/events").status_code == 403
    # without a login: the login page, whatever the path
    assert Browser(app).get("/grid/000").status_code == 302
    engine.dispose()
