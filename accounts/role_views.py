"""The samordnare grants a role for one portfolio or program, and ends a role, on the
person's page. Each form calls one service (`role_grants`); a refusal is shown on the
page in Swedish with the input kept, and nothing is written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portfolio.forms.base import apply_error

from . import people, policies, role_grants, selectors
from .forms import RoleGrantForm
from .models import Role, User


def person_to_change(request, pk: int) -> User:
    if not policies.can_manage_people(request.user):
        raise PermissionDenied(_("Bara samordnaren hanterar personer och roller."))
    try:
        person = selectors.person_for(request.user, pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
    if not policies.can_manage_person(request.user, person):
        raise PermissionDenied(people.refusal())
    return person


def grant_form(request, person, data=None) -> RoleGrantForm:
    labels = dict(Role.choices)
    portfolios = role_grants.grantable_portfolios(request.user, person)
    return RoleGrantForm(
        data,
        role_choices=[(r, labels[r]) for r in policies.grantable_roles(request.user)],
        portfolios=portfolios,
        programs=role_grants.Program.objects.filter(portfolio__in=portfolios)
        .select_related("portfolio")
        .order_by("portfolio__name", "name"),
    )


@login_required
@require_POST
def role_grant(request, pk: int):
    from .people_views import person_page

    person = person_to_change(request, pk)
    form = grant_form(request, person, request.POST)
    if form.is_valid():
        try:
            role_grants.role_grant(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Rollen är given till %(name)s.") % {"name": person})
            return redirect("people:edit", pk=person.pk)
    return person_page(request, person, grant=form)


@login_required
@require_POST
def role_end(request, pk: int, assignment_pk: int):
    from .people_views import person_page

    person = person_to_change(request, pk)
    reason = request.POST.get("reason", "")
    try:
        role_grants.role_end(
            actor=request.user, person=person, assignment_id=assignment_pk, reason=reason
        )
    except ValidationError as exc:
        errors = [str(m) for messages_ in exc.message_dict.values() for m in messages_]
        return person_page(request, person, end_errors={assignment_pk: errors})
    messages.success(request, _("Rollen har upphört för %(name)s.") % {"name": person})
    return redirect("people:edit", pk=person.pk)
