"""The portfolio's decision-making bodies as pages: added and changed by the samordnare,
listed on the settings overview for everyone in the constellation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..forms.bodies import BodyForm
from ..models import Program
from ..selectors.bodies import body_of_portfolio, people_of_constellation
from ..services import settings_bodies
from .settings_forms import back, bound, manageable, page, run


def _form(request, portfolio, initial=None):
    return BodyForm(
        bound(request),
        people=people_of_constellation(portfolio),
        programs=Program.objects.filter(portfolio=portfolio).order_by("name"),
        initial=initial,
    )


INTRO = gettext_lazy(
    "Organet beslutar om de frågor du väljer. Ordföranden eller sekreteraren registrerar "
    "organets beslut; en fråga beslutas av ett organ för hela portföljen eller för ett program."
)


@login_required
def body_add(request, pk):
    portfolio = manageable(request, pk)
    form = _form(request, portfolio, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        values = form.values()
        values.pop("version", None)
        if run(
            form,
            lambda: settings_bodies.body_add(actor=request.user, portfolio=portfolio, **values),
        ):
            messages.success(request, _("Organet är tillagt."))
            return back(portfolio, "organ")
    return page(request, portfolio, form, _("Nytt beslutande organ"), str(INTRO), anchor="organ")


@login_required
def body_edit(request, pk, item_pk):
    portfolio = manageable(request, pk)
    body = body_of_portfolio(portfolio, item_pk)
    form = _form(
        request,
        portfolio,
        initial={
            "name": body.name,
            "kind": body.kind,
            "program": body.program_id,
            "matters": body.matters,
            "members": [m.pk for m in body.members.all()],
            "substitutes": [m.pk for m in body.substitutes.all()],
            "chair": body.chair_id,
            "secretary": body.secretary_id,
            "is_active": body.is_active,
            "version": body.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        version = values.pop("version", None)
        if run(
            form,
            lambda: settings_bodies.body_update(
                actor=request.user, body=body, version=version, **values
            ),
        ):
            messages.success(request, _("Organet är ändrat."))
            return back(portfolio, "organ")
    return page(
        request,
        portfolio,
        form,
        _("Ändra %(name)s") % {"name": body.name},
        str(INTRO),
        anchor="organ",
    )
