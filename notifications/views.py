"""The inbox and the person's choices: each person sees and changes only their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import PreferencesForm
from .models import Notification

PAGE_SIZE = 50


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk: int):
    try:
        notification = services.mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    # "Öppna" marks it read and goes on to the page it is about.
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, _("%(count)s aviseringar markerade som lästa.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, initial_modes=selectors.preferences(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, modes=form.cleaned_data)
        messages.success(request, _("Dina val för aviseringar är sparade."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
