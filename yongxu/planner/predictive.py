"""Predictive maintenance: warn before trouble forces an unplanned window. Each warning says what is
measured, its trend, when the threshold will be crossed, and the best window before then.

  stock      a product's available keys (inventory.stock_counts) against its demand: the units of its paid
             orders over the last 28 days ÷ 28 per day, × (1 + uplift) while a promotion or special date runs
             (so the alert comes earlier before a promotion); crossing = the hour the keys run out
  payments   per gateway and day over the last 14 days: failed ÷ (failed + succeeded) attempts, and the mean
             latency succeeded_at − created_at of the succeeded ones; a least-squares line per series; crossing
             = when the line reaches the threshold (default 20 % failures, 60 s latency)
  disk       the database's size (pg_database_size, or SQLite's page_count × page_size) from the samples
             `yongxu traffic warnings` records, against the free disk of VAR_DIR; a least-squares line of
             bytes per day; crossing = when free disk would fall to the reserve (default 1 GiB)
A threshold already crossed is reported as crossing now."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

HOUR = timedelta(hours=1)


@dataclass
class Alert:
    kind: str  # stock | payments-failures | payments-latency | disk
    subject: str
    current: float
    threshold: float
    per_day: float  # the trend (stock: demand per day)
    unit: str
    crosses_at: datetime | None
    now: datetime
    detail: str = ""
    window: dict | None = None
    window_note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def days_left(self) -> float | None:
        return None if self.crosses_at is None else max((self.crosses_at - self.now).total_seconds() / 86400, 0.0)

    @property
    def message(self) -> str:
        if self.crosses_at is None:
            when = "not on the current trend"
        elif self.crosses_at <= self.now:
            when = "already crossed"
        else:
            when = f"in {self.days_left:.1f} days ({self.crosses_at:%Y-%m-%d %H:%M} UTC)"
        return f"{self.subject}: {self.detail}; threshold {self.threshold:g} {self.unit} {when}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "current": round(self.current, 4),
                "threshold": self.threshold, "per_day": round(self.per_day, 4), "unit": self.unit,
                "crosses_at": self.crosses_at.isoformat() if self.crosses_at else None,
                "days_left": None if self.days_left is None else round(self.days_left, 3), "message": self.message,
                "window": self.window, "window_note": self.window_note, **self.extra}


def stock_runout(stock: float, per_day: float, now: datetime, events=(), *, horizon: timedelta = timedelta(days=90)):
    """When ``stock`` keys run out at ``per_day`` demand, × (1 + uplift) during events; None past the horizon."""
    if per_day <= 0:
        return None
    remaining, moment, end = float(stock), now, now + horizon
    while moment < end:
        factor = 1.0
        for event in events:  # the share of this hour the event covers
            overlap = min(event.ends_at, moment + HOUR) - max(event.starts_at, moment)
            if overlap > timedelta(0):
                factor += event.uplift * (overlap / HOUR)
        need = per_day / 24 * factor
        if need >= remaining - 1e-9:
            return moment + HOUR * (remaining / need if need > 0 else 0)
        remaining -= need
        moment += HOUR
    return None


def linear_trend(x, y) -> tuple[float, float]:
    """Least-squares slope and the line's value at x = 0 (today); one point gives a flat line."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) == 0:
        return 0.0, 0.0
    if len(x) == 1 or np.ptp(x) == 0:
        return 0.0, float(y.mean())
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope), float(intercept)


def crossing(now: datetime, current: float, per_day: float, threshold: float) -> datetime | None:
    """When a rising value reaches ``threshold``: now if it already has, None if it is not rising."""
    if current >= threshold:
        return now
    if per_day <= 0:
        return None
    return now + timedelta(days=(threshold - current) / per_day)


def stock_alerts(products, counts: dict[int, int], sold: dict[int, int], now: datetime, events=(), *,
                 days: int = 28, horizon: timedelta = timedelta(days=90)) -> list[Alert]:
    alerts = []
    for product in products:
        per_day = sold.get(product.pk, 0) / days
        stock = counts.get(product.pk, 0)
        if per_day <= 0:
            continue
        runs_out = stock_runout(stock, per_day, now, events, horizon=horizon)
        promo = [e.name for e in events if e.ends_at > now and (runs_out is None or e.starts_at < runs_out)]
        detail = f"{stock} keys left, selling {per_day:.2f} a day (last {days} days)"
        if promo:
            detail += f", faster during {', '.join(promo)}"
        alerts.append(Alert(kind="stock", subject=product.name, current=stock, threshold=0, per_day=per_day, unit="keys",
                            crosses_at=runs_out, now=now, detail=detail, extra={"product_id": product.pk}))
    return alerts


def payment_alerts(rows, now: datetime, *, days: int = 14, failure_threshold: float = 0.2,
                   latency_threshold: float = 60.0) -> list[Alert]:
    """``rows``: (provider, created_at, status, succeeded_at) of the attempts of the last ``days`` days."""
    per: dict[str, dict] = {}
    today = now.date()
    for provider, created_at, status, succeeded_at in rows:
        day = (created_at.date() - today).days
        entry = per.setdefault(provider, {}).setdefault(day, {"failed": 0, "succeeded": 0, "latency": []})
        if status == "failed":
            entry["failed"] += 1
        elif status == "succeeded":
            entry["succeeded"] += 1
            if succeeded_at:
                entry["latency"].append((succeeded_at - created_at).total_seconds())
    alerts = []
    for provider, by_day in sorted(per.items()):
        finished = sorted((d, e) for d, e in by_day.items() if e["failed"] + e["succeeded"])
        x = [d for d, _ in finished]
        rate = [e["failed"] / (e["failed"] + e["succeeded"]) for _, e in finished]
        slope, today_value = linear_trend(x, rate)
        daily = [{"day": str(today + timedelta(days=d)), "failed": e["failed"], "succeeded": e["succeeded"],
                  "mean_latency_s": round(float(np.mean(e["latency"])), 3) if e["latency"] else None} for d, e in finished]
        alerts.append(Alert(kind="payments-failures", subject=f"gateway {provider}", current=today_value,
                            threshold=failure_threshold, per_day=slope, unit="failure share", now=now,
                            crosses_at=crossing(now, today_value, slope, failure_threshold) if finished else None,
                            detail=f"failure share {today_value:.1%} on the {len(finished)}-day trend, "
                                   f"{slope:+.2%} a day", extra={"days": daily}))
        timed = [(d, float(np.mean(e["latency"]))) for d, e in finished if e["latency"]]
        if timed:
            lat_slope, lat_today = linear_trend([d for d, _ in timed], [v for _, v in timed])
            alerts.append(Alert(kind="payments-latency", subject=f"gateway {provider}", current=lat_today,
                                threshold=latency_threshold, per_day=lat_slope, unit="s", now=now,
                                crosses_at=crossing(now, lat_today, lat_slope, latency_threshold),
                                detail=f"latency {lat_today:.1f} s on the trend, {lat_slope:+.2f} s a day"))
    return alerts


def disk_alert(samples, free_bytes: int, now: datetime, *, reserve: int = 1 << 30) -> Alert:
    """``samples``: (taken_at, db_bytes). Free disk falls by what the database grows."""
    x = [(taken - now).total_seconds() / 86400 for taken, _ in samples]
    slope, _ = linear_trend(x, [size for _, size in samples])
    current = samples[-1][1] if samples else 0
    limit = current + free_bytes - reserve
    return Alert(kind="disk", subject="database", current=float(current), threshold=float(limit), per_day=slope,
                 unit="bytes", now=now, crosses_at=crossing(now, current, slope, limit),
                 detail=f"{current / 2**20:.1f} MiB, growing {slope / 2**20:+.2f} MiB a day over {len(samples)} samples; "
                        f"{free_bytes / 2**30:.2f} GiB free, {reserve / 2**30:.2f} GiB kept in reserve",
                 extra={"free_bytes": free_bytes, "reserve_bytes": reserve})
