"""The drill-down desk pages in a real headless Chromium: the walk big screen → town → community
→ grid → event and back (breadcrumbs and the browser's back button), figures equal to the summary
API for each view's area and window, the department page from the big screen, 督办 showing on the
case, the department and the big screen, the explorer's server-side paging, sorting and filters in
the URL, 404s, and the desk layout at 1366×768. No console errors anywhere."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dashboard.domain import indicators
from selenium.webdriver.common.action_chains import ActionChains
from sqlalchemy import select

from dashboard import vocabulary
from dashboard.figures import caselist
from dashboard.present import fmt
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.domain.casestate import Case
from dashboard.store.models import Area, Department, Event, Supervision

from .browser import LiveServer, Page
from .conftest import AS_OF, settings_for

pytestmark = pytest.mark.browser
KPI = "[id*='\"field\":\"{}\"']:not([id*='-tile'])"  # a figure, not its tile
from layouts.department import KPI_FIELDS as DEPT_FIELDS  # noqa: E402  (the strips as the pages declare them)
from layouts.desk import KPI_FIELDS as AREA_FIELDS  # noqa: E402
from layouts.grid import KPI_FIELDS as GRID_FIELDS  # noqa: E402


def text(page, css: str) -> str:
    """innerText of the first match, read in one step (desk pages re-render under the reader)."""
    return page.js("const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css)


def wait_text(page, css: str, predicate=lambda t: t not in ("", "—"), timeout: float = 15) -> str:
    page.wait(lambda: predicate(text(page, css)), timeout,
              f"{css}: text never satisfied the condition (last: {text(page, css)!r})")
    return text(page, css)


def path(page) -> str:
    return page.js("return location.pathname + location.search;")


def wait_path(page, expected: str):
    page.wait(lambda: path(page) == expected, message=f"never reached {expected} (at {path(page)})")


def wait_desk(page, title: str | None = None):
    """A desk page is ready when its KPIs (if any) are filled and its title is the expected one."""
    if title is not None:
        page.wait(lambda: text(page, ".desk-title") == title, message=f"title never became {title!r} "
                                                                        f"(was {text(page, '.desk-title')!r})")
    if page.find_all(KPI.format("reported")):
        wait_text(page, KPI.format("reported"))


def window_of(page) -> dict:
    """The page's window as it states it (the <time> elements of its range bar)."""
    return page.js("const t = id => (document.getElementById(id) || {}).dateTime || null;"
                   "return {start: t('desk-window-start'), end: t('desk-window-end')};")


def assert_figures_equal_api(page, api, fields, **scope):
    """Every KPI on the page equals GET /api/v1/summary for the page's own area and window."""
    expected = api.get("/api/v1/summary", query_string={**window_of(page), **scope}).get_json()
    for f in fields:
        want = indicators.text(f, expected[f])
        got = wait_text(page, KPI.format(f), lambda t, w=want: t == w)
        assert got == want, (f, got, want)
    return expected


def crumbs(page) -> list[str]:
    return page.js("return [...document.querySelectorAll('.crumbs .crumb')].map(e => e.innerText.trim());")


def click(page, css: str):
    page.wait(lambda: page.find_all(css), message=f"nothing matches {css}")
    el = page.find(css)
    page.js("arguments[0].scrollIntoView({block: 'center'});", el)
    el.click()


@pytest.fixture(autouse=True)
def blank_start(chrome):
    """Leave whatever page an earlier test left open (its server may be gone: its polling would
    log connection errors into this test's console) before the console is cleared."""
    chrome.get("about:blank")
    chrome.get_log("browser")


@pytest.fixture(scope="module")
def target(demo_engine):
    """A grid with an open case reported in the last 7 days (what the walk drills down to)."""
    with demo_engine.connect() as c:
        ev = c.execute(select(Event.id, Event.grid_code, Event.title).where(
            Event.status.in_(vocabulary.OPEN_STATUSES), Event.reported_at >= AS_OF - timedelta(days=7))
            .order_by(Event.id)).first()
        names = dict(c.execute(select(Area.code, Area.name).where(
            Area.code.in_([ev.grid_code, ev.grid_code[:12], ev.grid_code[:9], ev.grid_code[:6]]))).all())
    return {"event": ev.id, "title": ev.title, "grid": ev.grid_code, "community": ev.grid_code[:12],
            "town": ev.grid_code[:9], "county": ev.grid_code[:6], "names": names}


def test_walk_from_the_big_screen_to_an_event_and_back(page, api, target):
    t, n = target, target["names"]
    page.open("/")
    wait_text(page, KPI.format("reported"))
    # 1. big screen → town (the warning board's town chip)
    click(page, f"a.town-chip[href='/town/{t['town']}']")
    wait_path(page, f"/town/{t['town']}")
    wait_desk(page, n[t["town"]])
    assert crumbs(page) == [n[t["county"]], n[t["town"]]]
    assert_figures_equal_api(page, api, AREA_FIELDS, area=t["town"])
    # 2. town → community (its ranking)
    click(page, f"#ap-children a[href='/community/{t['community']}']")
    wait_path(page, f"/community/{t['community']}")
    wait_desk(page, n[t["community"]])
    assert crumbs(page) == [n[t["county"]], n[t["town"]], n[t["community"]]]
    assert_figures_equal_api(page, api, AREA_FIELDS, area=t["community"])
    # 3. community → grid
    click(page, f"#ap-children a[href='/grid/{t['grid']}']")
    wait_path(page, f"/grid/{t['grid']}")
    wait_desk(page, n[t["grid"]])
    assert crumbs(page) == [n[t["county"]], n[t["town"]], n[t["community"]], n[t["grid"]]]
    assert_figures_equal_api(page, api, GRID_FIELDS, area=t["grid"])
    # 4. grid → event (its open cases)
    click(page, f"#gp-events a[href='/event/{t['event']}']")
    wait_path(page, f"/event/{t['event']}")
    wait_desk(page, t["title"])
    page.wait(lambda: page.find_all("#ep-timeline li"), message="the timeline never filled")
    assert crumbs(page) == [n[t["county"]], n[t["town"]], n[t["community"]], n[t["grid"]], f"事件 #{t['event']}"]
    # 5. up by the breadcrumbs: event → its community
    click(page, f".crumbs a[href='/community/{t['community']}']")
    wait_path(page, f"/community/{t['community']}")
    wait_desk(page, n[t["community"]])
    # 6. and back with the browser: community ← event ← grid ← community ← town ← big screen
    for expected_path, title in [(f"/event/{t['event']}", t["title"]), (f"/grid/{t['grid']}", n[t["grid"]]),
                                 (f"/community/{t['community']}", n[t["community"]]),
                                 (f"/town/{t['town']}", n[t["town"]])]:
        page.d.back()
        wait_path(page, expected_path)
        wait_desk(page, title)
    assert_figures_equal_api(page, api, AREA_FIELDS, area=t["town"])
    page.d.back()
    wait_path(page, "/")
    wait_text(page, ".bs-title", lambda x: x.startswith(n[t["county"]]))
    # 7. forward again, then the county crumb leads back to the big screen
    page.d.forward()
    wait_path(page, f"/town/{t['town']}")
    wait_desk(page, n[t["town"]])
    click(page, ".crumbs a[href='/']")
    wait_path(page, "/")
    wait_text(page, ".bs-title", lambda x: x.startswith(n[t["county"]]))
    assert page.console_errors() == []


def test_the_time_range_travels_in_the_url(page, api, target):
    t = target
    page.open(f"/community/{t['community']}?range=30d")
    wait_desk(page, t["names"][t["community"]])
    w = window_of(page)
    assert w["end"] == AS_OF.isoformat() and w["start"] == (AS_OF - timedelta(days=30)).isoformat()
    assert_figures_equal_api(page, api, AREA_FIELDS, area=t["community"])
    # The map recolours by another measure (its legend says which), like the big screen's.
    wait_text(page, "#ap-legend .legend-title", lambda x: x == "预警等级")
    page.d.find_element("xpath", "//*[@id='ap-measure']//label[normalize-space()='办结率']").click()
    wait_text(page, "#ap-legend .legend-title", lambda x: x == "办结率")
    # Links down keep the window; the range pills change it.
    click(page, f"#ap-children a[href='/grid/{t['grid']}?range=30d']")
    wait_path(page, f"/grid/{t['grid']}?range=30d")
    wait_desk(page, t["names"][t["grid"]])
    assert_figures_equal_api(page, api, GRID_FIELDS, area=t["grid"])
    click(page, ".pills a[href$='range=all']")
    wait_path(page, f"/grid/{t['grid']}?range=all")
    page.wait(lambda: window_of(page)["start"] != (AS_OF - timedelta(days=30)).isoformat())
    assert_figures_equal_api(page, api, GRID_FIELDS, area=t["grid"])
    page.d.back()
    wait_path(page, f"/grid/{t['grid']}?range=30d")
    page.wait(lambda: window_of(page)["start"] == (AS_OF - timedelta(days=30)).isoformat())
    assert page.console_errors() == []


def test_a_department_bar_on_the_big_screen_opens_its_page(page, api, demo_engine):
    page.open("/")
    wait_text(page, KPI.format("reported"))
    page.wait(lambda: page.find_all("#bs-depts .trace.bars .point path"), message="no department bars")
    page.wait_idle()
    bar = page.find_all("#bs-depts .trace.bars .point path")[-1]  # plotly draws the best on top: the last path
    ActionChains(page.d).move_to_element(bar).click().perform()
    page.wait(lambda: path(page).startswith("/department/"), message="the bar click never navigated")
    code = path(page).split("/")[2]
    with demo_engine.connect() as c:
        name, level = c.execute(select(Department.name, Department.level).where(Department.code == code)).one()
    assert level == "county_department"
    wait_desk(page, name)
    assert crumbs(page)[-1] == name
    assert_figures_equal_api(page, api, DEPT_FIELDS, department=code)
    page.wait(lambda: page.find_all("#dp-score .main-svg"), message="the score chart never drew")
    assert page.console_errors() == []


@pytest.fixture
def live(chrome, demo_copy):
    from app import create_app

    app = create_app(settings_for(demo_copy.url.render_as_string(hide_password=False)))
    server = LiveServer(app.server)
    chrome.get_log("browser")
    yield Page(chrome, server.url).viewport(1920, 1080), demo_copy, app.server.test_client()
    chrome.get("about:blank")  # stop the page polling a server that is about to go away
    chrome.get_log("browser")
    server.stop()


def test_supervision_shows_on_the_case_the_department_and_the_big_screen(live):
    page, engine, api = live
    with engine.connect() as c:
        cases = c.execute(select(Event.id, Event.handler_code, Event.title).where(
            Case(AS_OF).handler_overdue, Event.supervised_at.is_(None),
            Event.handler_code.like("D%")).order_by(Event.deadline)).all()
    eid, handler, title = cases[0]
    # A second overdue case of another handler, supervised from the explorer.
    eid2 = next(r.id for r in cases if r.handler_code != handler)
    window = windows.Window(AS_OF - timedelta(days=112), AS_OF)
    scope = {"start": window.start.isoformat(), "end": window.end.isoformat(), "department": handler}
    before = api.get("/api/v1/summary", query_string=scope).get_json()

    page.open(f"/event/{eid}")
    wait_desk(page, title)
    wait_text(page, "#ep-supervisions", lambda x: "尚未督办" in x)
    # Who supervises is who is logged in (here: nobody, the demo); there is no name to type.
    assert page.text("#ep-actor") == "督办人：演示（未登录）" and page.find_all("input#ep-actor") == []
    page.find("#ep-note").send_keys("超期未办结，请今日内反馈")
    page.find("#ep-supervise").click()
    wait_text(page, "#ep-message", lambda x: "已督办" in x and "演示（未登录）" in x)
    wait_text(page, ".case-tags", lambda x: "已督办 1 次" in x)
    wait_text(page, "#ep-timeline", lambda x: "督办" in x and "演示（未登录）" in x and "请今日内反馈" in x)
    after = api.get("/api/v1/summary", query_string=scope).get_json()
    assert after["supervised"] == before["supervised"] + 1
    assert after["score"] < before["score"]

    # The department page: its 督办 and score figures (the handler links there from the case).
    click(page, f"#ep-details a[href='/department/{handler}']")
    wait_path(page, f"/department/{handler}")
    click(page, ".pills a[href$='range=all']")
    wait_path(page, f"/department/{handler}?range=all")
    page.wait(lambda: window_of(page)["start"] != (AS_OF - timedelta(days=7)).isoformat(),
              message="the window never became 全部")
    expected = assert_figures_equal_api(page, api, DEPT_FIELDS, department=handler)
    assert expected["supervised"] == after["supervised"]
    wait_text(page, "#dp-overdue", lambda x: f"#{eid}" in x and "已督办" in x)
    # The list is the stock its figure counts: the handler's cases past their deadline now.
    assert len(page.find_all("#dp-overdue tbody tr")) == expected["handler_overdue_now"] > 0

    # The big screen: the department ranking carries the supervised count and the score.
    page.open("/")
    wait_text(page, KPI.format("reported"))
    page.d.find_element("xpath", "//label[normalize-space()='全部']").click()
    wait_text(page, KPI.format("accepted"), lambda x: x != "—")
    ranking = api.get("/api/v1/summary", query_string=scope).get_json()

    def custom():
        return page.js("""
            const gd = document.querySelector('#bs-depts .js-plotly-plot') || document.getElementById('bs-depts');
            if (!gd || !gd.data || !gd.data[0]) return null;
            const row = gd.data[0].customdata.find(r => r[0] === arguments[0]);
            return row ? [row[5], row[6]] : null;""", handler)

    page.wait(lambda: custom() is not None and custom()[0] == ranking["supervised"],
              message=f"the big screen never showed {handler}'s supervision (got {custom()})")
    assert custom()[1] == pytest.approx(ranking["score"], abs=0.05)

    # From the explorer: select another case and supervise it.
    page.open(f"/events?q={eid2}&overdue=1")
    wait_text(page, "#ex-count", lambda x: x == "共 1 件")
    page.wait(lambda: grid_ids(page) == [eid2], message="the explorer never showed the case")
    click(page, ".ex-grid .ag-center-cols-container .ag-row [col-id='title']")
    wait_text(page, "#ex-selected", lambda x: f"#{eid2}" in x)
    page.wait(lambda: page.find("#ex-supervise").is_enabled(), message="督办 never became possible")
    assert page.text("#ex-actor") == "督办人：演示（未登录）"
    page.find("#ex-note").send_keys("请今日内反馈")
    page.find("#ex-supervise").click()
    wait_text(page, "#ex-message", lambda x: f"#{eid2}" in x and "已督办" in x)
    with engine.connect() as c:
        acts = c.execute(select(Supervision.event_id, Supervision.actor).where(Supervision.event_id.in_((eid, eid2)))
                         .order_by(Supervision.id)).all()
    assert [tuple(a) for a in acts] == [(eid, "演示（未登录）"), (eid2, "演示（未登录）")]
    final = api.get("/api/v1/summary", query_string=scope).get_json()
    assert (final["supervised"], final["score"]) == (after["supervised"], after["score"])  # another handler's case
    assert page.console_errors() == []


def grid_ids(page) -> list[int]:
    """Ids of the rows on the table's current page, from the grid's own model (the DOM holds only
    the rows scrolled into view); None for a row still loading."""
    return page.js("""
        let api = null;
        try { api = window.dash_ag_grid && window.dash_ag_grid.getApi('ex-table'); } catch (e) { return []; }
        if (!api) return [];  // the grid is still being built
        const size = api.paginationGetPageSize(), first = api.paginationGetCurrentPage() * size;
        const last = Math.min(first + size, api.getDisplayedRowCount());
        const out = [];
        for (let i = first; i < last; i++) {
            const n = api.getDisplayedRowAtIndex(i);
            out.push(n && n.data ? n.data.id : null);
        }
        return out;""")


def shown_ids(page) -> list[int]:
    """Ids in the rows a person sees (rendered cells), top to bottom."""
    return page.js("""
        return [...document.querySelectorAll('.ex-grid .ag-center-cols-container .ag-row')]
            .sort((a, b) => (+a.getAttribute('row-index')) - (+b.getAttribute('row-index')))
            .map(r => r.querySelector("[col-id='id']"))
            .filter(c => c && c.innerText.trim()).map(c => +c.innerText.trim());""")


def test_explorer_pages_sorts_and_filters_on_the_server(page, demo_engine):
    page.open("/events")
    wait_text(page, "#ex-count", lambda x: x == "共 983 件")
    everything = caselist.from_query({}, AS_OF)

    def expect(f, sort=None, offset=0):
        return [r["id"] for r in caselist.rows(demo_engine, f, AS_OF, sort=sort, offset=offset, limit=50)]

    page.wait(lambda: grid_ids(page) == expect(everything), message="page 1 is not the newest 50")
    shown = shown_ids(page)
    assert len(shown) >= 10 and shown == expect(everything)[:len(shown)]
    # Page 2 of the table is rows 50-99 of the same query.
    page.find_all(".ex-grid .ag-paging-button")[2].click()
    page.wait(lambda: grid_ids(page) == expect(everything, offset=50), message="page 2 is not rows 50-99")
    assert text(page, ".ex-grid .ag-paging-description").replace(" ", "") == "第2共20"
    # Sort by deadline: the server sorts the whole result, not just the page on screen.
    page.find(".ex-grid .ag-header-cell[col-id='deadline'] .ag-header-cell-label").click()
    page.wait(lambda: grid_ids(page) == expect(everything, sort=[("deadline", "desc")]),
              message="sorting by deadline did not come from the server")
    # A filter goes into the URL, the count and the export links.
    page.d.find_element("xpath", "//label[normalize-space()='仅超期']").click()
    page.wait(lambda: "overdue=1" in path(page), message="the filter never reached the URL")
    overdue = caselist.from_query({"overdue": "1"}, AS_OF)
    n = caselist.count(demo_engine, overdue, AS_OF)
    assert n == metrics.summary(demo_engine, windows.window_for("all", AS_OF, first=windows.first_report(demo_engine)))[
        "overdue"]
    wait_text(page, "#ex-count", lambda x: x == f"共 {n} 件")
    page.wait(lambda: grid_ids(page) == expect(overdue, sort=[("deadline", "desc")]), message="overdue rows")
    assert "overdue=1" in page.find("#ex-csv").get_attribute("href")
    assert "overdue=1" in page.find("#ex-xlsx").get_attribute("href")
    # The back button restores the previous filter.
    page.d.back()
    page.wait(lambda: path(page) == "/events", message="back did not restore the URL")
    wait_text(page, "#ex-count", lambda x: x == "共 983 件")
    assert not page.find("#ex-flags input[value='overdue']").is_selected()
    # A link with a filter opens it; a row's id opens the case.
    page.open("/events?status=open&area=340223100")
    f = caselist.from_query({"status": "open", "area": "340223100"}, AS_OF)
    wait_text(page, "#ex-count", lambda x: x == f"共 {caselist.count(demo_engine, f, AS_OF)} 件")
    page.wait(lambda: grid_ids(page) == expect(f), message="a linked filter did not apply")
    first = grid_ids(page)[0]
    page.find(f".ex-grid a[href='/event/{first}']").click()
    wait_path(page, f"/event/{first}")
    page.wait(lambda: page.find_all("#ep-timeline li"))
    page.d.back()
    wait_path(page, "/events?status=open&area=340223100")
    page.wait(lambda: grid_ids(page) == expect(f), message="back to the explorer lost its filter")
    wait_text(page, "#ex-status", lambda x: "在办（已受理未结案）" in x)
    # The department page's link: the handler's own clock, shown as its flag.
    page.open("/events?handler=D03&handler_overdue=1")
    f = caselist.from_query({"handler": "D03", "handler_overdue": "1"}, AS_OF)
    wait_text(page, "#ex-count", lambda x: x == f"共 {caselist.count(demo_engine, f, AS_OF)} 件")
    page.wait(lambda: grid_ids(page) == expect(f), message="the handler's overdue cases did not apply")
    assert page.find("#ex-flags input[value='handler_overdue']").is_selected()
    assert page.console_errors() == []


@pytest.mark.parametrize("bad", ["/grid/999", "/event/abc", "/event/99999999", "/town/340223100001001",
                                 "/department/NOPE"])
def test_unknown_codes_show_the_chinese_404(page, bad):
    page.open(bad)
    wait_text(page, ".not-found h2", lambda x: x == "页面不存在")
    assert page.find(".not-found a").get_attribute("href").endswith("/")
    # The page request itself answered 404 (Chromium reports that status); nothing else went wrong.
    errors = page.console_errors()
    assert len(errors) == 1 and errors[0].startswith(page.base + bad + " ") and "404" in errors[0], errors


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_desk_pages_fit_the_width(page, target, size):
    page.viewport(*size)
    for p, title in [(f"/grid/{target['grid']}", target["names"][target["grid"]]),
                     (f"/event/{target['event']}", target["title"]), ("/department/D03", None),
                     (f"/town/{target['town']}", target["names"][target["town"]]), ("/events", "事件查询")]:
        page.open(p)
        wait_desk(page, title)
        page.wait_idle()
        assert page.scrollbars()[0] is False, f"{p} scrolls sideways at {size}"
    assert page.console_errors() == []


def test_a_desk_page_follows_new_data_without_reload(live):
    from dashboard.store.db import transaction
    from dashboard.domain.lifecycle import report
    from dashboard.store.models import Category

    page, engine, api = live
    with engine.connect() as c:
        grid, name = c.execute(select(Area.code, Area.name).where(Area.level == "grid").order_by(Area.code)).first()
        category = c.execute(select(Category.code).where(Category.parent_code.is_not(None)).order_by(Category.code)
                             ).scalar()
    page.open(f"/grid/{grid}")
    wait_desk(page, name)
    before = assert_figures_equal_api(page, api, GRID_FIELDS, area=grid)
    page.js("window.__still_here = true;")
    with transaction(engine) as s:
        report(s, title="测试网格新上报事件XYZ", category_code=category, source="patrol", grid_code=grid,
               at=AS_OF - timedelta(seconds=30), actor="测试")
    wait_text(page, KPI.format("reported"), lambda x: x == fmt.count(before["reported"] + 1))
    wait_text(page, "#gp-events", lambda x: "测试网格新上报事件XYZ" in x)
    assert_figures_equal_api(page, api, GRID_FIELDS, area=grid)
    assert page.js("return window.__still_here === true;")  # no reload
    assert page.console_errors() == []
