from yongxu.ops.checks import production_sanity, site_url_is_absolute


def test_embedded_defaults_raise_nothing(settings):
    settings.PRODUCTION = False

    assert production_sanity(None) == []
    assert site_url_is_absolute(None) == []


def test_a_relative_site_url_is_refused(settings):
    settings.SITE_URL = "shop.example"

    assert [problem.id for problem in site_url_is_absolute(None)] == ["yongxu.payments.E002"]
