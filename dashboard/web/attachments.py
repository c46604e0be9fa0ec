"""How a download names itself: a Content-Disposition that carries a Chinese file name (RFC 6266 /
RFC 5987 ``filename*``) with an ASCII fallback for old clients."""

from __future__ import annotations

import re
from urllib.parse import quote

UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')  # what no file system or header may carry


def disposition(filename: str) -> str:
    name = UNSAFE.sub("_", filename)
    ascii_name = name.encode("ascii", "ignore").decode().strip("_-. ") or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
