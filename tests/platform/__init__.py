"""平安通, a county grid platform with its own database, for the connector's tests and benchmark.

``Platform`` creates the vendor's schema (``mariadb.sql`` or ``postgresql.sql``) in a throwaway
database of a real MariaDB or PostgreSQL server, fills it with a small county and its cases the
way the platform itself would (a flow record per step, stage times and status kept on the case
row, ``update_time`` touched on every change, local times without a zone), and makes the changes
a live platform makes: new reports, cases moving on, deletions, a category renamed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

HERE = Path(__file__).parent
MAPPINGS = {
    "mariadb": HERE.parent.parent / "docs" / "connector-example.toml",
    "postgresql": HERE / "pingan-postgresql.toml",
}
STAGE_MAPPINGS = {"mariadb": HERE / "pingan-stages-mariadb.toml", "postgresql": HERE / "pingan-stages-postgresql.toml"}

T0 = datetime(2026, 11, 1, 8, 0)  # when the catalogue was last edited (local time)
DAY = datetime(2026, 11, 20)  # the day the cases are reported (local)
H = timedelta(hours=1)
SECOND = timedelta(seconds=1)

COUNTY, TOWN1, TOWN2 = "340223", "340223100", "340223101"
COMM1, COMM2 = "340223100001", "340223101001"
GRID1, GRID2, GRID3 = "340223100001001", "340223100001002", "340223101001001"


def _box(x0, x1) -> str:
    x0, x1 = 118.0 + x0, 118.0 + x1
    return f"POLYGON (({x0} 30.8, {x1} 30.8, {x1} 30.9, {x0} 30.9, {x0} 30.8))"


REGIONS = [  # code, name, level, parent, households, population, boundary
    (COUNTY, "南陵县", 1, None, None, None, _box(0, 0.3)),
    (TOWN1, "籍山镇", 2, COUNTY, None, None, _box(0, 0.2)),
    (TOWN2, "许镇镇", 2, COUNTY, None, None, _box(0.2, 0.3)),
    (COMM1, "和顺社区", 3, TOWN1, None, None, _box(0, 0.2)),
    (COMM2, "许镇村", 3, TOWN2, None, None, _box(0.2, 0.3)),
    (GRID1, "和顺社区第1网格", 4, COMM1, 420, 980, _box(0, 0.1)),
    (GRID2, "和顺社区第2网格", 4, COMM1, 380, 870, _box(0.1, 0.2)),
    (GRID3, "许镇村第1网格", 4, COMM2, 300, 700, _box(0.2, 0.3)),
]
DEPTS = [  # dept_id, code, name, type
    (1, "GA", "县公安局", "县直部门"),
    (2, "ZJ", "县住建局", "县直部门"),
    (3, "CG", "县城管局", "县直部门"),
    (4, TOWN1, "籍山镇", "乡镇"),
    (5, TOWN2, "许镇镇", "乡镇"),
    (6, COMM1, "和顺社区", "村社区"),
    (7, GRID1, "和顺社区第1网格", "网格"),
]
TYPES = [  # code, name, parent, limit hours, major flag
    ("01", "社会治安类", None, None, "N"),
    ("0101", "治安隐患", "01", Decimal("24.0"), "N"),
    ("0102", "矛盾纠纷", "01", Decimal("168.0"), "N"),
    ("02", "城市管理类", None, Decimal("72.0"), "N"),
    ("A01.02", "占道经营", "02", None, "N"),  # runs on 城市管理类's 72 h
    ("03", "安全生产类", None, None, "Y"),
    ("JT-001", "道路交通隐患", "03", Decimal("12.0"), "Y"),
    ("QT", "其他", None, Decimal("48.0"), "N"),  # GridScreen's 99 ([codes.category])
    ("04", "环境卫生类", None, None, "N"),
    ("04.01", "垃圾堆放", "04", None, "N"),  # no limit anywhere above: refused
]
LIMITS = {"0101": 24, "0102": 168, "02": 72, "A01.02": 72, "JT-001": 12, "QT": 48}
MEMBERS = [  # member_id, grid, name, duty, mobile
    (1, GRID1, "张伟", "网格长", "13812345678"),
    (2, GRID1, "李娜", "专职网格员", "13912345678"),
    (3, GRID2, "王强", "专职网格员", "13712345678"),
    (4, GRID3, "赵敏", "专职网格员", "13612345678"),
    (5, GRID3, "刘洋", "民警", "13512345678"),
]
# The platform's flow nodes and the status each leaves a case in.
STATUS_AFTER = {"上报": "待受理", "受理": "已受理", "不予受理": "不予受理", "派遣": "已派遣", "签收": "处置中",
                "处置完成": "已处置", "核查不通过": "已派遣", "办结": "办结", "退回": "已受理"}


@dataclass
class Case:
    no: str
    title: str
    type_code: str
    grid: str
    report_time: datetime
    channel: str = "网格员巡查"
    urgency: str = "一般"
    reporter_id: int | None = 2
    flows: list[tuple] = field(default_factory=list)  # (node, time, dept_id, user, opinion)
    status: str | None = None  # None: the status the last flow leaves
    del_flag: str = "0"


def initial_cases() -> list[Case]:
    """A day of cases in every state, and five the connector must refuse (their ``no`` ends in X)."""
    d = DAY

    def c(no, title, type_code, grid, hour, nodes, **kw):
        at = d + timedelta(hours=hour)
        flows = [("上报", at, None, "李娜", None)]
        for node, after, dept in nodes:
            flows.append((node, at + timedelta(hours=after), dept, "值班员", None))
        return Case(no, title, type_code, grid, at, flows=flows, **kw)

    return [
        c("PA001", "路灯损坏", "A01.02", GRID1, 8, []),
        c("PA002", "邻里噪音纠纷", "0102", GRID1, 8.5, [("受理", 0.5, None)]),
        c("PA003", "重复上报", "0101", GRID2, 9, [("不予受理", 0.2, None)]),
        c("PA004", "占道摆摊", "A01.02", GRID2, 9.5, [("受理", 0.5, None), ("派遣", 1, 3)], channel="12345热线"),
        c("PA005", "路口信号灯故障", "JT-001", GRID3, 10, [("受理", 0.2, None), ("派遣", 0.5, 1), ("签收", 1, 1)],
          urgency="紧急", reporter_id=4),
        c("PA006", "井盖缺失", "QT", GRID3, 10.5, [("受理", 0.5, None), ("派遣", 1, 5), ("处置完成", 3, 5)],
          reporter_id=5),
        c("PA007", "楼道堆物", "0101", GRID1, 11, [("受理", 0.5, None), ("派遣", 1, 6), ("处置完成", 2, 6),
                                              ("办结", 3, None)]),
        c("PA008", "违章搭建", "A01.02", GRID2, 11.5, [("受理", 0.5, None), ("派遣", 1, 2), ("处置完成", 2, 2),
                                                  ("核查不通过", 3, None), ("处置完成", 4, 2), ("办结", 5, None)]),
        c("PA009", "流浪犬伤人隐患", "0101", GRID1, 12, [("受理", 0.5, None), ("派遣", 1, 1), ("退回", 1.5, 1),
                                                  ("派遣", 2, 7), ("催办", 2.5, None)], channel="群众来访"),
        c("PA010", "视频发现聚集", "0101", GRID3, 13, [], channel="视频监控", reporter_id=None),
        # refused: a title longer than GridScreen keeps, an unknown grid, an unknown channel, a status
        # the flows do not lead to, a category the catalogue refused
        c("PA011X", "标题" * 120, "0101", GRID1, 14, []),
        c("PA012X", "不存在的网格", "0101", "340223100001999", 14, []),
        c("PA013X", "来自小程序", "0101", GRID1, 14, [], channel="微信小程序"),
        c("PA014X", "状态不符", "0101", GRID1, 14, [("受理", 0.5, None)], status="办结"),
        c("PA015X", "垃圾成堆", "04.01", GRID2, 14, []),
    ]


class Platform:
    """The platform's database on a real server (``kind``: mariadb or postgresql)."""

    def __init__(self, kind: str, admin_url: str):
        self.kind = kind
        self.name = f"pingan_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        quote = "`" if kind == "mariadb" else '"'
        with self.admin.connect() as c:
            extra = " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" if kind == "mariadb" else " ENCODING 'UTF8'"
            c.execute(text(f"CREATE DATABASE {quote}{self.name}{quote}{extra}"))
        self.url = make_url(admin_url).set(database=self.name).render_as_string(hide_password=False)
        self.engine: Engine = create_engine(self.url)
        ddl = (HERE / f"{kind}.sql").read_text(encoding="utf-8")
        with self.engine.begin() as c:
            for stmt in _statements(ddl):
                c.exec_driver_sql(stmt)
        self.clock = datetime(2026, 11, 20, 18, 0)  # the platform's "now" for update_time
        self._flow_id = 0
        self._case_id = 0

    def drop(self) -> None:
        self.engine.dispose()
        quote = "`" if self.kind == "mariadb" else '"'
        with self.admin.connect() as c:
            force = " WITH (FORCE)" if self.kind == "postgresql" else ""
            c.execute(text(f"DROP DATABASE IF EXISTS {quote}{self.name}{quote}{force}"))
        self.admin.dispose()

    def tick(self, minutes: float = 1) -> datetime:
        """Move the platform's clock on: every change gets a later update_time."""
        self.clock += timedelta(minutes=minutes)
        return self.clock

    # --- the county, its catalogue and its people ----------------------------------------------

    def seed(self, cases: list[Case] | None = None) -> None:
        with self.engine.begin() as c:
            c.execute(text("INSERT INTO t_sys_region (region_code, region_name, region_level, parent_code, households, "
                           "population, boundary, del_flag, update_time) VALUES (:code, :name, :level, :parent, :hh, "
                           ":pop, :boundary, '0', :t)"),
                      [dict(code=r[0], name=r[1], level=r[2], parent=r[3], hh=r[4], pop=r[5], boundary=r[6],
                            t=T0 + i * SECOND) for i, r in enumerate(REGIONS)])
            c.execute(text("INSERT INTO t_sys_dept (dept_id, dept_code, dept_name, dept_type, del_flag, update_time) "
                           "VALUES (:id, :code, :name, :type, '0', :t)"),
                      [dict(id=d[0], code=d[1], name=d[2], type=d[3], t=T0 + i * SECOND) for i, d in enumerate(DEPTS)])
            c.execute(text("INSERT INTO t_event_type (type_code, type_name, parent_code, time_limit_hours, major_flag, "
                           "del_flag, update_time) VALUES (:code, :name, :parent, :limit, :major, '0', :t)"),
                      [dict(code=t[0], name=t[1], parent=t[2], limit=t[3], major=t[4], t=T0 + i * SECOND)
                       for i, t in enumerate(TYPES)])
            c.execute(text("INSERT INTO t_grid_member (member_id, grid_code, member_name, duty, mobile, on_duty, "
                           "update_time) VALUES (:id, :grid, :name, :duty, :mobile, '1', :t)"),
                      [dict(id=m[0], grid=m[1], name=m[2], duty=m[3], mobile=m[4], t=T0 + i * SECOND)
                       for i, m in enumerate(MEMBERS)])
        self.add_cases(initial_cases() if cases is None else cases)

    # --- cases -----------------------------------------------------------------------------------

    def add_cases(self, cases: list[Case]) -> None:
        case_rows, flow_rows = [], []
        for case in cases:
            self._case_id += 1
            t = self.tick(1 / 60)  # a second apart: the platform keeps whole seconds
            case_rows.append(self._case_row(case, self._case_id, t))
            for node, at, dept, user, opinion in case.flows:
                self._flow_id += 1
                flow_rows.append(dict(id=self._flow_id, case=self._case_id, node=node, at=at, dept=dept, user=user,
                                      opinion=opinion))
        with self.engine.begin() as c:
            if case_rows:
                c.execute(text(
                    "INSERT INTO t_case (case_id, case_no, case_title, case_desc, type_code, grid_code, channel, urgency, "
                    "lng, lat, reporter_id, status, report_time, accept_time, dispatch_time, handle_dept_id, finish_time, "
                    "close_time, limit_time, del_flag, update_time) VALUES (:id, :no, :title, :descr, :type, :grid, "
                    ":channel, :urgency, :lng, :lat, :reporter, :status, :report, :accept, :dispatch, :dept, :finish, "
                    ":close, :limit, :del_flag, :t)"), case_rows)
            if flow_rows:
                c.execute(text("INSERT INTO t_case_flow (flow_id, case_id, node_name, oper_time, dept_id, oper_user, "
                               "opinion) VALUES (:id, :case, :node, :at, :dept, :user, :opinion)"), flow_rows)

    def _case_row(self, case: Case, case_id: int, t: datetime) -> dict:
        stages = _stages(case)
        grid_x = {GRID1: 118.05, GRID2: 118.15, GRID3: 118.25}.get(case.grid, 118.05)
        return dict(id=case_id, no=case.no, title=case.title, descr=f"{case.title}，请尽快处理。", type=case.type_code,
                    grid=case.grid, channel=case.channel, urgency=case.urgency, lng=Decimal(f"{grid_x:.6f}"),
                    lat=Decimal("30.850000"), reporter=case.reporter_id, status=case.status or stages["status"],
                    report=case.report_time, accept=stages["accept"], dispatch=stages["dispatch"], dept=stages["dept"],
                    finish=stages["finish"], close=stages["close"], limit=stages["limit"], del_flag=case.del_flag, t=t)

    def flow(self, case_no: str, node: str, at: datetime, dept: int | None = None, user: str = "值班员") -> None:
        """A step of a case, as the platform records it: a flow row, the case row's status and
        stage times, and its update_time."""
        t = self.tick()
        with self.engine.begin() as c:
            case_id = c.execute(text("SELECT case_id FROM t_case WHERE case_no = :no"), {"no": case_no}).scalar_one()
            self._flow_id = max(self._flow_id, c.execute(text("SELECT COALESCE(MAX(flow_id), 0) FROM t_case_flow")).scalar())
            self._flow_id += 1
            c.execute(text("INSERT INTO t_case_flow (flow_id, case_id, node_name, oper_time, dept_id, oper_user) "
                           "VALUES (:id, :case, :node, :at, :dept, :user)"),
                      dict(id=self._flow_id, case=case_id, node=node, at=at, dept=dept, user=user))
            flows = [tuple(r) + (None,) for r in c.execute(text(
                "SELECT node_name, oper_time, dept_id, oper_user FROM t_case_flow WHERE case_id = :id "
                "ORDER BY oper_time, flow_id"), {"id": case_id})]
            type_code = c.execute(text("SELECT type_code FROM t_case WHERE case_id = :id"), {"id": case_id}).scalar()
            st = _stages(Case(case_no, "", type_code, "", flows[0][1], flows=flows))
            c.execute(text("UPDATE t_case SET status = :status, accept_time = :accept, dispatch_time = :dispatch, "
                           "handle_dept_id = :dept, finish_time = :finish, close_time = :close, limit_time = :limit, "
                           "update_time = :t WHERE case_id = :id"),
                      dict(status=st["status"], accept=st["accept"], dispatch=st["dispatch"], dept=st["dept"],
                           finish=st["finish"], close=st["close"], limit=st["limit"], t=t, id=case_id))

    def update(self, table: str, key_column: str, key, **values) -> None:
        """Change columns of one row and touch its update_time (a rename, a deletion ...)."""
        t = self.tick()
        sets = ", ".join(f"{k} = :{k}" for k in values)
        with self.engine.begin() as c:
            n = c.execute(text(f"UPDATE {table} SET {sets}, update_time = :t WHERE {key_column} = :key"),
                          dict(values, t=t, key=key)).rowcount
        assert n == 1, (table, key)

    def count(self, table: str) -> int:
        with self.engine.connect() as c:
            return c.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()


def _stages(case: Case) -> dict:
    """What the platform keeps on the case row after its flows: status and stage times, the
    handling department, and the deadline (acceptance + the category's limit)."""
    st = dict(status="待受理", accept=None, dispatch=None, dept=None, finish=None, close=None, limit=None)
    for node, at, dept, *_ in case.flows:
        if node in ("受理", "不予受理"):
            st["accept"] = at
            if node == "受理" and case.type_code in LIMITS:
                st["limit"] = at + timedelta(hours=LIMITS[case.type_code])
        elif node == "派遣":
            st["dispatch"], st["dept"] = at, dept
        elif node == "处置完成":
            st["finish"] = at
        elif node == "核查不通过":
            st["finish"] = None
        elif node == "办结":
            st["close"] = at
        elif node == "退回":
            st["dispatch"] = st["dept"] = None
        if node in STATUS_AFTER:
            st["status"] = STATUS_AFTER[node]
    return st


def _statements(ddl: str) -> list[str]:
    lines = [ln for ln in ddl.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
