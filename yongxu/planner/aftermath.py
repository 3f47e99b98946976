"""A finished maintenance window's own traffic: the forecast (fitted on the history before the window)
against the shop's real paid orders, during the window and in the 24 h after it reopened.

  lost orders        forecast during − actual during (what the window cost)
  recaptured orders  actual in the 24 h after − forecast for them (buyers who came back)
  recapture rate     recaptured ÷ lost, when something was lost: the measured figure the advisor's default
                     60 % should become"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from yongxu.orders.models import PAID_STATUSES, Order
from yongxu.planner import forecast
from yongxu.planner.errors import BadAdviceRequest
from yongxu.planner.history import STEP, ceil_slot, floor_slot

AFTER = timedelta(hours=24)


@dataclass
class Aftermath:
    starts_at: datetime
    ends_at: datetime
    forecast_during: float
    actual_during: int
    forecast_after: float
    actual_after: int
    confidence: str

    @property
    def lost(self) -> float:
        return self.forecast_during - self.actual_during

    @property
    def recaptured(self) -> float:
        return self.actual_after - self.forecast_after

    @property
    def recapture_rate(self) -> float | None:
        return self.recaptured / self.lost if self.lost > 0 else None


def bounds(window) -> tuple[datetime, datetime]:
    if window.completed_at is None:
        raise BadAdviceRequest("the window is not over yet: its traffic is shown once it is completed")
    return window.started_at or window.planned_start, window.completed_at


def _forecast_orders(model, start: datetime, end: datetime) -> float:
    first, last = floor_slot(start), ceil_slot(end)
    count = int((last - first) / STEP)
    if count <= 0:
        return 0.0
    values = forecast.predict(model, first, count).values["orders"].copy()
    values[0] *= 1 - (start - first) / STEP  # partial first and last slots count for their share
    values[-1] *= 1 - (last - end) / STEP
    return float(values.sum())


def _actual_orders(start: datetime, end: datetime) -> int:
    return Order.objects.filter(status__in=PAID_STATUSES, created_at__gte=start, created_at__lt=end).count()


def measure(window, model) -> Aftermath:
    """``model`` is fitted with the history before the window's start."""
    start, end = bounds(window)
    return Aftermath(starts_at=start, ends_at=end, forecast_during=_forecast_orders(model, start, end),
                     actual_during=_actual_orders(start, end), forecast_after=_forecast_orders(model, end, end + AFTER),
                     actual_after=_actual_orders(end, end + AFTER), confidence=model.confidence)
