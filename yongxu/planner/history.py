"""Traffic history as dense 15-minute arrays (UTC), summed over every source, and the shop's own
orders aggregated into buckets."""

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Trunc

from yongxu.orders.models import PAID_STATUSES, Order
from yongxu.planner.models import SHOP, TrafficBucket, TrafficImport

STEP = timedelta(minutes=15)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def floor_slot(moment: datetime) -> datetime:
    seconds = int((moment - _EPOCH).total_seconds())
    return _EPOCH + timedelta(seconds=seconds - seconds % 900)


def ceil_slot(moment: datetime) -> datetime:
    floored = floor_slot(moment)
    return floored if floored == moment else floored + STEP


@dataclass(frozen=True)
class History:
    """Slot i covers [start + i·15 min, start + (i+1)·15 min). Country columns hold that country's share."""

    start: datetime
    orders: np.ndarray
    gmv: np.ndarray
    buyers: np.ndarray
    countries: tuple[str, ...] = ()
    country_buyers: np.ndarray | None = None  # (slots, countries)
    country_gmv: np.ndarray | None = None

    @property
    def slots(self) -> int:
        return len(self.gmv)

    @property
    def end(self) -> datetime:
        return self.start + self.slots * STEP

    def index_of(self, moment: datetime) -> int:
        return int((moment - self.start) / STEP)

    def before(self, moment: datetime) -> "History":
        """Only what was known at ``moment``: the buckets that started before it."""
        cut = max(0, min(self.slots, -(-int((moment - self.start).total_seconds()) // 900)))
        cb = self.country_buyers[:cut] if self.country_buyers is not None else None
        cg = self.country_gmv[:cut] if self.country_gmv is not None else None
        return replace(
            self, orders=self.orders[:cut], gmv=self.gmv[:cut], buyers=self.buyers[:cut], country_buyers=cb, country_gmv=cg
        )


def empty_history(start: datetime) -> History:
    zero = np.zeros(0)
    return History(start=floor_slot(start), orders=zero, gmv=zero, buyers=zero)


def load_history(*, before: datetime | None = None) -> History:
    """Every source summed. ``before`` leaves out what had not happened yet."""
    rows = TrafficBucket.objects.all()
    if before is not None:
        rows = rows.filter(bucket__lt=before)
    data = list(rows.values_list("bucket", "country", "orders", "gmv", "buyers"))
    if not data:
        return empty_history(before or datetime.now(UTC))
    moments = np.array([int(row[0].timestamp()) // 900 for row in data], dtype=np.int64)
    first, last = int(moments.min()), int(moments.max())
    size = last - first + 1
    index = moments - first
    is_total = np.array([row[1] == "" for row in data])
    orders = np.bincount(index[is_total], weights=np.array([row[2] for row in data], dtype=float)[is_total], minlength=size)
    gmv_values = np.array([float(row[3]) for row in data])
    gmv = np.bincount(index[is_total], weights=gmv_values[is_total], minlength=size)
    buyer_values = np.array([row[4] for row in data], dtype=float)
    buyers = np.bincount(index[is_total], weights=buyer_values[is_total], minlength=size)
    countries = tuple(sorted({row[1] for row in data} - {""}))
    country_buyers = country_gmv = None
    if countries:
        column = {code: i for i, code in enumerate(countries)}
        mask = ~is_total
        cols = np.array([column[row[1]] for row in data if row[1] != ""], dtype=np.int64)
        country_buyers = np.zeros((size, len(countries)))
        country_gmv = np.zeros((size, len(countries)))
        np.add.at(country_buyers, (index[mask], cols), buyer_values[mask])
        np.add.at(country_gmv, (index[mask], cols), gmv_values[mask])
    return History(
        start=_EPOCH + timedelta(seconds=first * 900),
        orders=orders,
        gmv=gmv,
        buyers=buyers,
        countries=countries,
        country_buyers=country_buyers,
        country_gmv=country_gmv,
    )


def shop_zone() -> str:
    """The shop's zone: YONGXU_SHOP_TZ if set, else the zone of the last imported history, else TIME_ZONE."""
    configured = getattr(settings, "YONGXU_SHOP_TZ", "")
    if configured:
        return configured
    latest = (
        TrafficImport.objects.exclude(time_zone="").order_by("-created_at", "-pk").values_list("time_zone", flat=True).first()
    )
    return latest or settings.TIME_ZONE


@transaction.atomic
def aggregate_orders() -> int:
    """Rebuild the "shop" buckets from paid orders (orders, GMV, distinct e-mails). Idempotent."""
    grouped = (
        Order.objects.filter(status__in=PAID_STATUSES)
        .annotate(slot=Trunc("created_at", "minute", tzinfo=UTC))
        .values("slot")
        .annotate(n=Count("pk"), total=Sum("amount"), buyers=Count("email", distinct=True))
    )
    sums: dict[datetime, list] = {}
    for row in grouped:  # minutes → 15-minute buckets; distinct buyers are exact per minute, summed per bucket
        bucket = floor_slot(row["slot"])
        entry = sums.setdefault(bucket, [0, Decimal("0"), 0])
        entry[0] += row["n"]
        entry[1] += row["total"] or Decimal("0")
        entry[2] += row["buyers"]
    TrafficBucket.objects.filter(source=SHOP).delete()
    TrafficBucket.objects.bulk_create(
        [
            TrafficBucket(source=SHOP, bucket=bucket, country="", orders=n, gmv=total, buyers=b)
            for bucket, (n, total, b) in sorted(sums.items())
        ],
        batch_size=2000,
    )
    return len(sums)
