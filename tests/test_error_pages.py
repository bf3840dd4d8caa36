"""The product's own answers when something is refused, missing or broken: a page in
the person's language with the reason and a way back, and in the API always the one
error shape, also for URLs that match no route and bodies refused before any view."""

import json
import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from portfolio.demo.content import DEMO_PASSWORD
from samverkan import errors, urls

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_api_url_answers_in_the_apis_error_shape(client, settings, debug):
    settings.DEBUG = debug
    for path in ("/api/v1/no-such-thing/", "/api/v1/initiatives/1/no-such-part/", "/api/x"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Hittades inte.", "code": "not_found"}


def test_an_unknown_page_is_the_products_own_page_with_a_way_back(client, settings, demo):
    settings.DEBUG = False
    client.login(username="itchef", password=DEMO_PASSWORD)
    response = client.get("/finns-inte/", HTTP_REFERER="http://testserver/portfolj/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "<h1>Sidan finns inte</h1>" in body
    assert 'href="/"' in body and 'href="http://testserver/portfolj/"' in body


def test_a_link_back_is_offered_only_to_the_products_own_pages(client, settings):
    settings.DEBUG = False
    response = client.get("/finns-inte/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in response.content.decode()


def test_the_error_page_follows_the_persons_language(client, settings):
    settings.DEBUG = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/finns-inte/").content.decode()
    assert "Sidan finns inte" not in body and 'lang="en"' in body


def test_a_refused_page_says_why_in_swedish(client, demo):
    client.login(username="itchef", password=DEMO_PASSWORD)
    response = client.get(reverse("people:list"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Du har inte behörighet" in body
    assert "Bara samordnaren hanterar personer och roller." in body
    assert "Forbidden" not in body


def test_a_json_body_above_the_limit_is_413_in_the_error_shape_and_logged(client, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    caplog.set_level(logging.WARNING, logger="samverkan.security")
    response = client.post(
        "/api/v1/initiatives/",
        data=json.dumps({"title": "x" * 4096}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert any("status=413" in r.getMessage() for r in caplog.records)


def test_a_files_upload_may_still_be_larger_than_a_form(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.SAMVERKAN_MAX_REQUEST_BYTES = 1024 * 1024
    response = client.post(
        "/api/v1/excel/import/",
        data=b"--b\r\n" + b"x" * 4096 + b"\r\n--b--\r\n",
        content_type="multipart/form-data; boundary=b",
    )
    assert response.status_code != 413


def test_a_server_error_is_a_plain_page_and_json_under_the_api():
    assert urls.handler500 == "samverkan.errors.server_error"
    page = errors.server_error(RequestFactory().get("/portfolj/1/"))
    assert page.status_code == 500 and "Ett fel uppstod" in page.content.decode()
    api = errors.server_error(RequestFactory().get("/api/v1/initiatives/"))
    assert api.status_code == 500 and json.loads(api.content)["code"] == "server_error"


def test_a_bad_request_under_the_api_is_json():
    response = errors.bad_request(RequestFactory().get("/api/v1/initiatives/"))
    assert response.status_code == 400 and json.loads(response.content)["code"] == "bad_request"
