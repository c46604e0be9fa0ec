"""Mapping files are checked whole when loaded: every mistake is named with its line, its key and
the reason, in Chinese, and a mapping with mistakes is never stored. The worked example and the
tests' mappings are valid."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.connector import mapping, runs
from dashboard.store.models import SyncSource

from .connector_support import count
from .platform import MAPPINGS, STAGE_MAPPINGS

EXAMPLE = MAPPINGS["mariadb"]


def problems(text: str) -> set[tuple]:
    with pytest.raises(mapping.MappingError) as e:
        mapping.parse(text, "bad.toml")
    return {(p.line, p.key) for p in e.value.problems}, e.value


def line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[:text.index(needle, start)].count("\n") + 1


@pytest.mark.parametrize("path", [EXAMPLE, MAPPINGS["postgresql"], *STAGE_MAPPINGS.values()], ids=lambda p: p.name)
def test_the_shipped_mappings_are_valid(path):
    m, _ = mapping.load(path)
    names = [n for n, _ in m.entities()]
    assert names[:5] == ["areas", "departments", "categories", "staff", "events"]
    assert m.events.translate["status"]["办结"] == "closed"


def test_every_mistake_is_named_with_its_line_and_reason():
    good = EXAMPLE.read_text(encoding="utf-8")
    bad = (good.replace('"办结" = "closed"', '"办结" = "finished"')
               .replace('title = "case_title"', 'titel = "case_title"')
               .replace("WHERE c.update_time >= :since", "WHERE c.update_time >= :sinse")
               .replace('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghia"')
               .replace('"网格长" = "grid_leader"', '"网格长" = "leader"')
               .replace('[event_log.columns]\nevent = "case_no"', '[event_log.columns]\nevent = "case_no"\nrework = "x"'))
    found, err = problems(bad)
    assert (line_of(bad, '"办结" = "finished"'), "events.translate.status.办结") in found
    assert (line_of(bad, 'titel = "case_title"'), "events.columns.titel") in found
    assert (line_of(bad, "[events.columns]"), "events.columns") in found  # title, a required field, is missing
    assert (line_of(bad, "query = '''", "[events]"), "events.query") in found  # :sinse is no parameter, :since missing
    assert (line_of(bad, "timezone ="), "source.timezone") in found
    assert (line_of(bad, '"网格长" = "leader"'), "staff.translate.role.网格长") in found
    assert (line_of(bad, 'rework = "x"'), "event_log.columns.rework") in found
    text = str(err)
    assert text.startswith("映射文件 bad.toml 有 8 处错误")
    assert f"第{line_of(bad, 'titel')}行 events.columns.titel: 未知字段" in text
    assert "“finished”不是有效取值，应为 reported, accepted" in text
    assert "“Asia/Shanghia”不是时区名" in text
    assert "查询中的参数 :sinse 无法提供" in text and "查询必须用 :since" in text


def test_types_missing_keys_and_unknown_sections_are_named_together():
    text = '''[source]
batch = "many"

[staff]
query = "SELECT * FROM t_grid_member WHERE update_time >= :since"
watermark = "update_time"
initial = 2000-01-01T00:00:00
columns = { name = "member_name", grid_code = "grid_code", role = "duty" }

[people]
x = 1
'''
    found, err = problems(text)
    assert found == {(2, "source.batch"), (4, "staff.key"), (10, "people")}
    assert "应为整数" in str(err) and "缺少必需的键" in str(err) and "无法识别的节" in str(err)


def test_a_status_log_and_stage_times_are_two_ways_to_say_one_thing():
    good = EXAMPLE.read_text(encoding="utf-8")
    bad = good.replace('deadline = "limit_time"', 'deadline = "limit_time"\naccepted_at = "accept_time"')
    bad = bad.replace("WHERE c.case_no IN :keys", "WHERE c.update_time > :since")
    found, err = problems(bad)
    assert (line_of(bad, 'accepted_at = "accept_time"'), "events.columns.accepted_at") in found
    assert "已有 [event_log] 流转记录" in str(err) and "查询必须用 :keys" in str(err)


def test_a_toml_syntax_error_names_its_line_and_column():
    found, err = problems('[events]\nquery = "SELECT 1"\nkey = case_no\n')
    assert found == {(3, "")}
    assert "第3行" in str(err) and "不是有效的 TOML" in str(err)


def test_key_lines_step_over_multiline_strings_and_read_inline_tables():
    text = '''[areas]
query = \'\'\'
SELECT x
[not.a.table]
key = "inside the string"
\'\'\'
key = "code"
watermark = { column = "t", initial = 0 }
[areas.translate."level"]
"1" = "county"
'''
    lines = mapping.key_lines(text)
    assert lines[("areas", "query")] == 2 and lines[("areas", "key")] == 7
    assert ("not", "a", "table") not in lines
    assert lines[("areas", "watermark", "initial")] == 8
    assert lines[("areas", "translate", "level", "1")] == 10


def test_a_mapping_with_mistakes_is_never_stored(engine, tmp_path, monkeypatch):
    bad = tmp_path / "pingan.toml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace('"办结" = "closed"', '"办结" = "done"'), encoding="utf-8")
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(main, ["source", "add", "pingan", "--url", "mysql+pymysql://u:secret@127.0.0.1/x",
                                       "--mapping", str(bad)])
    assert result.exit_code == 1
    assert f"第{line_of(bad.read_text(encoding='utf-8'), '办结')}行 events.translate.status.办结" in result.output
    assert count(engine, SyncSource) == 0
    with pytest.raises(runs.SourceError, match="不是有效的数据库地址"):
        runs.add_source(engine, "x", "not a url", EXAMPLE.read_text(encoding="utf-8"), "x.toml")
