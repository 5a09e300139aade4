"""Self-contained offline HTML reports and safe file writing.

A report is a list of :class:`Section` values (a title, paragraphs, tables and plotly
figures) rendered into one HTML file with plotly.js embedded once, so it opens offline with
no CDN. Files are written with :func:`droneworks.core.outputs.write_atomic` (temporary file +
rename, the overwrite policy of the running command).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droneworks.core.extras import require
from droneworks.core.outputs import check_out_file, write_atomic

__all__ = ["Section", "Table", "check_report_target", "render_html", "write_atomic", "write_report"]


@dataclass(frozen=True)
class Table:
    """A small table: column names and rows of already-formatted cells."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    caption: str = ""

    def to_html(self) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
            for row in self.rows
        )
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def to_csv(self) -> str:
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buffer.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


@dataclass(frozen=True)
class Section:
    """One part of a report: a heading, text, tables, plotly figures and images."""

    title: str
    paragraphs: Sequence[str] = ()
    tables: Sequence[Table] = ()
    figures: Sequence[Any] = ()  # plotly.graph_objects.Figure
    images: Sequence[str] = field(default_factory=tuple)  # paths relative to the report
    links: Sequence[tuple[str, str]] = ()  # (text, href relative to the report)


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{border-bottom:2px solid #444}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}
th{background:#f0f0f0}td{text-align:right}td:first-child{text-align:left}
caption{font-weight:bold;text-align:left;padding:4px 0}img{max-width:100%}
"""


def _image_src(src: str, base: Path | None) -> str:
    """An image as a data URI (read relative to ``base``, the report's folder), so the
    HTML file alone is the whole report; the path itself when the file cannot be read."""
    import base64
    import mimetypes

    path = Path(src) if base is None else base / src
    try:
        data = path.read_bytes()
    except OSError:
        return src
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def render_html(title: str, sections: Sequence[Section], base: Path | None = None) -> str:
    """The whole report as one HTML string with plotly.js inlined once and images embedded
    (``base``: the folder image paths are relative to)."""
    parts = [f"<h1>{html.escape(title)}</h1>"]
    has_figures = any(section.figures for section in sections)
    for section in sections:
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        parts.extend(f"<p>{html.escape(text)}</p>" for text in section.paragraphs)
        parts.extend(table.to_html() for table in section.tables)
        for figure in section.figures:
            parts.append(figure.to_html(full_html=False, include_plotlyjs=False))
        parts.extend(
            f'<img src="{html.escape(_image_src(src, base))}" alt="{html.escape(section.title)}">'
            for src in section.images
        )
        parts.extend(
            f'<p><a href="{html.escape(href)}">{html.escape(text)}</a></p>'
            for text, href in section.links
        )
    script = ""
    if has_figures:
        offline = require("plotly.offline", "report", "an HTML report with figures")
        script = f"<script>{offline.get_plotlyjs()}</script>"
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>{script}</head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def check_report_target(path: Path, force: bool = False) -> Path:
    """``--report PATH`` can be written, checked before any work: plotly (the ``[report]``
    extra) is installed, and ``path`` is a new file (or ``force``) in a writable folder."""
    require("plotly", "report", "--report (an HTML report with plotly figures)")
    return check_out_file(path, "--report", force)


def write_report(path: str | Path, title: str, sections: Sequence[Section]) -> Path:
    """Render and atomically write an offline HTML report (images embedded)."""
    return write_atomic(path, render_html(title, sections, Path(path).parent))
