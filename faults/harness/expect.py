"""The end state of a batch of checkouts, summarised so that a case compares it with the promise in one
``assert`` (pytest then shows exactly which figure differs)."""

from __future__ import annotations

from faults.harness.client import Checkout
from faults.harness.state import ShopState


def delivery_summary(state: ShopState, checkouts: list[Checkout], mail: dict[str, int]) -> dict:
    """What happened to ``checkouts``: in the database, in the buyers' hands and in the mailbox."""
    orders = state.by_email()
    rows = [orders[c.email] for c in checkouts if c.email in orders]
    received = [key for c in checkouts for key in c.keys]
    sold = state.sold_keys()
    return {
        "orders": len(rows),
        "acknowledged by the shop": sum(c.acknowledged for c in checkouts),
        "delivered": sum(row.status == "delivered" for row in rows),
        "keys sold once": sum(1 for n in sold.values() if n == 1),
        "keys sold twice or more": sum(1 for n in sold.values() if n > 1),
        "orders with exactly one key": sum(row.keys_sold == 1 for row in rows),
        "orders with exactly one succeeded payment": sum(row.payments_succeeded == 1 for row in rows),
        "orders with exactly one applied notification": sum(row.notifications_applied == 1 for row in rows),
        "distinct keys received": len(set(received)),
        "keys received": len(received),
        "key e-mails received once": sum(mail.get(c.email, 0) == 1 for c in checkouts),
        "key e-mails lost": sum(mail.get(c.email, 0) == 0 for c in checkouts),
        "key e-mails doubled": sum(mail.get(c.email, 0) > 1 for c in checkouts),
    }


def promised(count: int) -> dict:
    """Every one of ``count`` checkouts paid, delivered once with its own key and e-mailed once."""
    return {"orders": count, "acknowledged by the shop": count, "delivered": count, "keys sold once": count,
            "keys sold twice or more": 0, "orders with exactly one key": count,
            "orders with exactly one succeeded payment": count, "orders with exactly one applied notification": count,
            "distinct keys received": count, "keys received": count, "key e-mails received once": count,
            "key e-mails lost": 0, "key e-mails doubled": 0}


MAIL_FIGURES = ("key e-mails received once", "key e-mails lost", "key e-mails doubled")


def kept_promise(summary: dict, count: int, *, maybe_sent: int) -> dict:
    """What ``summary`` must equal: ``promised(count)``, except that an e-mail lost or doubled is allowed
    when the database admits the doubt, one "maybe sent" outbox row for each (issue 10, promise 2)."""
    expected = promised(count)
    if maybe_sent and summary["key e-mails lost"] + summary["key e-mails doubled"] <= maybe_sent:
        expected |= {name: summary[name] for name in MAIL_FIGURES}
    return expected


def undelivered(state: ShopState, checkouts: list[Checkout], limit: int = 5) -> dict[str, dict]:
    """For a few orders not delivered: their status and every notification's outcome, for the report."""
    orders = state.by_email()
    missing = [c for c in checkouts if c.email not in orders or orders[c.email].status != "delivered"][:limit]
    return {c.email: {"status": orders[c.email].status if c.email in orders else None,
                      "notifications": state.notifications(c.email), "buyer saw": c.errors[-3:]} for c in missing}


def failures(checkouts: list[Checkout], limit: int = 5) -> list[str]:
    """A few of the buyers' error messages, for the report."""
    return [f"{c.email}: {c.errors[-1]}" for c in checkouts if c.errors][:limit]
