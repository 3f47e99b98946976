"""The end state, read straight from the shop's database (as an auditor would, not through our code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from faults.harness.shop import FAULT_PRODUCT


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str
    email: str
    status: str
    created_at: datetime
    emailed: bool | None  # delivery_emailed_at is set; None when the column no longer exists
    keys_sold: int
    payments_succeeded: int
    notifications_applied: int


class ShopState:
    def __init__(self, connect) -> None:
        self._connect = connect  # () -> psycopg.Connection on the shop's database

    def _rows(self, sql: str, *params) -> list[tuple]:
        with self._connect() as conn:
            return conn.execute(sql, params or None).fetchall()

    def _columns(self, table: str) -> set[str]:
        return {row[0] for row in self._rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", table)}

    def orders(self) -> list[OrderRow]:
        """Every order of the suite's product, with what was sold and paid for it."""
        emailed = "o.delivery_emailed_at IS NOT NULL" if "delivery_emailed_at" in self._columns("orders_order") else "NULL"
        rows = self._rows(f"""
            SELECT o.id, o.number, o.email, o.status, o.created_at, {emailed},
                   (SELECT count(*) FROM inventory_cardkey k WHERE k.order_id = o.id AND k.status = 'sold'),
                   (SELECT count(*) FROM payments_payment p WHERE p.order_id = o.id AND p.status = 'succeeded'),
                   (SELECT count(*) FROM payments_paymentnotification n JOIN payments_payment p ON n.payment_id = p.id
                     WHERE p.order_id = o.id AND n.outcome = 'applied')
            FROM orders_order o JOIN catalog_product pr ON pr.id = o.product_id
            WHERE pr.slug = %s ORDER BY o.id""", FAULT_PRODUCT)  # noqa: S608 - no outside input
        return [OrderRow(*row) for row in rows]

    def by_email(self) -> dict[str, OrderRow]:
        return {row.email: row for row in self.orders()}

    def sold_keys(self) -> dict[str, int]:
        """Fingerprint of each sold key of the product → how many times it is sold (1, or an oversell)."""
        return dict(self._rows("""
            SELECT k.fingerprint, count(*) FROM inventory_cardkey k JOIN catalog_product pr ON pr.id = k.product_id
            WHERE pr.slug = %s AND k.status = 'sold' GROUP BY k.fingerprint""", FAULT_PRODUCT))

    def notifications(self, email: str) -> list[tuple[str, str, str]]:
        """(payment status, notification outcome, detail) of every notification for the order of ``email``."""
        return self._rows("""
            SELECT p.status, n.outcome, n.detail FROM payments_paymentnotification n
            JOIN payments_payment p ON n.payment_id = p.id JOIN orders_order o ON p.order_id = o.id
            WHERE o.email = %s ORDER BY n.id""", email)

    def orders_created_since(self, moment: datetime) -> int:
        return self._rows("SELECT count(*) FROM orders_order WHERE created_at >= %s", moment)[0][0]

    def now(self) -> datetime:
        return self._rows("SELECT now()")[0][0]

    def maybe_sent(self) -> int:
        """Key e-mails ("orders.email" effects of kind "delivered") the outbox marks "maybe sent": the mail
        server may have accepted them before the worker died, so they are not resent by themselves."""
        return self._rows("SELECT count(*) FROM outbox_effect WHERE kind = 'orders.email' "
                          "AND payload->>'kind' = 'delivered' AND status = 'maybe'")[0][0]
