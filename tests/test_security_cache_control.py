"""What a signed-in person was shown is never kept by a browser or a shared proxy."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import api_token_create
from portfolio.models import Portfolio
from reports.models import ReportJob


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def director(demo, client):
    client.force_login(User.objects.get(username="kd.bengtsfors"))
    return client


def assert_private(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]
    assert "public" not in directives


def test_a_signed_in_page_is_private(director):
    response = director.get("/")
    assert response.status_code == 200
    assert_private(response)


def test_api_answers_are_private_with_a_session_and_with_a_token(director):
    assert_private(director.get("/api/v1/initiatives/"))
    _token, key = api_token_create(user=User.objects.get(username="itchef"), name="BI")
    with_token = Client().get("/api/v1/initiatives/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert with_token.status_code == 200
    assert_private(with_token)


def test_excel_and_pdf_downloads_are_private(director, django_capture_on_commit_callbacks):
    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    workbook = director.get(reverse("portfolio:initiative-export-xlsx", args=[portfolio.pk]))
    assert workbook.status_code == 200
    assert "spreadsheetml" in workbook["Content-Type"]
    assert_private(workbook)

    with django_capture_on_commit_callbacks(execute=True):
        director.post(
            reverse("reports:new"),
            {"kind": "board_report", "portfolio": portfolio.pk, "period": "2026H1"},
        )
    pdf = director.get(reverse("reports:download", args=[ReportJob.objects.get().pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert_private(pdf)
    pdf.close()


@pytest.mark.parametrize(
    ("set_by_view", "kept"),
    [
        ("public, max-age=600", {"private", "no-store", "max-age=0"}),
        ("no-cache, must-revalidate", {"private", "no-store", "no-cache", "must-revalidate"}),
        ("no-store", {"no-store"}),
    ],
)
def test_a_view_cannot_loosen_it_and_a_stricter_header_stays(rf, demo, set_by_view, kept):
    from django.http import HttpResponse

    from samverkan.security import PrivateResponsesMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = set_by_view
        return response

    request = rf.get("/")
    request.user = User.objects.get(username="kd.bengtsfors")
    response = PrivateResponsesMiddleware(view)(request)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "public" not in directives
    assert "no-store" in directives
    assert kept <= directives


@pytest.mark.django_db
def test_anonymous_answers_are_left_alone(client):
    assert "Cache-Control" not in client.get("/healthz")
