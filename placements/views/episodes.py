"""Placements (SSDA903 episodes): starting one through the guard, ending one, the list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.exports import csv_response
from core.pages import (
    add_service_errors,
    form_page,
    handle_form,
    paginate,
    posted,
    require_role,
    wants_csv,
)

from .. import rules, selectors, services
from ..access import log_access
from ..filters import PlacementFilter
from ..forms import PlacementEndForm, PlacementStartForm
from ..models import AccessLog
from .roles import CHILD_LIST_ROLES, PLACING_ROLES


def placement_start(request, pk: int):
    require_role(request.user, PLACING_ROLES)
    child = selectors.child_for(request.user, pk)
    form = PlacementStartForm(posted(request), user=request.user)
    refusals = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.placement_start(
                child=child,
                setting=data["setting"],
                start=data["decom"],
                start_time=data["start_time"],
                episode=services.EpisodeCodes.from_form(data),
                reason_place_change=data["reason_place_change"],
                home_post=data["home_post"].upper(),
                permanent=data["permanent"] or None,
                connected_person_temporary=data["connected_person_temporary"],
                placed_with_parent_pre_assessment=data["placed_with_parent_pre_assessment"],
                override_reason=data.get("override_reason", ""),
                director_authorisation=data.get("director_authorisation", False),
                actor=request.user,
            )
        except services.PlacementRefused as refused:
            refusals = refused.refusals
            for refusal in refusals:
                form.add_error("setting", refusal.message)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Placement started.")
            return redirect("placements:child", pk=child.pk)
    return render(
        request,
        "placements/placement_start.html",
        {
            "child": child,
            "form": form,
            "refusals": refusals,
            # Whether this user may lift every refusal given (with a reason): the
            # Director's authorisation of an unregistered setting is a box of its own.
            "can_override": bool(refusals)
            and all(
                services.may_override(request.user, refusal)
                or (
                    refusal.code == rules.UNREGISTERED_NEEDS_DIRECTOR
                    and request.user.role == Role.DIRECTOR
                )
                for refusal in refusals
            ),
        },
    )


def placement_end(request, pk: int):
    require_role(request.user, PLACING_ROLES)
    placement = get_object_or_404(
        selectors.placements_visible_to(request.user).select_related("child", "setting"),
        pk=pk,
        dec__isnull=True,
    )
    back = reverse("placements:child", kwargs={"pk": placement.child_id})
    return handle_form(
        request,
        PlacementEndForm(posted(request)),
        lambda data: services.placement_end(
            placement=placement,
            end=data["dec"],
            rec=data["rec"],
            reason_place_change=data["reason_place_change"],
            actor=request.user,
        ),
        done="Placement ended.",
        to=back,
        page=lambda form: form_page(
            request,
            form,
            heading="End this placement",
            caption=f"{placement.child.name}, placement from {placement.decom:%d/%m/%Y}",
            back_url=back,
        ),
    )


def placement_list(request):
    require_role(request.user, CHILD_LIST_ROLES)
    filterset = PlacementFilter(
        request.GET or None, queryset=selectors.placements_list(request.user)
    )
    placements = filterset.qs.order_by("-decom", "pk")
    if wants_csv(request):
        log_access(request, AccessLog.Action.EXPORT, detail="Placements list CSV")
        return csv_response(
            f"placements-{timezone.localdate():%Y-%m-%d}.csv",
            [
                "child",
                "name",
                "team",
                "social_worker",
                "setting",
                "urn",
                "provision_type",
                "rating",
                "decom",
                "dec",
                "rne",
                "ls",
                "cin",
                "place",
                "place_provider",
                "rec",
                "reason_place_change",
            ],
            placements.iterator(chunk_size=2000),
            lambda p: [
                p.child.child_id,
                p.child.name,
                p.child.team or "",
                p.child.social_worker or "",
                p.setting.name if p.setting else "",
                p.urn,
                p.setting.get_provision_type_display() if p.setting else "",
                p.setting.get_current_rating_display() if p.setting else "",
                p.decom.isoformat(),
                p.dec.isoformat() if p.dec else "",
                p.rne,
                p.ls,
                p.cin,
                p.place,
                p.place_provider,
                p.rec,
                p.reason_place_change,
            ],
        )
    page, query = paginate(request, placements)
    return render(
        request,
        "placements/placement_list.html",
        {"filter": filterset, "page": page, "query": query},
    )
