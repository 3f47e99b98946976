"""A server-rendered SVG heatmap: forecast GMV per hour of the week (rows: weekdays; columns: hours) in a
chosen zone, with the proposed windows drawn on it. Readable without colour: every cell carries its
share of the week's GMV as a number, and proposals are dashed outlines labelled #1, #2…"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from yongxu.planner.forecast import Model, predict

CELL_W, CELL_H, LEFT, TOP = 34, 24, 40, 36
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def hour_of_week(model: Model, zone: str) -> np.ndarray:
    """(7, 24) forecast GMV for the coming week, by weekday and hour in ``zone``."""
    ahead = predict(model, model.as_of, 672)
    local = ahead.times.tz_convert(zone)
    grid = np.zeros((7, 24))
    np.add.at(grid, (local.day_of_week.to_numpy(), local.hour.to_numpy()), ahead.values["gmv"])
    return grid


def _cells(start: datetime, end: datetime, tz: ZoneInfo):
    """(weekday, first hour, last hour) pieces of a window, split at local midnight."""
    moment = start.astimezone(tz)
    finish = end.astimezone(tz)
    while moment < finish:
        next_day = (moment + timedelta(days=1)).replace(hour=0, minute=0)
        piece_end = min(finish, next_day)
        last = piece_end - timedelta(minutes=1)
        yield moment.weekday(), moment.hour + moment.minute / 60, last.hour + (last.minute + 1) / 60
        moment = piece_end


def render_svg(model: Model, *, zone: str, proposals=(), title: str = "") -> SafeString:
    grid = hour_of_week(model, zone)
    total = grid.sum()
    peak = grid.max() or 1.0
    tz = ZoneInfo(zone)
    width, height = LEFT + 24 * CELL_W + 10, TOP + 7 * CELL_H + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title or "Traffic heatmap")}" font-family="sans-serif" font-size="10">',
        f"<title>{escape(title or 'Traffic heatmap')}</title>",
        f'<text x="{LEFT}" y="14" font-size="12">{escape(title)} — numbers: % of the week\'s forecast GMV per hour</text>',
    ]
    for hour in range(24):
        out.append(f'<text x="{LEFT + hour * CELL_W + CELL_W / 2}" y="{TOP - 6}" text-anchor="middle">{hour:02d}</text>')
    for day in range(7):
        y = TOP + day * CELL_H
        out.append(f'<text x="{LEFT - 6}" y="{y + CELL_H / 2 + 3}" text-anchor="end">{DAYS[day]}</text>')
        for hour in range(24):
            value = grid[day, hour]
            shade = int(255 - 200 * value / peak)
            ink = "#000" if shade > 120 else "#fff"
            share = 100 * value / total if total else 0.0
            x = LEFT + hour * CELL_W
            out.append(
                f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="rgb({shade},{shade},{shade})" '
                f'stroke="#ccc"><title>{DAYS[day]} {hour:02d}:00 {escape(zone)}: {value:.2f} GMV ({share:.1f} %)</title></rect>'
            )
            out.append(
                f'<text x="{x + CELL_W / 2}" y="{y + CELL_H / 2 + 3}" text-anchor="middle" fill="{ink}">{share:.1f}</text>'
            )
    for rank, proposal in enumerate(proposals, 1):
        for day, begin, end in _cells(proposal.starts_at, proposal.ends_at, tz):
            x, y = LEFT + begin * CELL_W, TOP + day * CELL_H
            out.append(
                f'<rect x="{x:.1f}" y="{y + 1}" width="{(end - begin) * CELL_W:.1f}" height="{CELL_H - 2}" fill="none" '
                f'stroke="#000" stroke-width="3" stroke-dasharray="5 3"><title>proposal #{rank}</title></rect>'
            )
        first_day, first_begin, _ = next(_cells(proposal.starts_at, proposal.ends_at, tz))
        out.append(
            f'<text x="{LEFT + first_begin * CELL_W + 2:.1f}" y="{TOP + first_day * CELL_H - 2}" font-weight="bold">'
            f"#{rank}</text>"
        )
    out.append(
        f'<text x="{LEFT}" y="{height - 8}">Dashed outline = proposed window (#1 is the cheapest). Zone: {escape(zone)}</text>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text put into the SVG above went through escape()
