"""Long exports run off the request thread with progress, over HTTP and from the command line."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.cli import main
from dashboard.export import images, jobs

from .conftest import AS_OF


def poll(api, url, timeout=120):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        j = api.get(url).get_json()
        if j["state"] in ("done", "failed"):
            return j
        time.sleep(0.2)
    raise AssertionError("the bulletin job never finished")


def test_bulletin_job_over_http(api):
    r = api.post("/export/bulletin", json={"week": "2026-W46", "area": "340223101"})
    assert r.status_code == 202
    job = r.get_json()
    assert job["state"] in ("queued", "running", "done") and job["week"] == "2026-W46"
    seen = []
    t0 = time.monotonic()
    while True:
        j = api.get(f"/export/bulletin/{job['id']}").get_json()
        seen.append((j["state"], j["progress"]))
        if j["state"] in ("done", "failed") or time.monotonic() - t0 > 120:
            break
        time.sleep(0.1)
    assert j["state"] == "done", j
    progress = [p for _s, p in seen]
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert set(j["files"]) == {"pptx", "xlsx", "zip"}

    r = api.get(j["files"]["pptx"])
    assert r.status_code == 200 and r.mimetype.endswith("presentationml.presentation")
    assert "filename*=UTF-8''" in r.headers["Content-Disposition"]
    assert len(Presentation(io.BytesIO(r.data)).slides) >= 9
    r = api.get(j["files"]["xlsx"])
    assert r.status_code == 200 and "总体情况" in load_workbook(io.BytesIO(r.data)).sheetnames
    r = api.get(j["files"]["zip"])
    assert r.status_code == 200 and len(zipfile.ZipFile(io.BytesIO(r.data)).namelist()) == 7

    # the same bulletin of the same data is not built twice
    again = api.post("/export/bulletin", json={"week": "2026-W46", "area": "340223101"}).get_json()
    assert again["id"] == job["id"] and again["state"] == "done"


@pytest.mark.parametrize("body,status,field", [
    ({"week": "2026-47"}, 400, "week"),
    ({"week": "2026-W50"}, 400, "week"),  # not begun at the frozen now
    ({"week": "2026-W46", "area": "999"}, 404, "area"),
])
def test_bulletin_job_errors(api, body, status, field):
    r = api.post("/export/bulletin", json=body)
    assert r.status_code == status and field in r.get_json()["fields"]


def test_unknown_jobs_and_files(api):
    assert api.get("/export/bulletin/0123abcd").status_code == 404
    assert api.get("/export/bulletin/..etc..passwd/pptx").status_code == 404  # ids are hex only, never a path
    assert api.get("/export/bulletin/0123abcd/pptx").status_code == 404


def test_job_runs_in_the_background_and_reports_failure(demo_engine, tmp_path, monkeypatch):
    runner = jobs.JobRunner(tmp_path)
    gate = __import__("threading").Event()
    from dashboard.export import bundle

    def slow_build(*a, **kw):
        gate.wait(30)
        raise RuntimeError("渲染进程异常")

    monkeypatch.setattr(bundle, "build", slow_build)
    job_id = runner.submit_bulletin(demo_engine, "2026-W45", None, AS_OF)
    # submit returned while the build is still waiting: the request thread is free
    assert runner.status(job_id)["state"] in ("queued", "running")
    gate.set()
    st = runner.wait(job_id, 30)
    assert st["state"] == "failed" and "渲染进程异常" in st["error"]
    assert runner.file(job_id, "pptx") is None


def run(db_url, *args):
    return CliRunner().invoke(main, list(args), env={"DATABASE_URL": db_url, "GRIDSCREEN_FROZEN_NOW": AS_OF.isoformat()},
                              catch_exceptions=False)


def test_cli_export_chart(demo_url, tmp_path):
    out = tmp_path / "trend.png"
    r = run(demo_url, "export", "chart", "trend", "--range", "30d", "--area", "340223100", "--width", "900",
            "--height", "500", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert Image.open(out).size == (900 * images.PRINT_SCALE, 500 * images.PRINT_SCALE)
    r = run(demo_url, "export", "chart", "scores", "--format", "pdf", "--start", "2026-11-01", "--end", "2026-11-15",
            "-o", str(tmp_path / "s.pdf"))
    assert r.exit_code == 0 and (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    r = run(demo_url, "export", "chart", "map", "-o", str(tmp_path / "m.svg"))
    assert r.exit_code == 0 and b"<svg" in (tmp_path / "m.svg").read_bytes()[:200]
    r = run(demo_url, "export", "chart", "nope", "-o", str(tmp_path / "x.png"))
    assert r.exit_code != 0 and "可选" in r.output
    r = run(demo_url, "export", "list")
    assert "heatmap-hour" in r.output and "事件类别分布" in r.output


def test_cli_bulletin(demo_url, demo_engine, tmp_path):
    r = run(demo_url, "bulletin", "--week", "2026-W46", "--area", "340223104", "-o", str(tmp_path))
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["周通报-何湾镇-2026-W46-图表.zip", "周通报-何湾镇-2026-W46.pptx", "周通报-何湾镇-2026-W46.xlsx"]
    ws = load_workbook(tmp_path / "周通报-何湾镇-2026-W46.xlsx")["总体情况"]
    reported = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "上报")
    w = windows.Window.of(__import__("datetime").datetime(2026, 11, 9), __import__("datetime").datetime(2026, 11, 16))
    assert reported[1] == metrics.summary(demo_engine, w, metrics.Scope(area="340223104"))["reported"]
    r = run(demo_url, "bulletin", "--week", "2026-W99", "-o", str(tmp_path))
    assert r.exit_code != 0 and "ISO 周" in r.output
