"""A browser that asks for Chinese (Accept-Language zh-CN or zh-Hans) gets every buyer page in Chinese."""

import pytest

from yongxu.conftest import make_product

pytestmark = pytest.mark.django_db

ASKING_FOR_CHINESE = ["zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "zh-cn"]


@pytest.fixture(params=ASKING_FOR_CHINESE)
def chinese(request):
    return {"HTTP_ACCEPT_LANGUAGE": request.param}


def page(client, path, headers) -> str:
    response = client.get(path, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page(client, chinese):
    make_product(keys=0, name="Steam 50")

    html = page(client, "/", chinese)

    assert '<html lang="zh-hans">' in html
    assert '<option value="zh-hans" selected>简体中文</option>' in html
    assert "付款后自动发货，卡密即时送达。" in html
    assert ">查询订单</a>" in html
    assert ">客服</a>" in html
    assert "已售罄" in html
    assert "Find my order" not in html


def test_the_product_page(client, chinese):
    product = make_product(keys=5, name="Steam 50")

    html = page(client, f"/p/{product.slug}/", chinese)

    assert "邮箱（卡密将发送到此邮箱）" in html
    assert "查询密码（选填，用于保护卡密）" in html
    assert "优惠码（选填）" in html
    assert "实付金额" in html
    assert "立即购买" in html
    assert "Buy now" not in html


def test_the_lookup_page(client, chinese):
    html = page(client, "/lookup/", chinese)

    assert "下单时填写的邮箱" in html
    assert "订单号" in html
    assert ">查询</button>" in html


def test_the_support_page(client, chinese):
    html = page(client, "/support/", chinese)

    assert "请告诉我们遇到了什么问题。" in html
    assert "您的邮箱（我们会回复到此邮箱）" in html
    assert "提交给客服" in html


def test_the_sign_in_page(client, chinese):
    html = page(client, "/account/login/", chinese)

    assert "<h1>登录</h1>" in html
    assert "忘记密码？" in html
    assert "还没有账户？" in html


def test_the_maintenance_page(client, chinese, full_maintenance):
    response = client.get("/", **chinese)

    html = response.content.decode()
    assert response.status_code == 503
    assert '<html lang="zh-hans">' in html
    assert "系统维护中" in html
    assert "联系客服" in html and "查询订单" in html  # support and lookup stay open in full maintenance
    assert "已付款订单照常发货" not in html  # delivery is paused: the page does not promise it
    assert "We are doing some maintenance" not in html


def test_without_chinese_in_accept_language_the_shop_stays_in_english(client):
    html = page(client, "/lookup/", {"HTTP_ACCEPT_LANGUAGE": "fr-FR,de;q=0.8"})

    assert '<html lang="en">' in html
    assert "Find my order" in html
    assert "查询订单" not in html
