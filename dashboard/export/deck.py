"""The weekly bulletin as a PowerPoint deck (python-pptx, 16:9).

Slides: title · KPIs with week-on-week change · warning-level map · events by category and trend ·
ranking of the units below the area · departments' 综合得分 · overdue and supervised cases ·
outstanding grid workers · definitions of the figures.

Every figure is taken from the ``Bulletin`` (itself from ``metrics``/``fieldwork``) and only
formatted here with ``fmt``. Every text run gets the CJK font for its Latin, East Asian and complex
script slots, so Chinese renders in PowerPoint, WPS and LibreOffice alike instead of falling back
to a font without the glyphs.
"""

from __future__ import annotations

import io
import math

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard import strings
from dashboard.present import colours, fmt
from dashboard.export import tables
from dashboard.export.bulletin import Bulletin

FONT = "Noto Sans CJK SC"
SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
PX_PER_IN = 80  # chart pixels per slide inch: the charts' 13 px text is ≈ 12 pt on the slide
MARGIN = 0.5

NAVY = RGBColor(0x1E, 0x3A, 0x8A)
INK = RGBColor(0x1F, 0x29, 0x37)
MUTED = RGBColor(0x4B, 0x55, 0x63)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
STRIPE = RGBColor(0xF1, 0xF5, 0xF9)
CARD = RGBColor(0xF8, 0xFA, 0xFC)
LINE = RGBColor(0xCB, 0xD5, 0xE1)
BAD = RGBColor(0xB9, 0x1C, 0x1C)
GOOD = RGBColor(0x04, 0x78, 0x57)
LEVEL_RGB = {1: RGBColor(0xE0, 0x24, 0x24), 2: RGBColor(0xFF, 0x8A, 0x00), 3: RGBColor(0xF5, 0xD9, 0x0A),
             4: RGBColor(0x2F, 0x7C, 0xF6), 0: RGBColor(0x2A, 0x9D, 0x6F)}

# Where each chart sits on its slide (inches); the picture is rendered at exactly this aspect.
CHART_BOXES = {
    "map": (6.4, 6.0),
    "category": (6.1, 5.9),
    "trend": (6.5, 2.9),
    "heatmap-day": (6.5, 2.9),
    "towns": (6.0, 5.9),
    "scores": (5.0, 5.9),
    "split": (12.3, 1.3),
}
DEPT_ROWS_PER_SLIDE = 18
UNIT_ROWS = 16
TOWN_ROWS = 9  # towns by warning level beside the map, above the alerts
CASE_ROWS = 12


def chart_size(name: str) -> tuple[int, int]:
    """Pixel size (CSS px) at which chart ``name`` is rendered for the deck (and the zip)."""
    w, h = CHART_BOXES[name]
    return round(w * PX_PER_IN), round(h * PX_PER_IN)


# --- text with the CJK font on every run ------------------------------------------------------


def set_font(run, size: float | None = None, bold: bool = False, color: RGBColor | None = None, font: str = FONT):
    f = run.font
    if size:
        f.size = Pt(size)
    f.bold = bold
    if color is not None:
        f.color.rgb = color
    f.name = font  # a:latin
    rpr = run._r.get_or_add_rPr()
    latin = rpr.find(qn("a:latin"))
    for tag in ("a:cs", "a:ea"):  # each inserted right after a:latin: schema order latin, ea, cs
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
        latin.addnext(rpr.makeelement(qn(tag), {"typeface": font}))


def _paragraphs(tf, lines, size, bold=False, color=INK, align=PP_ALIGN.LEFT, font=FONT, spacing=None):
    tf.word_wrap = True
    first = True
    for line in lines:
        p = tf.paragraphs[0] if first else tf.add_paragraph()
        first = False
        p.alignment = align
        if spacing:
            p.space_after = Pt(spacing)
        parts = line if isinstance(line, list) else [(line, {})]
        for text, style in parts:
            r = p.add_run()
            r.text = text
            set_font(r, style.get("size", size), style.get("bold", bold), style.get("color", color), font)


def text_box(slide, x, y, w, h, lines, size=14, bold=False, color=INK, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP,
             font=FONT, spacing=None):
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    tf = box.text_frame
    tf.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(tf, side, Inches(0.04))
    _paragraphs(tf, [lines] if isinstance(lines, str) else lines, size, bold, color, align, font, spacing)
    return box


def rect(slide, x, y, w, h, fill: RGBColor, line: RGBColor | None = None):
    shp = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(x), Inches(y), Inches(w), Inches(h))
    shp.fill.solid()
    shp.fill.fore_color.rgb = fill
    if line is None:
        shp.line.fill.background()
    else:
        shp.line.color.rgb = line
    shp.shadow.inherit = False
    return shp


def table(slide, x, y, w, t: tables.Table, *, size=11, row_h=0.3, font=FONT):
    """A plain table: navy header, striped rows, cells of ``t.fills`` in their warning colour and
    of ``t.shades`` in their value's level (colour by meaning)."""
    headers, rows, widths, align = t.headers, t.rows, t.widths, t.align
    fills = {k: RGBColor.from_string(colours.FILLS[lv].lstrip("#").upper()) for k, lv in t.shades.items()}
    fills.update({k: LEVEL_RGB[lv] for k, lv in t.fills.items()})
    n_rows = len(rows) + 1
    shape = slide.shapes.add_table(n_rows, len(headers), Inches(x), Inches(y), Inches(w), Inches(row_h * n_rows))
    tbl = shape.table
    total = sum(widths)
    for i, cw in enumerate(widths):
        tbl.columns[i].width = Emu(int(Inches(w) * cw / total))
    aligns = {"l": PP_ALIGN.LEFT, "c": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}
    rows_xml = tbl._tbl.tr_lst
    for r_i in range(n_rows):
        # The row's XML height: ``rows[i].height = …`` re-adds every row's height into the frame's
        # on each call (quadratic: 11 s for a county of 200 towns); the frame is that tall already.
        rows_xml[r_i].h = Inches(row_h)
        values = headers if r_i == 0 else rows[r_i - 1]
        for c_i, value in enumerate(values):
            cell = tbl.cell(r_i, c_i)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.02)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            if r_i == 0:
                cell.fill.fore_color.rgb = NAVY
            elif (r_i - 1, c_i) in fills:
                cell.fill.fore_color.rgb = fills[(r_i - 1, c_i)]
            else:
                cell.fill.fore_color.rgb = STRIPE if r_i % 2 == 0 else WHITE
            tf = cell.text_frame
            tf.word_wrap = True
            p = tf.paragraphs[0]
            p.alignment = PP_ALIGN.CENTER if r_i == 0 else aligns[align[c_i]]
            run = p.add_run()
            run.text = str(value)
            set_font(run, size, r_i == 0, WHITE if r_i == 0 else INK, font)
    return tbl


def picture(slide, png: bytes, x, y, w, h):
    return slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y), Inches(w), Inches(h))


# --- the deck ----------------------------------------------------------------------------------


class _Deck:
    def __init__(self, b: Bulletin, charts: dict[str, bytes], font: str):
        self.b = b
        self.charts = charts
        self.font = font
        self.prs = Presentation()
        self.prs.slide_width = Emu(12192000)  # exactly 16:9 (PowerPoint's "宽屏" 33.867 × 19.05 cm)
        self.prs.slide_height = Emu(6858000)
        self.blank = self.prs.slide_layouts[6]
        self.n = 0
        self.pictures = []  # (slide, chart name, x, y, the shape the picture follows)

    def text(self, slide, *a, **kw):
        kw.setdefault("font", self.font)
        return text_box(slide, *a, **kw)

    def table(self, slide, *a, **kw):
        kw.setdefault("font", self.font)
        return table(slide, *a, **kw)

    def slide(self, heading: str | None):
        s = self.prs.slides.add_slide(self.blank)
        self.n += 1
        if heading is not None:
            rect(s, 0, 0, SLIDE_W, 0.85, NAVY)
            self.text(s, MARGIN, 0.1, 9.5, 0.65, heading, size=26, bold=True, color=WHITE, anchor=MSO_ANCHOR.MIDDLE)
            self.text(s, SLIDE_W - 3.6, 0.1, 3.1, 0.65, f"{self.b.area.name} · {self.b.week.label}", size=13,
                      color=WHITE, align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.MIDDLE)
            self.text(s, MARGIN, SLIDE_H - 0.42, SLIDE_W - 2 * MARGIN, 0.3,
                      strings.BULLETIN_FOOTER.format(title=self.b.title, period=self.b.period, n=self.n), size=9, color=MUTED, align=PP_ALIGN.RIGHT)
        return s

    def chart(self, slide, name, x, y):
        """Keep the place of chart ``name``: the pictures go in once every slide is built, so the
        slides are written while the charts still render (``charts`` may wait for each)."""
        if name in self.charts:
            self.pictures.append((slide, name, x, y, slide.shapes._spTree[-1]))

    def place_pictures(self):
        for slide, name, x, y, after in self.pictures:
            w, h = CHART_BOXES[name]
            pic = picture(slide, self.charts[name], x, y, w, h)
            after.addnext(pic._element)  # where it was asked for: the slide's drawing order stays

    # -- slides ------------------------------------------------------------------------------
    def title_slide(self):
        b = self.b
        s = self.slide(None)
        rect(s, 0, 0, SLIDE_W, SLIDE_H, NAVY)
        rect(s, 0, 4.55, SLIDE_W, 0.06, WHITE)
        self.text(s, 0.8, 1.7, SLIDE_W - 1.6, 1.2, b.title, size=44, bold=True, color=WHITE, align=PP_ALIGN.CENTER,
                  anchor=MSO_ANCHOR.MIDDLE)
        self.text(s, 0.8, 3.0, SLIDE_W - 1.6, 0.7, b.period, size=24, color=WHITE, align=PP_ALIGN.CENTER)
        lines = [strings.BULLETIN_ISSUER.format(county=b.county.name),
                 strings.BULLETIN_GENERATED.format(time=fmt.when(b.generated_at, "%Y-%m-%d %H:%M"))]
        if b.partial:
            lines.append(strings.BULLETIN_PARTIAL.format(as_of=b.as_of_text))
        self.text(s, 0.8, 4.9, SLIDE_W - 1.6, 1.6, lines, size=16, color=WHITE, align=PP_ALIGN.CENTER, spacing=6)

    def kpi_slide(self):
        b = self.b
        s = self.slide(strings.BULLETIN_SECTIONS["kpi"])
        self.text(s, MARGIN, 1.0, SLIDE_W - 2 * MARGIN, 0.6, tables.summary_sentence(b), size=16, color=INK)
        cols = 5
        cw, ch_ = (SLIDE_W - 2 * MARGIN - (cols - 1) * 0.2) / cols, 1.55
        for i, card in enumerate(tables.kpi_cards(b)):
            x = MARGIN + (i % cols) * (cw + 0.2)
            y = 1.7 + (i // cols) * (ch_ + 0.2)
            rect(s, x, y, cw, ch_, CARD, LINE)
            self.text(s, x + 0.1, y + 0.08, cw - 0.2, 0.35, card["label"], size=13, color=MUTED)
            unit = (" " + card["unit"]) if card["unit"] else ""
            self.text(s, x + 0.1, y + 0.42, cw - 0.2, 0.6,
                      [[(card["value"], {"size": 30, "bold": True}), (unit, {"size": 13, "color": MUTED})]], size=30)
            color = {1: GOOD, -1: BAD}.get(card["direction"], MUTED)
            self.text(s, x + 0.1, y + 1.08, cw - 0.2, 0.35, card["change"], size=11, color=color)
        self.chart(s, "split", MARGIN, 5.3)
        self.text(s, MARGIN, 6.78, SLIDE_W - 2 * MARGIN, 0.3, strings.CLAUSE_SEP.join(b.notes), size=10, color=MUTED)

    def map_slide(self):
        b = self.b
        s = self.slide(strings.BULLETIN_SECTIONS["map"])
        self.chart(s, "map", MARGIN, 0.95)
        x = 7.1
        self.table(s, x, 1.05, 2.75, tables.level_counts(b), size=12, row_h=0.34)
        towns = tables.town_levels(b, TOWN_ROWS)
        if towns:
            self.table(s, x + 2.95, 1.05, SLIDE_W - MARGIN - x - 2.95, towns, size=11, row_h=0.32)
            if towns.more:
                self.text(s, x + 2.95, 1.05 + 0.32 * (TOWN_ROWS + 1) + 0.02, SLIDE_W - MARGIN - x - 2.95, 0.3,
                          strings.BULLETIN_UNITS_MORE.format(n=towns.more, units=strings.BULLETIN_UNITS["county"]),
                          size=10, color=MUTED)
        lines = [[(strings.BULLETIN_ALERT.format(level=strings.WARNING_LEVEL_SHORT[lv]) + strings.WIDE_SPACE,
                   {"bold": True, "color": LEVEL_RGB[lv]}),
                  (strings.LABELLED.format(label=name, value=reasons), {})] for lv, name, reasons in tables.alerts(b)]
        if lines:
            self.text(s, x, 4.6, SLIDE_W - MARGIN - x, 1.9, lines, size=11, spacing=3)
        self.text(s, x, 6.6, SLIDE_W - MARGIN - x, 0.35, tables.level_note(b), size=10, color=MUTED)

    def events_slide(self):
        s = self.slide(strings.BULLETIN_SECTIONS["events"])
        self.chart(s, "category", MARGIN, 0.95)
        self.chart(s, "trend", 6.8, 0.95)
        self.chart(s, "heatmap-day", 6.8, 4.0)

    def units_slide(self):
        b = self.b
        s = self.slide(strings.BULLETIN_SECTIONS["units"].format(units=strings.BULLETIN_UNITS[b.area.level]))
        self.chart(s, "towns", MARGIN, 0.95)
        t = tables.units(b, UNIT_ROWS)
        self.table(s, 6.7, 1.05, 6.1, t, size=10.5, row_h=0.31)
        if t.more:
            self.text(s, 6.7, 6.7, 6.1, 0.3, strings.BULLETIN_CASES_MORE.format(n=t.more), size=10, color=MUTED)

    def department_slides(self):
        t = tables.departments(self.b)
        pages = max(1, math.ceil(len(t.rows) / DEPT_ROWS_PER_SLIDE))
        for page in range(pages):
            s = self.slide(strings.BULLETIN_SECTIONS["departments"] + (strings.BULLETIN_CONTINUED if page else ""))
            first = page * DEPT_ROWS_PER_SLIDE
            chunk = tables.Table(t.headers, t.rows[first:first + DEPT_ROWS_PER_SLIDE], t.align, t.widths,
                                 shades={(r - first, c): v for (r, c), v in t.shades.items()
                                         if first <= r < first + DEPT_ROWS_PER_SLIDE})
            if page == 0:
                self.chart(s, "scores", MARGIN, 0.95)
                x, w = 5.6, SLIDE_W - MARGIN - 5.6
            else:
                x, w = MARGIN, SLIDE_W - 2 * MARGIN
            if chunk.rows:
                self.table(s, x, 1.0, w, chunk, size=10, row_h=0.29)
            else:
                self.text(s, x, 1.2, w, 0.5, strings.NO_DATA, size=16, color=MUTED)

    def cases_slide(self):
        b = self.b
        s = self.slide(strings.BULLETIN_SECTIONS["cases"])
        self.text(s, MARGIN, 0.95, SLIDE_W - 2 * MARGIN, 0.45, tables.cases_note(b), size=15)
        if len(b.cases):
            t = tables.cases(b, CASE_ROWS)
            self.table(s, MARGIN, 1.5, SLIDE_W - 2 * MARGIN, t, size=10.5, row_h=0.34)
            if t.more:
                self.text(s, MARGIN, 6.6, 6, 0.3, strings.BULLETIN_CASES_MORE.format(n=t.more), size=10, color=MUTED)

    def workers_slide(self):
        b = self.b
        s = self.slide(strings.BULLETIN_SECTIONS["workers"])
        w = (SLIDE_W - 2 * MARGIN - 2 * 0.25) / 3
        for i, (col, label) in enumerate(strings.BULLETIN_WORKER_BOARDS.items()):
            x = MARGIN + i * (w + 0.25)
            self.text(s, x, 1.0, w, 0.4, label, size=16, bold=True, color=NAVY)
            t = tables.workers(b, col)
            if t.rows:
                self.table(s, x, 1.45, w, t, size=10.5, row_h=0.6)  # two lines for long grid names
            else:
                self.text(s, x, 1.5, w, 0.4, strings.NO_DATA, size=13, color=MUTED)
        self.text(s, MARGIN, 5.4, SLIDE_W - 2 * MARGIN, 0.9, tables.workers_note(b), size=12, color=MUTED, spacing=4)

    def notes_slide(self):
        s = self.slide(strings.BULLETIN_SECTIONS["notes"])
        self.table(s, MARGIN, 0.98, SLIDE_W - 2 * MARGIN, tables.notes(), size=10, row_h=0.285)

    def build(self) -> Presentation:
        self.title_slide()
        self.kpi_slide()
        self.map_slide()
        self.events_slide()
        self.units_slide()
        self.department_slides()
        self.cases_slide()
        self.workers_slide()
        self.notes_slide()
        self.place_pictures()
        core = self.prs.core_properties
        core.title = strings.WITH_NOTE.format(text=self.b.title, note=self.b.week.label)
        core.author = strings.BULLETIN_ISSUER.format(county=self.b.county.name)
        core.language = "zh-CN"
        return self.prs


def build_deck(b: Bulletin, charts: dict[str, bytes], font: str = FONT) -> bytes:
    """The deck as .pptx bytes; ``charts`` are PNGs of ``CHART_BOXES``' charts by name (missing ones
    are left out, e.g. when previewing without a renderer), read after the slides are built."""
    prs = _Deck(b, charts, font).build()
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
