"""A proof-of-work answer is accepted once, for the purpose it was issued for, before it expires, and
only with enough zero bits; a forged challenge is refused."""

import hashlib
import itertools

import pytest
import time_machine

from yongxu.limits import pow

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(settings):
    settings.YONGXU_POW_BITS = 8
    with time_machine.travel("2026-03-01 12:00:00Z", tick=False):
        return pow.issue("order")


def test_a_right_answer_is_accepted_once(challenge):
    answer = pow.solve(challenge["challenge"], 8)
    with time_machine.travel("2026-03-01 12:01:00Z", tick=False):
        first, second = pow.accept(answer, "order"), pow.accept(answer, "order")

    assert (first, second) == (True, False)
    assert len(challenge["challenge"]) == 63  # with ":" one SHA-256 block: pow.js hashes it once


def test_an_answer_expires(challenge):
    answer = pow.solve(challenge["challenge"], 8)
    with time_machine.travel("2026-03-01 12:05:00Z", tick=False):
        assert pow.accept(answer, "order") is False


def test_an_answer_belongs_to_its_purpose(challenge):
    with time_machine.travel("2026-03-01 12:01:00Z", tick=False):
        assert pow.accept(pow.solve(challenge["challenge"], 8), "support") is False


def test_too_few_zero_bits_are_refused(challenge):
    text = challenge["challenge"]
    short = next(f"{text}:{n}" for n in itertools.count() if hashlib.sha256(f"{text}:{n}".encode()).digest()[0] != 0)
    with time_machine.travel("2026-03-01 12:01:00Z", tick=False):
        assert pow.accept(short, "order") is False


@pytest.mark.parametrize("forge", [
    lambda c: c.replace(".08.", ".01."),  # fewer bits asked
    lambda c: c.replace("1.17723667", "1.17723699"),  # later expiry
    lambda c: c[:-1] + ("0" if c[-1] != "0" else "1"),  # another MAC
])
def test_a_forged_challenge_is_refused(challenge, forge):
    forged = forge(challenge["challenge"])
    with time_machine.travel("2026-03-01 12:01:00Z", tick=False):
        assert pow.accept(pow.solve(forged, 1), "order") is False


@pytest.mark.parametrize("answer", ["", ":", "nonsense", "1.2.3.4.5:x", "1.2.3.4.5:" + "9" * 30])
def test_malformed_answers_are_refused(answer):
    assert pow.accept(answer, "order") is False
