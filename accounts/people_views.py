"""The samordnare's people pages: everyone in the own constellations' municipalities, a
form to add a person and one to change them. Each form calls one service; a refusal is
shown on the form in Swedish with the input kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.forms.base import apply_error
from samverkan.domain_errors import DomainError

from . import people, policies, role_grants, role_views, selectors
from .forms import PersonForm
from .models import Role
from .reference_history import reference_lines_for
from .roles import is_in_force, roles_in


def _require_manager(request) -> None:
    if not policies.can_manage_people(request.user):
        raise PermissionDenied(_("Bara samordnaren hanterar personer och roller."))


def _form(request, *, creating: bool, initial=None, bound: bool = True) -> PersonForm:
    labels = dict(Role.choices)
    return PersonForm(
        request.POST if bound and request.method == "POST" else None,
        initial=initial,
        municipalities=policies.managed_municipalities(request.user).order_by("name"),
        role_choices=[(r, labels[r]) for r in policies.grantable_roles(request.user)],
        creating=creating,
    )


def _apply(form: PersonForm, action) -> bool:
    try:
        action()
    except (ValidationError, DomainError) as exc:
        apply_error(form, exc)
        return False
    return True


def _page(request, form, heading, person=None):
    return render(
        request,
        "accounts/person_form.html",
        {"form": form, "heading": heading, "person": person},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def people_list(request):
    _require_manager(request)
    everyone = list(selectors.people_for(request.user))
    changeable = policies.manageable(request.user, everyone)
    rows = [
        {
            "person": person,
            "roles": selectors.role_labels(person),
            "can_change": person.pk in changeable,
        }
        for person in everyone
    ]
    return render(
        request,
        "accounts/people.html",
        {"rows": rows, "changes": reference_lines_for(request.user)},
    )


@login_required
def person_add(request):
    _require_manager(request)
    form = _form(request, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(form, lambda: people.person_create(actor=request.user, **data)):
            messages.success(
                request,
                _(
                    "%(name)s är tillagd. En länk för att välja lösenord har skickats "
                    "till %(email)s."
                )
                % {"name": f"{data['first_name']} {data['last_name']}", "email": data["email"]},
            )
            return redirect("people:list")
    return _page(request, form, _("Lägg till person"))


def _edit_form(request, person, bound: bool = True) -> PersonForm:
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "municipality": person.municipality,
        "title": person.title,
        "roles": sorted(roles_in(person.role_grants, None)),
        "is_active": person.is_active,
        "version": person.version,
    }
    return _form(request, creating=False, initial=initial, bound=bound)


def person_page(request, person, *, form=None, grant=None, end_errors=None):
    """The person's page: their details, and their roles with history (granted, ended)."""
    # Posted to the role forms, the person's own form shows as stored.
    form = form or _edit_form(request, person, bound=False)
    grant = grant or role_views.grant_form(request, person)
    today = timezone.localdate()
    assignments = [
        {
            "assignment": a,
            "scope": role_grants.scope_label(a),
            "in_force": is_in_force(a, today),
            "ended": a.ends_on is not None and a.ends_on <= today,
            "errors": (end_errors or {}).get(a.pk, []),
        }
        for a in person.role_assignments.all()
    ]
    failed = (form.is_bound and form.errors) or (grant.is_bound and grant.errors) or end_errors
    return render(
        request,
        "accounts/person_form.html",
        {
            "form": form,
            "heading": _("Ändra %(name)s") % {"name": person},
            "person": person,
            "grant": grant,
            "assignments": assignments,
            "role_section": True,
        },
        status=400 if failed else 200,
    )


@login_required
def person_edit(request, pk: int):
    person = role_views.person_to_change(request, pk)
    form = _edit_form(request, person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(form, lambda: people.person_update(actor=request.user, person=person, **data)):
            messages.success(request, _("Ändringarna för %(name)s är sparade.") % {"name": person})
            return redirect("people:list")
    return person_page(request, person, form=form)
