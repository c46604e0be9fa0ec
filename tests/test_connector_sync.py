"""The connector against a real county platform: 平安通's own schema on a real MariaDB and on a
real PostgreSQL (tests/platform), GridScreen's database on SQLite or PostgreSQL (``--db``).

First full sync, incremental syncs (new reports, cases moving on, a category renamed, a member
leaving, deletions and invalidations as the platform expresses them), a re-run that writes
nothing, bad rows refused with their source keys while the rest land, a platform that contradicts
what was synced, a platform that is down, and a mapping that does not fit the platform's query —
both ways a platform tells a case's life (its status log, or stage times on the case row).
"""

from __future__ import annotations

import json
import socket
from datetime import timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import make_url

from dashboard.store import db
from dashboard.connector import runs
from dashboard.store.models import Area, Category, Department, Event, EventLog, Staff, SyncRun, SyncWatermark
from dashboard.timeutil import now_utc

from .connector_support import (NOW, connect, count, counts, mariadb_platform, platform, refused, rows,  # noqa: F401
                                run, scalar)
from .platform import DAY, GRID1, GRID2, MAPPINGS, H, Case

BAD = {"PA011X", "PA012X", "PA013X", "PA014X", "PA015X"}


def statuses(engine) -> dict[str, str]:
    return dict(rows(engine, select(Event.ext_id, Event.status)))


def log_of(engine, ext_id: str) -> list[tuple]:
    return rows(engine, select(EventLog.action, EventLog.at, EventLog.actor, EventLog.note)
                .join(Event, Event.id == EventLog.event_id).where(Event.ext_id == ext_id)
                .order_by(EventLog.at, EventLog.id))


@pytest.mark.parametrize("stages", [False, True], ids=["status-log", "stage-times"])
def test_first_sync_lands_the_county_and_refuses_bad_rows_with_their_keys(engine, platform, stages):
    platform.seed()
    connect(engine, platform, stages=stages)
    before = db.versions(engine)
    report = run(engine)

    assert report.status == "ok", report.error
    c = counts(report)
    assert c["areas"] == (8, 8, 0) and c["departments"][0] == 7 and c["staff"] == (5, 5, 0)
    assert c["categories"] == (10, 9, 1)
    assert c["events"] == (15, 10, 5)
    why = refused(engine, report)
    assert set(why) == BAD | {"04.01"}
    assert "超过200个字符" in why["PA011X"] and "title（case_title）" in why["PA011X"]
    assert "网格 340223100001999 不存在" in why["PA012X"]
    assert "微信小程序" in why["PA013X"] and "对照表" in why["PA013X"]
    assert "来源状态为“已结案”" in why["PA014X"]
    assert "事件类别 04.01 不存在" in why["PA015X"]
    assert "没有时限可继承" in why["04.01"]

    # The rest landed, each case where its life led (stage times cannot see 签收, 返工 or 退单).
    st = statuses(engine)
    assert set(st) == {f"PA{i:03d}" for i in range(1, 11)}
    assert st == {"PA001": "reported", "PA002": "accepted", "PA003": "invalid", "PA004": "dispatched",
                  "PA005": "dispatched" if stages else "in_progress", "PA006": "disposed", "PA007": "closed",
                  "PA008": "closed", "PA009": "dispatched", "PA010": "reported"}
    ev = {e.ext_id: e for e in rows(engine, select(Event))}
    assert ev["PA008"].rework_count == (0 if stages else 1)
    assert ev["PA009"].sendback_count == (0 if stages else 1)
    assert ev["PA009"].handler_code == GRID1 and ev["PA006"].handler_code == "340223101"
    # Local (Asia/Shanghai) times are stored as UTC; the platform's deadline is kept.
    assert ev["PA002"].reported_at == DAY_UTC(8.5)
    assert ev["PA002"].deadline == DAY_UTC(9) + timedelta(hours=168)
    assert ev["PA004"].deadline == DAY_UTC(10) + timedelta(hours=72)  # 占道经营 runs on 城市管理类's 72 h
    assert ev["PA001"].source == "patrol" and ev["PA004"].source == "hotline" and ev["PA005"].severity == "urgent"
    assert ev["PA006"].category_code == "99"  # [codes.category] QT = 99
    assert ev["PA006"].reporter_staff_id == scalar(engine, select(Staff.id).where(Staff.ext_id == "5"))
    assert ev["PA001"].town_code == "340223100" and ev["PA005"].community_code == "340223101001"
    assert float(ev["PA001"].lon) == pytest.approx(118.05)
    # The event log is the one lifecycle writes: every step with its time, operator and handler.
    log = log_of(engine, "PA007")
    assert [a for a, *_ in log] == ["report", "accept", "dispatch", "dispose", "verify_ok"]
    assert log[0][1] == DAY_UTC(11)
    if not stages:
        assert log[0][2] == "李娜" and log[1][2] == "值班员"
        assert [a for a, *_ in log_of(engine, "PA009")] == ["report", "accept", "dispatch", "send_back", "dispatch"]
        assert count(engine, EventLog) == 34
    else:
        assert log[1][2] == "平安通"  # no operator on a stage time: the mapping's actor
    # The catalogue: major categories without a limit, a minor one running on its parent's.
    cats = {c.code: c for c in rows(engine, select(Category))}
    assert cats["01"].time_limit_hours is None and cats["0101"].time_limit_hours == 24
    assert cats["A01.02"].time_limit_hours is None and cats["A01.02"].parent_code == "02"
    assert cats["JT-001"].is_major and cats["03"].is_major and not cats["0101"].is_major
    assert "04.01" not in cats and "99" in cats
    staff = {s.ext_id: s for s in rows(engine, select(Staff))}
    assert staff["1"].phone_masked == "138****5678" and staff["1"].role == "grid_leader" and staff["4"].active
    area = {a.code: a for a in rows(engine, select(Area))}
    assert area[GRID1].households == 420 and area["340223"].geometry and area[GRID1].centroid_lon == pytest.approx(118.05)
    assert scalar(engine, select(Department.level).where(Department.code == "GA")) == "county_department"
    # Screens refresh: every channel the sync wrote to moved.
    after = db.versions(engine)
    assert all(after[ch] > before[ch] for ch in ("areas", "catalog", "staff", "events"))
    # The run is recorded: counts, watermark per entity, duration.
    r = rows(engine, select(SyncRun))[0]
    assert (r.status, r.rows_read, r.rows_written, r.rows_refused) == ("ok", 45, 35, 6)
    detail = json.loads(r.detail)
    assert json.loads(detail["events"]["watermark"])["kind"] == "time" and detail["seconds"] >= 0
    assert r.finished_at >= r.started_at


def DAY_UTC(hours: float):
    from dashboard.timeutil import to_utc

    return to_utc(DAY + timedelta(hours=hours))


def test_a_rerun_writes_nothing_even_reading_everything_again(engine, platform):
    platform.seed()
    connect(engine, platform)
    run(engine)
    versions, events, logs = db.versions(engine), statuses(engine), count(engine, EventLog)

    # From the watermarks: only the last second already read is read again (">=": a row committed
    # later within that second is not lost), one row per entity here, and nothing is written.
    again = run(engine)
    assert again.status == "ok" and again.read == 5 and again.written == 0
    assert set(refused(engine, again)) == {"04.01", "PA015X"}  # the last rows read were refused ones

    with db.transaction(engine) as s:  # and without them: every row read again, none written
        s.execute(delete(SyncWatermark))
    full = run(engine)
    assert full.status == "ok" and full.read == 45 and full.written == 0
    assert set(refused(engine, full)) == BAD | {"04.01"}  # still refused, still named
    assert db.versions(engine) == versions and statuses(engine) == events and count(engine, EventLog) == logs


@pytest.mark.parametrize("stages", [False, True], ids=["status-log", "stage-times"])
def test_incremental_syncs_read_only_what_changed(engine, platform, stages):
    platform.seed()
    connect(engine, platform, stages=stages)
    run(engine)
    before, logs = db.versions(engine), count(engine, EventLog)

    platform.add_cases([Case("PA016", "小区积水", "0101", GRID2, DAY + 17 * H,
                             flows=[("上报", DAY + 17 * H, None, "王强", None)], reporter_id=3)])
    platform.flow("PA002", "派遣", DAY + 15 * H, dept=1)
    platform.flow("PA002", "处置完成", DAY + 16 * H, dept=1)
    platform.update("t_event_type", "type_code", "0101", type_name="治安隐患排查")
    platform.update("t_case", "case_no", "PA001", del_flag="2")  # deleted while waiting for intake
    platform.flow("PA010", "不予受理", DAY + 16 * H)  # judged invalid
    platform.update("t_case", "case_no", "PA004", del_flag="2")  # deleted after acceptance
    platform.update("t_case", "case_no", "PA011X", case_title="标题已修正")  # a refused row fixed
    platform.update("t_grid_member", "member_id", 3, on_duty="0")  # a member left

    report = run(engine)
    assert report.status == "ok", report.error
    c = counts(report)
    # What changed, and the last second already read (one row per entity: see the rerun test).
    assert c["areas"] == (1, 0, 0) and c["departments"] == (1, 0, 0)
    assert c["categories"] == (2, 1, 1) and c["staff"] == (2, 1, 0)
    assert c["events"] == (7, 5, 2)
    why = refused(engine, report)
    assert set(why) == {"PA004", "PA015X", "04.01"} and "已受理" in why["PA004"] and "只增不改" in why["PA004"]

    st = statuses(engine)
    assert st["PA016"] == "reported" and st["PA002"] == "disposed"
    assert st["PA001"] == "invalid" and st["PA010"] == "invalid"
    assert st["PA004"] == "dispatched"  # refused: left as it was
    assert st["PA011X"] == "reported"
    assert log_of(engine, "PA001")[-1][3] == "来源平台已删除该事件"
    assert [a for a, *_ in log_of(engine, "PA002")] == ["report", "accept", "dispatch", "dispose"]
    assert scalar(engine, select(Category.name).where(Category.code == "0101")) == "治安隐患排查"
    assert scalar(engine, select(Staff.active).where(Staff.ext_id == "3")) is False
    assert count(engine, EventLog) == logs + 6
    after = db.versions(engine)
    assert after["events"] > before["events"] and after["catalog"] > before["catalog"] and after["staff"] > before["staff"]
    assert after["areas"] == before["areas"]

    quiet = run(engine)
    assert (quiet.read, quiet.written, quiet.refused) == (5, 0, 0) and db.versions(engine) == after


@pytest.mark.parametrize("stages", [False, True], ids=["status-log", "stage-times"])
def test_a_platform_rewriting_history_is_refused_not_rewritten(engine, platform, stages):
    platform.seed()
    connect(engine, platform, stages=stages)
    run(engine)
    logs = count(engine, EventLog)
    # The platform moves PA007's acceptance half an hour (a correction at the vendor's end).
    with platform.engine.begin() as c:
        from sqlalchemy import text

        case_id = c.execute(text("SELECT case_id FROM t_case WHERE case_no = 'PA007'")).scalar()
        c.execute(text("UPDATE t_case_flow SET oper_time = :t WHERE case_id = :id AND node_name = '受理'"),
                  {"t": DAY + 11.7 * H, "id": case_id})
        c.execute(text("UPDATE t_case SET accept_time = :t, update_time = :u WHERE case_id = :id"),
                  {"t": DAY + 11.7 * H, "u": platform.tick(), "id": case_id})
    report = run(engine)
    assert report.status == "ok" and counts(report)["events"] == (2, 0, 2)  # and PA015X, the last second
    reason = refused(engine, report)["PA007"]
    assert "不一致" in reason
    assert statuses(engine)["PA007"] == "closed" and count(engine, EventLog) == logs
    assert log_of(engine, "PA007")[1][1] == DAY_UTC(11.5)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_platform_that_is_down_fails_the_run_cleanly_and_is_recorded(engine, platform):
    platform.seed()
    connect(engine, platform)
    assert run(engine).status == "ok"
    marks = dict(rows(engine, select(SyncWatermark.entity, SyncWatermark.value)))
    versions = db.versions(engine)

    down = make_url(platform.url).set(port=closed_port()).render_as_string(hide_password=False)
    src = runs.source(engine, "pingan")
    runs.add_source(engine, "pingan", down, src.mapping_text, src.mapping_name, replace=True)
    report = run(engine, now=NOW + timedelta(minutes=30))
    assert report.status == "failed" and "无法连接来源数据库" in report.error
    assert report.read == 0 and report.written == 0
    assert dict(rows(engine, select(SyncWatermark.entity, SyncWatermark.value))) == marks
    assert db.versions(engine) == versions
    last = rows(engine, select(SyncRun).order_by(SyncRun.id.desc()))[0]
    assert last.status == "failed" and "无法连接来源数据库" in last.error and last.finished_at is not None

    # The screens can say so: the source's last run failed and, past the threshold, it is late
    # (runs are stamped by the real clock; ``now`` of a sync only judges the platform's times).
    [h] = runs.health(engine, now_utc() + timedelta(minutes=30), late_after_seconds=600)
    assert h.last_status == "failed" and h.late and h.last_ok is not None and h.lag_seconds > 600
    assert "127.0.0.1" in h.url and "password" not in h.url
    [h] = runs.health(engine, h.last_ok + timedelta(minutes=5), late_after_seconds=600)
    assert not h.late


def test_a_mapping_that_does_not_fit_the_query_fails_the_run_and_keeps_what_was_read(engine, mariadb_platform):
    p = mariadb_platform
    p.seed()
    text_ = MAPPINGS["mariadb"].read_text(encoding="utf-8")
    connect(engine, p, text_=text_.replace('title = "case_title"', 'title = "case_titel"'))
    report = run(engine)
    assert report.status == "failed"
    assert "[events] 的查询结果中没有这些列: case_titel（columns.title）" in report.error
    marks = dict(rows(engine, select(SyncWatermark.entity, SyncWatermark.value)))
    assert set(marks) == {"areas", "departments", "categories", "staff"}  # events did not move
    assert count(engine, Event) == 0 and count(engine, Area) == 8


def test_one_sync_of_a_source_at_a_time(engine, mariadb_platform):
    mariadb_platform.seed([])
    connect(engine, mariadb_platform)
    src = runs.source(engine, "pingan")
    runs.begin_run(engine, src.id, now_utc())
    with pytest.raises(runs.AlreadyRunning, match="另一次同步正在进行"):
        run(engine)
    # A run that began long ago died with its process: the next one closes it and goes ahead.
    with db.transaction(engine) as s:
        for r in s.scalars(select(SyncRun)):
            r.started_at = now_utc() - runs.ABANDONED - timedelta(minutes=1)
    assert run(engine).status == "ok"
    assert [(r.status, r.error) for r in rows(engine, select(SyncRun).order_by(SyncRun.id))][0] == \
        ("failed", "同步进程中断，未能完成")


def test_a_row_the_database_refuses_is_refused_alone_and_never_half_written(engine, mariadb_platform):
    """Two of the platform's cases claim one case number here (the mapping takes ext_id from a column
    that is not unique at the platform): the batch's write fails, and written again row by row only
    the second case is refused, with the database's reason; the others land whole."""
    p = mariadb_platform
    p.seed([Case("D1", "同名事件", "0101", GRID1, DAY + 8 * H, flows=[("上报", DAY + 8 * H, None, "李娜", None),
                                                                   ("受理", DAY + 9 * H, None, "值班员", None)]),
            Case("D2", "同名事件", "0101", GRID2, DAY + 8 * H, flows=[("上报", DAY + 8 * H, None, "王强", None),
                                                                   ("受理", DAY + 9 * H, None, "值班员", None)]),
            Case("D3", "另一事件", "0101", GRID2, DAY + 8 * H, flows=[("上报", DAY + 8 * H, None, "王强", None)])])
    text_ = MAPPINGS["mariadb"].read_text(encoding="utf-8").replace('title = "case_title"',
                                                                       'title = "case_title"\next_id = "case_title"')
    connect(engine, p, text_=text_)
    report = run(engine)
    assert report.status == "ok" and counts(report)["events"] == (3, 2, 1)
    why = refused(engine, report)
    assert set(why) - {"04.01"} == {"D2"} and why["D2"].startswith("数据库拒绝写入")
    assert statuses(engine) == {"同名事件": "accepted", "另一事件": "reported"}
    assert [a for a, *_ in log_of(engine, "同名事件")] == ["report", "accept"]
    assert count(engine, EventLog) == 3  # D1's two steps and D3's report; nothing of D2
