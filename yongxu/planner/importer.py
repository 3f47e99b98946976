"""Read an older shop's history (CSV or Parquet) into 15-minute traffic buckets.

Everything is checked before anything is written; the write is one transaction. The file's sha256
names the source, so importing the same file again changes nothing."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
from django.db import transaction

from yongxu.planner.errors import BadImport
from yongxu.planner.geo import country_code
from yongxu.planner.models import TrafficBucket, TrafficImport

Progress = Callable[[int, int, str], None]
_ZONED = r"(?:Z|[+-]\d\d:?\d\d)\s*$"
_BATCH = 2000


@dataclass(frozen=True)
class ImportSpec:
    ts_col: str
    amount_col: str = ""
    qty_col: str = ""
    price_col: str = ""
    customer_col: str = ""
    country_col: str = ""
    order_col: str = ""
    tz: str = ""
    country: str = ""
    drop_negative: bool = False


@dataclass
class ImportResult:
    source: str
    created: bool
    lines: int = 0
    dropped_negative: int = 0
    buckets: int = 0
    gmv: Decimal = Decimal("0")
    countries: list[str] = field(default_factory=list)


def _noop(done: int, total: int, label: str) -> None:
    return None


def _read(path: Path, columns: list[str]) -> tuple[pd.DataFrame, int]:
    """The needed columns as text/number frames, and the offset from row index to the file's line number."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            names = pq.read_schema(path).names
            _require(columns, names)
            return pq.read_table(path, columns=columns).to_pandas(), 1  # "row N", counted from 1
        if suffix in (".csv", ".txt", ".tsv"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep="\t" if suffix == ".tsv" else ",")
            _require(columns, list(frame.columns))
            return frame[columns], 2  # line 1 is the header
    except BadImport:
        raise
    except Exception as exc:  # the readers raise many types; the operator needs the file's name and the reason
        raise BadImport(f"{path.name}: cannot be read as {suffix.lstrip('.') or 'a table'} ({exc})") from exc
    raise BadImport(f"{path.name}: unknown file type {suffix or '(none)'}; use .csv or .parquet")


def _require(columns: list[str], present: list[str]) -> None:
    missing = [name for name in columns if name not in present]
    if missing:
        raise BadImport(f"no column {missing[0]!r} in the file (it has: {', '.join(map(str, present))})")


def _where(offset: int, index: int) -> str:
    return f"{'row' if offset == 1 else 'line'} {index + offset}"


def _timestamps(raw: pd.Series, spec: ImportSpec, offset: int) -> pd.Series:
    """UTC timestamps. Zoned values keep their zone; naive ones are read in ``--tz`` (refused without it).
    A naive time that does not exist (spring-forward) moves forward; an ambiguous one is read as the first."""
    zone = ZoneInfo(spec.tz) if spec.tz else None
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed, zoned = raw, getattr(raw.dt, "tz", None) is not None
        if zoned:
            return parsed.dt.tz_convert("UTC")
        naive_mask = pd.Series(True, index=raw.index)
    else:
        text = raw.astype(str).str.strip()
        blank = text.eq("") | raw.isna()
        if blank.any():
            raise BadImport(f"{_where(offset, int(np.argmax(blank.to_numpy())))}: column {spec.ts_col!r} is empty")
        naive_mask = ~text.str.contains(_ZONED, regex=True)
        parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")
        if (~naive_mask).any():
            parsed[~naive_mask] = pd.to_datetime(text[~naive_mask], utc=True, errors="coerce", format="ISO8601")
        if naive_mask.any():
            naive = pd.to_datetime(text[naive_mask], errors="coerce", format="mixed")
            _check_parsed(naive, text[naive_mask], spec, offset)
            parsed[naive_mask] = _localise(naive, zone, spec)
        _check_parsed(parsed, text, spec, offset)
        return parsed
    return _localise(parsed, zone, spec)


def _localise(naive: pd.Series, zone: ZoneInfo | None, spec: ImportSpec) -> pd.Series:
    if zone is None:
        raise BadImport(f"column {spec.ts_col!r} has times without a zone: say which with --tz (e.g. --tz Europe/London)")
    ambiguous = np.ones(len(naive), dtype=bool)
    return naive.dt.tz_localize(zone, ambiguous=ambiguous, nonexistent="shift_forward").dt.tz_convert("UTC")


def _check_parsed(parsed: pd.Series, text: pd.Series, spec: ImportSpec, offset: int) -> None:
    bad = parsed.isna().to_numpy()
    if bad.any():
        at = int(np.argmax(bad))
        raise BadImport(f"{_where(offset, int(text.index[at]))}: column {spec.ts_col!r}: "
                        f"{text.iloc[at]!r} is not a date and time")


def _numbers(raw: pd.Series, column: str, offset: int) -> np.ndarray:
    values = pd.to_numeric(raw, errors="coerce")
    bad = (values.isna() | ~np.isfinite(values.astype(float))).to_numpy()
    if bad.any():
        at = int(np.argmax(bad))
        raise BadImport(f"{_where(offset, at)}: column {column!r}: {raw.iloc[at]!r} is not a number")
    return values.to_numpy(dtype=float)


def read_history(path: Path, spec: ImportSpec, *, progress: Progress = _noop) -> tuple[pd.DataFrame, int]:
    """Checked lines as a frame (bucket, amount, buyer, country, order) and how many negative lines were dropped."""
    if not spec.amount_col and not (spec.qty_col and spec.price_col):
        raise BadImport("say how much each line is worth: --amount-col, or --qty-col with --price-col")
    if spec.tz:
        try:
            ZoneInfo(spec.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise BadImport(f"unknown time zone {spec.tz!r} (use an IANA name such as Asia/Shanghai)") from exc
    wanted = [spec.ts_col, spec.amount_col, spec.qty_col, spec.price_col, spec.customer_col, spec.country_col, spec.order_col]
    columns = list(dict.fromkeys(name for name in wanted if name))
    progress(0, 4, "reading")
    frame, offset = _read(path, columns)
    frame = frame.reset_index(drop=True)
    progress(1, 4, "checking times")
    when = _timestamps(frame[spec.ts_col], spec, offset)
    progress(2, 4, "checking amounts")
    if spec.amount_col:
        amount = _numbers(frame[spec.amount_col], spec.amount_col, offset)
    else:
        amount = _numbers(frame[spec.qty_col], spec.qty_col, offset) * _numbers(frame[spec.price_col], spec.price_col, offset)
    negative = amount < 0
    dropped = int(negative.sum())
    if dropped and not spec.drop_negative:
        at = int(np.argmax(negative))
        raise BadImport(f"{_where(offset, at)}: a negative amount ({amount[at]:.2f}) — {dropped} lines are refunds or "
                        "cancellations; pass --drop-negative to leave them out")
    lines = pd.DataFrame({
        "bucket": when.dt.tz_convert("UTC").dt.tz_localize(None).dt.floor("15min").to_numpy(),
        "amount": amount,
        "buyer": frame[spec.customer_col].astype(str).to_numpy() if spec.customer_col else np.arange(len(frame)),
        "country": (frame[spec.country_col].astype(str).map(country_code).to_numpy() if spec.country_col
                    else np.full(len(frame), country_code(spec.country) if spec.country else "", dtype=object)),
        "order": frame[spec.order_col].astype(str).to_numpy() if spec.order_col else np.arange(len(frame)),
    })
    if spec.customer_col:  # a line with no customer is still a buyer, one of its own
        unknown = frame[spec.customer_col].isna().to_numpy() | (lines["buyer"].isin(["", "nan", "None"])).to_numpy()
        lines["buyer"] = lines["buyer"].astype(object)
        lines.loc[unknown, "buyer"] = "line:" + lines.index[unknown].astype(str)
    return lines[~negative] if dropped else lines, dropped


def aggregate(lines: pd.DataFrame) -> pd.DataFrame:
    """Buckets for all countries together (country "") and per known country."""
    def group(keys):
        return lines.groupby(keys, sort=True).agg(orders=("order", "nunique"), gmv=("amount", "sum"),
                                                  buyers=("buyer", "nunique")).reset_index()

    total = group(["bucket"]).assign(country="")
    if (lines["country"] != "").any():
        per_country = group(["bucket", "country"])
        per_country = per_country[per_country["country"] != ""]
        total = pd.concat([total, per_country], ignore_index=True)
    return total


def file_source(path: Path) -> tuple[str, str]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return f"import:{digest.hexdigest()[:16]}", digest.hexdigest()


def import_file(path: Path, spec: ImportSpec, *, progress: Progress = _noop) -> ImportResult:
    if not path.is_file():
        raise BadImport(f"{path}: no such file")
    source, sha = file_source(path)
    known = TrafficImport.objects.filter(source=source).first()
    if known:
        return ImportResult(source=source, created=False, lines=known.lines, buckets=known.buckets, gmv=known.gmv)
    lines, dropped = read_history(path, spec, progress=progress)
    progress(3, 4, "aggregating")
    buckets = aggregate(lines)
    gmv = buckets.loc[buckets["country"] == "", "gmv"].sum()
    rows = [TrafficBucket(source=source, bucket=moment.to_pydatetime().replace(tzinfo=UTC), country=country, orders=int(orders),
                          gmv=Decimal(f"{value:.2f}"), buyers=int(buyers))
            for moment, country, orders, value, buyers in zip(
                buckets["bucket"], buckets["country"], buckets["orders"], buckets["gmv"], buckets["buyers"], strict=True)]
    with transaction.atomic():
        for start in range(0, len(rows), _BATCH):
            TrafficBucket.objects.bulk_create(rows[start:start + _BATCH])
            progress(start + len(rows[start:start + _BATCH]), len(rows), "writing buckets")
        TrafficImport.objects.create(
            source=source, file_name=path.name[:255], sha256=sha, time_zone=spec.tz, lines=len(lines),
            buckets=len(rows), gmv=Decimal(f"{gmv:.2f}"),
            options={key: value for key, value in spec.__dict__.items() if value})
    countries = sorted(set(buckets["country"]) - {""})
    return ImportResult(source=source, created=True, lines=len(lines), dropped_negative=dropped, buckets=len(rows),
                        gmv=Decimal(f"{gmv:.2f}"), countries=countries)
