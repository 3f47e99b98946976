"""Buyers made through the real services; mail leaves on commit, so helpers run the commit hooks."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from yongxu.accounts import services

PASSWORD = "Correct-horse-9-battery"
LINK = re.compile(r"http://\S+/account/\S+/")


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


def path_of(link: str) -> str:
    return urlsplit(link).path


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a block as if it committed: its e-mails are sent."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def make_buyer(db, commit):
    def make_buyer(email: str = "ann@example.com", *, password: str = PASSWORD, verified: bool = True):
        with commit():
            user = services.sign_up(email=email, password=password)
        if verified:
            services.verify_email(services.verification_token(user))
        return get_user_model().objects.get(pk=user.pk)

    return make_buyer


@pytest.fixture
def ann(make_buyer, mailoutbox):
    user = make_buyer("ann@example.com")
    mailoutbox.clear()
    return user


def sign_in(client, email: str = "ann@example.com", password: str = PASSWORD):
    return client.post("/account/login/", {"email": email, "password": password})
