"""What people see of the connector: the big screen names a late source (``/api/v1/version`` and
the shell's banner, in a real Chromium), a change in the platform reaches an open screen after one
sync, the administrators' ``/sources`` page, and ``gridscreen source``/``gridscreen sync``."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.engine import make_url

from dashboard.present import fmt
from dashboard.cli import main
from dashboard.connector import runs, sync
from dashboard.store.models import AuditEntry, Event, SyncSource
from dashboard.timeutil import now_utc, to_local

from .authsupport import Browser, add, txt
from .browser import LiveServer, Page
from .conftest import settings_for
from .connector_support import connect, count, mariadb_platform, rows, run  # noqa: F401
from .platform import GRID1, MAPPINGS, Case


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def down_url(platform) -> str:
    return make_url(platform.url).set(port=closed_port()).render_as_string(hide_password=False)


def add_down_source(engine, platform, name="backup"):
    runs.add_source(engine, name, down_url(platform), MAPPINGS["mariadb"].read_text(encoding="utf-8"), "down.toml")


def test_the_version_poll_names_late_sources_and_the_sources_page_shows_each_run(engine, mariadb_platform):
    from app import create_app

    mariadb_platform.seed()
    connect(engine, mariadb_platform)
    assert run(engine).status == "ok"
    add_down_source(engine, mariadb_platform)
    failed = run(engine, "backup")
    assert failed.status == "failed"

    app = create_app(settings_for(engine.url.render_as_string(hide_password=False), frozen_now=None,
                                  warm_geometry=False))
    client = app.server.test_client()
    body = client.get("/api/v1/version").get_json()
    assert body["late_sources"] == [{"name": "backup", "since": None}]  # never synced: late from the start

    b = Browser(app)
    r = b.callback("sources-table.children")
    assert r.status_code == 200, txt(r)
    page = txt(r)
    for text in ("pingan", "backup", "成功", "失败", "无法连接来源数据库", "延迟", "正常", "从未成功", "上次同步拒收的行：pingan",
                 "PA011X", "超过200个字符", "事件类别", "04.01"):
        assert text in page, text
    assert "mysql+pymysql://gridscreen@127.0.0.1" in page
    r = b.callback("page.children", {"url.pathname": "/sources", "url.search": ""})
    assert "sources-root" in txt(r)


def test_the_sources_page_is_for_administrators(databases, mariadb_platform):
    from app import create_app

    from dashboard.store import db

    url = databases.new_url()
    engine = db.make_engine(url)
    db.upgrade(engine)
    add(engine, "admin1", "admin")
    add(engine, "duty1", "duty_officer")
    add(engine, "wall1", "display")
    app = create_app(settings_for(url, auth=True, login_rate="1000 per minute", warm_geometry=False))
    for user, allowed in (("admin1", True), ("duty1", False), ("wall1", False)):
        b = Browser(app)
        assert b.login(user).status_code == 303
        r = b.callback("page.children", {"url.pathname": "/sources", "url.search": ""})
        assert ("sources-root" in txt(r)) == allowed, user
        assert b.callback("sources-table.children").status_code == (200 if allowed else 403), user
    engine.dispose()


def test_the_command_line_adds_lists_syncs_and_removes_a_source(engine, mariadb_platform, monkeypatch, tmp_path):
    p = mariadb_platform
    p.seed()
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PINGAN_DB_URL", p.url)
    cli = CliRunner()
    r = cli.invoke(main, ["source", "add", "pingan", "--url", "env:PINGAN_DB_URL", "--mapping", str(MAPPINGS["mariadb"])])
    assert r.exit_code == 0, r.output
    assert "来源 pingan 已添加: env:PINGAN_DB_URL" in r.output
    assert rows(engine, select(SyncSource.url))[0][0] == "env:PINGAN_DB_URL"  # the password stays in the environment
    r = cli.invoke(main, ["source", "add", "pingan", "--url", "env:X", "--mapping", str(MAPPINGS["mariadb"])])
    assert r.exit_code == 1 and "已存在" in r.output

    r = cli.invoke(main, ["sync"])
    # The CLI's clock is real (2026-12 here): the platform's cases of 2026-11-20 are in the past.
    assert r.exit_code == 0, r.output
    assert "pingan: 成功，读取 45，写入 35，拒收 6" in r.output
    assert "拒收 events PA011X: title（case_title）超过200个字符" in r.output
    r = cli.invoke(main, ["source", "list"])
    assert "pingan  env:PINGAN_DB_URL" in r.output and "成功" in r.output
    r = cli.invoke(main, ["source", "runs", "pingan"])
    assert "读取 45" in r.output and "拒收 categories 04.01" in r.output

    monkeypatch.delenv("PINGAN_DB_URL")
    r = cli.invoke(main, ["sync", "pingan"])
    assert r.exit_code == 1 and "环境变量 PINGAN_DB_URL 未设置" in r.output
    r = cli.invoke(main, ["sync", "nope"])
    assert r.exit_code == 1 and "来源 nope 不存在" in r.output

    r = cli.invoke(main, ["source", "remove", "pingan", "--yes"])
    assert r.exit_code == 0 and count(engine, SyncSource) == 0 and count(engine, Event) == 10  # the data stays
    actions = [a for a, in rows(engine, select(AuditEntry.action).order_by(AuditEntry.id))]
    assert actions == ["source.add", "source.remove"]


@pytest.mark.browser
def test_a_platform_change_reaches_the_open_screen_and_a_late_source_is_named(databases, chrome, mariadb_platform):
    """The platform reports a case now; one sync later the open big screen counts it (no reload).
    Then the platform goes away: once it is late, the screen's banner names it."""
    from app import create_app

    from dashboard.store import db

    from .test_bigscreen import KPI, wait_loaded

    p = mariadb_platform
    p.seed()
    url = databases.new_url()
    engine = db.make_engine(url)
    db.upgrade(engine)
    connect(engine, p)
    assert sync.sync(engine, "pingan").status == "ok"  # real clock: the seeded day is in the past

    app = create_app(settings_for(url, frozen_now=None, sync_late_seconds=20, warm_geometry=False))
    server = LiveServer(app.server)
    try:
        chrome.get_log("browser")
        page = Page(chrome, server.url).viewport(1920, 1080)
        page.open("/")
        wait_loaded(page)
        reported = KPI.format("reported")
        before = int(page.wait_text(reported).replace(",", ""))

        local_now = to_local(now_utc()).replace(tzinfo=None, microsecond=0)  # the platform keeps local time
        p.clock = local_now
        p.add_cases([Case("PA100", "刚刚上报：消防通道堵塞", "0101", GRID1, local_now,
                          flows=[("上报", local_now, None, "李娜", None)])])
        assert sync.sync(engine, "pingan").status == "ok"
        page.wait_text(reported, lambda t: t == fmt.count(before + 1))
        # Synced moments ago: not late (a banner from the first sync, older than the threshold by
        # now, goes within the few seconds a process keeps the lateness it looked up).
        page.wait_text("#stale-banner", lambda t: t == "", timeout=15)

        src = runs.source(engine, "pingan")
        runs.add_source(engine, "pingan", down_url(p), src.mapping_text, src.mapping_name, replace=True)
        assert sync.sync(engine, "pingan").status == "failed"
        banner = page.wait_text("#stale-banner", lambda t: "pingan" in t, timeout=45)
        assert "同步延迟" in banner and "其数据截至" in banner
        assert page.console_errors() == []
    finally:
        server.stop()
        engine.dispose()
