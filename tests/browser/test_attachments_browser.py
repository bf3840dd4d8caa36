"""Issue 18's walk for documents: the samordnare registers an agreement and attaches its
text; a party's kommundirektör finds and downloads it; an executable renamed .pdf is
refused with a Swedish message; someone outside the constellation finds nothing. Every
page visited is checked with axe."""

import pytest

from municipalities.models import Agreement
from portfolio.models import Attachment, Initiative
from tests import attachment_files as files

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _save(page, label):
    with page.expect_navigation():
        page.locator("main form.form").get_by_role("button", name=label).first.click()


def test_an_agreement_with_its_text_attached(visitor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = tmp_path / "Avtal e-arkiv.pdf"
    pdf.write_bytes(files.PDF)
    renamed = tmp_path / "Bilaga.pdf"
    renamed.write_bytes(files.EXE)

    page = visitor.login("samordnare")
    visitor.goto("/avtal/")
    page.get_by_role("link", name="Registrera ett avtal").click()
    page.locator("main [name=title]").fill("Avtal om gemensamt e-arkiv")
    for party in ("Bengtsfors", "Åmål"):
        page.locator("fieldset").filter(has_text="Parter").get_by_label(party).check()
    page.locator("main [name=starts_on]").fill("2026-01-01")
    page.locator("main [name=ends_on]").fill("2028-12-31")
    page.locator("main [name=yearly_fee_per_party]").fill("45000")
    page.locator("main [name=reason]").fill("Portföljstyrgruppen 2025-12-11 § 9")
    _save(page, "Spara")
    assert page.locator(".form-errors").count() == 0, page.locator(".form-errors").inner_text()
    agreement = Agreement.objects.get(title="Avtal om gemensamt e-arkiv")

    page.locator("main [name=file]").set_input_files(str(pdf))
    _save(page, "Ladda upp bilaga")
    assert page.get_by_role("link", name="Avtal e-arkiv.pdf").count() == 1
    visitor.check("agreement-with-attachment")

    # An executable renamed .pdf is refused, and the refusal says why, in Swedish.
    page.locator("main [name=file]").set_input_files(str(renamed))
    _save(page, "Ladda upp bilaga")
    assert "program eller ett skript" in page.locator(".form-errors").inner_text()
    visitor.check("attachment-refused")
    assert Attachment.objects.filter(agreement=agreement).count() == 1

    # A party's director finds it and downloads exactly the filed bytes.
    page = visitor.login("kd.bengtsfors")
    visitor.goto(f"/avtal/{agreement.pk}/")
    assert page.locator("main [name=file]").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Avtal e-arkiv.pdf").click()
    assert download.value.suggested_filename == "Avtal e-arkiv.pdf"
    assert open(download.value.path(), "rb").read() == files.PDF
    visitor.check("agreement-as-party")

    # Outside the constellation the agreement and its file do not exist.
    page = visitor.login("kd.skara")
    attachment = Attachment.objects.get(agreement=agreement)
    assert page.goto(visitor.url(f"/bilagor/{attachment.pk}/ladda-ner/")).status == 404


def test_an_initiative_and_its_decisions_take_attachments(visitor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = tmp_path / "Förstudierapport.pdf"
    report.write_bytes(files.PDF)
    initiative = (
        Initiative.objects.filter(portfolio__reference_prefix="DAL", decisions__isnull=False)
        .order_by("pk")
        .first()
    )
    page = visitor.login("samordnare")
    visitor.goto(f"/initiativ/{initiative.pk}/")
    page.locator(f"#bilaga-initiative-{initiative.pk}-file").set_input_files(str(report))
    with page.expect_navigation():
        page.locator("form.attachment-form").first.get_by_role(
            "button", name="Ladda upp bilaga"
        ).click()
    assert page.get_by_role("link", name="Förstudierapport.pdf").count() == 1
    visitor.check("initiative-with-attachment", full_page=True)
    assert Attachment.objects.get().initiative == initiative

    page = visitor.login("lasare")
    visitor.goto(f"/initiativ/{initiative.pk}/")
    assert page.get_by_role("link", name="Förstudierapport.pdf").count() == 1
    assert page.locator("form.attachment-form").count() == 0
    visitor.check("initiative-attachments-as-reader")
