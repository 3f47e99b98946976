from yongxu.ops.checks import production_sanity, site_url_is_absolute


def test_the_simulator_in_production_is_an_error(settings):
    settings.PRODUCTION = True
    settings.YONGXU_SIMULATOR = True
    settings.SITE_URL = "https://shop.example"

    ids = [problem.id for problem in production_sanity(None)]

    assert "yongxu.payments.E001" in ids


def test_embedded_defaults_raise_nothing(settings):
    settings.PRODUCTION = False

    assert production_sanity(None) == []
    assert site_url_is_absolute(None) == []


def test_a_relative_site_url_is_refused(settings):
    settings.SITE_URL = "shop.example"

    assert [problem.id for problem in site_url_is_absolute(None)] == ["yongxu.payments.E002"]
