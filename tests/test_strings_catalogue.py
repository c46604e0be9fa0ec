"""Every word a person reads lives in the string catalogue, ``dashboard/strings.py``.

The UI speaks Simplified Chinese, and an English catalogue must be able to follow by mirroring the
catalogue's names (DESIGN.md). So no Chinese may be written anywhere else in the code: not in
messages, labels, chart hovertemplates, API documentation, nor in the separators that join words
(``、`` ``；`` ``（…）`` differ between languages too). The scan reads the code with ``ast`` (string
constants and the literal parts of f-strings; docstrings and comments are the code's own prose)
and the browser scripts with a JavaScript lexer (comments are prose; strings must come from the
server, e.g. through a component's ``hideout`` or a config store).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from pygments.lexers import JavascriptLexer
from pygments.token import Comment

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = "dashboard/strings.py"

# Chinese characters and the punctuation written with them: CJK radicals, symbols and punctuation
# (、。「」　…), the unified ideographs (with extension A and the compatibility block), the vertical
# and small forms, and the full-width forms (（）：；，！).
CJK = re.compile("[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f"
                 "\ufe30-\ufe6f\uff00-\uffef]")

# Modules whose Chinese is data, not interface: the demo county is a made-up place whose towns,
# communities, streets, people, departments, event categories and case texts are the records a
# real county would import from its own files. They are stored in the database like imported
# data and are not translated with the interface (an English catalogue shows the same county).
DATA = {
    "dashboard/demo/catalogue.py": "the demo county's departments, event categories and case titles",
    "dashboard/demo/geography.py": "the demo county's towns, communities, grids and place names",
    "dashboard/demo/cases.py": "the demo cases' actors, notes and descriptions, as a platform would store them",
    "dashboard/demo/warning_demo.py": "the demo's manual warnings: who issued them and why",
}

# Characters, not words: the full-width operators and the blanks a spreadsheet program may read
# as the start of a formula (the CSV-injection rule).
NOT_WORDS = {
    "dashboard/export/sheets.py": {"=+-@\t\r\n\uff1d\uff0b\uff0d\uff20", " \u00a0\u3000\u200b\ufeff"},
}

def python_files() -> list[Path]:
    files = [ROOT / "app.py"]
    for package in ("dashboard", "callbacks", "layouts"):
        files += (ROOT / package).rglob("*.py")
    return sorted(files)


def script_files() -> list[Path]:
    return sorted((ROOT / "assets").glob("*.js"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def chinese_in_python(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string constant with Chinese in it, docstrings excepted.

    A string standing alone as a statement is a docstring (of a module, class or function, or of
    the attribute above it): prose about the code, never shown to anyone."""
    tree = ast.parse(source)
    prose = {id(node.value) for node in ast.walk(tree)
             if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
             and isinstance(node.value.value, str)}
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in prose and CJK.search(node.value))


def chinese_in_script(source: str) -> list[tuple[int, str]]:
    """(line, token) of each piece of JavaScript outside comments with Chinese in it."""
    found, line = [], 1
    for kind, text in JavascriptLexer().get_tokens(source):
        if kind not in Comment and CJK.search(text):
            found.append((line, text))
        line += text.count("\n")
    return found


def offenders() -> dict[str, list[tuple[int, str]]]:
    found = {}
    for path in python_files():
        name = relative(path)
        if name != CATALOGUE:
            found[name] = [(line, text) for line, text in chinese_in_python(path.read_text(encoding="utf-8"))
                           if text not in NOT_WORDS.get(name, ())]
    for path in script_files():
        found[relative(path)] = chinese_in_script(path.read_text(encoding="utf-8"))
    return {name: hits for name, hits in found.items() if hits}


def listing(found: dict[str, list[tuple[int, str]]]) -> str:
    return "\n".join(f"{name}:{line}: {text!r}" for name, hits in sorted(found.items()) for line, text in hits)


def test_chinese_lives_only_in_the_catalogue():
    found = {name: hits for name, hits in offenders().items() if name not in DATA}
    if found:
        pytest.fail("Chinese outside dashboard/strings.py: move each text into the catalogue (a section by "
                    "screen or topic, str.format placeholders for values)\n" + listing(found), pytrace=False)


def test_allow_lists_name_real_files_that_still_need_them():
    missing = sorted(name for name in (*DATA, *NOT_WORDS) if not (ROOT / name).is_file())
    assert not missing, f"allow-listed files that do not exist: {missing}"
    for name, texts in NOT_WORDS.items():
        present = {text for _, text in chinese_in_python((ROOT / name).read_text(encoding="utf-8"))}
        assert texts <= present, f"{name} no longer holds {texts - present}: remove them from NOT_WORDS"


@pytest.mark.parametrize("source, lines", [
    ('x = "事件"\n', [1]),
    ('def f(n):\n    return f"共{n}件"\n', [2]),
    ('x = f"{n:>{w}}个"\n', [1]),
    ('"""模块说明"""\ndef f():\n    """函数说明"""\n    return 1  # 注释\n', []),
    ('class A:\n    b = 1\n    """属性说明"""\n', []),
    ('SEP = "、"\n', [1]),
    ('x = "plain ASCII — and “quotes”"\n', []),
])
def test_the_python_scan_sees_literals_and_passes_prose(source, lines):
    assert sorted({line for line, _ in chinese_in_python(source)}) == lines


@pytest.mark.parametrize("source, lines", [
    ('// 注释\nconst a = "x";\n/* 说明\n 多行 */\n', []),
    ('const a = 1;\nconst b = "、";\n', [2]),
    ("const re = /\\d+/g; const s = '事件';\n", [1]),
    ("const t = `共${n}件`;\n", [1]),
])
def test_the_script_scan_sees_strings_and_passes_comments(source, lines):
    assert sorted({line for line, _ in chinese_in_script(source)}) == lines
