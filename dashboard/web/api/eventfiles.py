"""Files of the explorer's current filter: ``GET /api/v1/explorer/events.csv`` (streamed, no row
limit) and ``/api/v1/explorer/events.xlsx`` (bounded by ``eventfiles.XLSX_MAX_ROWS``). The query
parameters are the explorer page's own (``caselist.from_query``), so a file holds exactly the rows
the table shows; a bad one is a 400 naming it."""

from __future__ import annotations

import tempfile
from dataclasses import replace

from flask import Response, request, stream_with_context

from dashboard import strings
from dashboard.export import eventfiles
from dashboard.figures import caselist
from dashboard.web import access
from dashboard.web.api import ApiError, bad_query, blueprint
from dashboard.web.attachments import disposition
from dashboard.web.runtime import current

XLSX_PIECE = 256 * 1024


def _filters(rt):
    try:
        f = caselist.from_query(request.args.to_dict(flat=True), rt.now(), strict=True)
    except caselist.FilterError as exc:
        raise bad_query(exc.fields, strings.API_BAD_FILTER) from None
    # a town's account exports its town's rows only; the export is in the audit log
    f = replace(f, area=access.area(f.area))
    access.audit(rt.engine, "export", target=request.full_path)
    return f


def _disposition(name: str) -> dict:
    return {"Content-Disposition": disposition(name), "Cache-Control": "no-store"}


@blueprint.get("/explorer/events.csv")
def events_csv():
    rt = current()
    f = _filters(rt)
    now = rt.now()
    return Response(stream_with_context(eventfiles.csv_chunks(rt.engine, f, now)), mimetype="text/csv",
                    headers=_disposition(eventfiles.file_name(rt.engine, f, now, "csv")))


@blueprint.get("/explorer/events.xlsx")
def events_xlsx():
    rt = current()
    f = _filters(rt)
    now = rt.now()
    # The workbook is written to a temporary file (openpyxl's write-only mode streams rows there),
    # then sent in pieces: memory stays flat whatever the size.
    tmp = tempfile.TemporaryFile()
    try:
        eventfiles.write_xlsx(rt.engine, f, now, tmp)
    except eventfiles.TooManyRows as exc:
        tmp.close()
        raise ApiError(413, str(exc), {"rows": f"{exc.n} > {exc.limit}"}) from None
    size = tmp.tell()
    tmp.seek(0)

    def chunks():
        try:
            while True:
                b = tmp.read(XLSX_PIECE)
                if not b:
                    break
                yield b
        finally:
            tmp.close()

    headers = _disposition(eventfiles.file_name(rt.engine, f, now, "xlsx"))
    headers["Content-Length"] = str(size)
    return Response(chunks(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers=headers)
