"""Allegations against a member of staff, carer or volunteer in the browser: the list (the
LADO service's, and each professional's own), recording one, the allegation, its referral to
the LADO and the LADO's outcome.

The role first (403), then the record among those the user may read (404).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.pages import form_page, handle_form, paginate, posted, require_role
from duties.models import Duty
from placements.selectors import child_for, current_placements_prefetch, setting_for

from .. import pages, selectors, services
from ..forms import AllegationForm, OutcomeForm, ReferralForm

#: The list's filters: (value, label, lookups).
STATUSES = {
    "referral": ("Referral not recorded", {"referred_at__isnull": True}),
    "outcome": ("Awaiting the LADO's outcome", {"referred_at__isnull": False, "outcome": ""}),
    "closed": ("Outcome recorded", {"referred_at__isnull": False, "outcome__gt": ""}),
}


def _url(pk: int) -> str:
    return reverse("incidents:allegation", kwargs={"pk": pk})


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name)
    if value is None:
        return None
    if not value.isdigit() or len(value) > 12:
        raise Http404(f"No such {name}")
    return int(value)


def allegation_list(request):
    user = request.user
    require_role(user, selectors.READ_ROLES)
    rows = selectors.allegation_list(user)
    status = request.GET.get("status", "")
    if status in STATUSES:
        rows = rows.filter(**STATUSES[status][1])
    else:
        status = ""
    page, query = paginate(request, rows)
    return render(
        request,
        "incidents/allegation_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": [(value, label) for value, (label, _) in STATUSES.items()],
        },
    )


def allegation_create(request):
    """``?setting=<pk>`` or ``?child=<pk>`` names what it is about (and offers the children
    placed at the setting, or names the child); 404 for a child the user may not see."""
    user = request.user
    require_role(user, selectors.READ_ROLES)
    setting_pk, child_pk = _int_param(request, "setting"), _int_param(request, "child")
    setting = setting_for(user, setting_pk) if setting_pk is not None else None
    child = child_for(user, child_pk) if child_pk is not None else None
    today = timezone.localdate()
    children = None
    initial: dict = {}
    if child is not None:
        children = type(child).objects.filter(pk=child.pk)
        initial["children"] = [child.pk]
        placed = (
            type(child)
            .objects.filter(pk=child.pk)
            .prefetch_related(current_placements_prefetch(today))
            .first()
        )
        current = placed.current_placements[0] if placed.current_placements else None
        if setting is None and current is not None and current.setting_id:
            initial["setting"] = current.setting_id
    elif setting is not None:
        children = services.choosable_children(user, setting, today).order_by(
            "last_name", "first_name"
        )
    if setting is not None:
        initial["setting"] = setting.pk
    back = (
        reverse("placements:child", kwargs={"pk": child.pk})
        if child is not None
        else reverse("placements:setting", kwargs={"pk": setting.pk})
        if setting is not None
        else reverse("incidents:allegations")
    )
    return handle_form(
        request,
        AllegationForm(posted(request), children=children, initial=initial),
        lambda data: services.allegation_record(
            subject_name=data["subject_name"],
            subject_role=data["subject_role"],
            setting=data["setting"],
            children=data.get("children") or (),
            allegation=data["allegation"],
            known_on=data["known_on"],
            known_time=data["known_time"],
            made_by=data["made_by"],
            actor=user,
        ),
        done=lambda made: (
            "Allegation recorded. Refer it to the LADO within 24 hours of it becoming known, "
            "then record the referral here."
        ),
        to=lambda made: _url(made.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Record an allegation against a member of staff, carer or volunteer",
            caption=child.name if child is not None else (setting.name if setting else ""),
            back_url=back,
            template="incidents/allegation_form.html",
            children_offered=children is not None,
        ),
    )


def allegation_detail(request, pk: int):
    user = request.user
    require_role(user, selectors.READ_ROLES)
    allegation = selectors.allegation_for(user, pk)
    children = list(selectors.children_prefetch(user).queryset.filter(allegations=allegation))
    return render(
        request,
        "incidents/allegation_detail.html",
        {
            "allegation": allegation,
            "children": children,
            "duty": Duty.objects.filter(subject=services.allegation_subject(allegation))
            .order_by("-pk")
            .first(),
            "now": timezone.now(),
            "can_refer": services.may_record_referral(user, allegation),
            "can_outcome": user.role in services.OUTCOME_ROLES,
            "links": pages.allegation_links(user, allegation),
        },
    )


def allegation_referral(request, pk: int):
    user = request.user
    require_role(user, selectors.READ_ROLES)
    allegation = selectors.allegation_for(user, pk)
    if not services.may_record_referral(user, allegation):
        raise PermissionDenied
    if allegation.referred_at is not None:
        messages.info(request, "The referral to the LADO is already recorded.")
        return redirect(_url(allegation.pk))
    return handle_form(
        request,
        ReferralForm(posted(request)),
        lambda data: services.allegation_referral(
            allegation=allegation,
            referred_on=data["referred_on"],
            referred_time=data["referred_time"],
            method=data["method"],
            notes=data["notes"],
            actor=user,
        ),
        done="The referral to the LADO is recorded.",
        to=_url(allegation.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Record the referral to the LADO",
            caption=f"Allegation {allegation.pk}",
            back_url=_url(allegation.pk),
        ),
    )


def allegation_outcome(request, pk: int):
    user = request.user
    require_role(user, services.OUTCOME_ROLES)
    allegation = selectors.allegation_for(user, pk)
    if allegation.outcome:
        messages.info(request, "The outcome is already recorded.")
        return redirect(_url(allegation.pk))
    return handle_form(
        request,
        OutcomeForm(posted(request)),
        lambda data: services.allegation_outcome(
            allegation=allegation,
            outcome=data["outcome"],
            outcome_on=data["outcome_on"],
            notes=data["notes"],
            actor=user,
        ),
        done="The LADO's outcome is recorded.",
        to=_url(allegation.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Record the LADO's outcome",
            caption=f"Allegation {allegation.pk}",
            back_url=_url(allegation.pk),
            template="incidents/outcome_form.html",
            allegation=allegation,
        ),
    )
