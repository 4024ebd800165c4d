"""A child coming into care, registered with their first placement; concerns recorded
about an unregistered placement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.pages import add_service_errors, form_page, handle_form, posted, require_role

from .. import selectors, services
from ..admission_forms import ChildRegisterForm, PlacementConcernForm


def child_register(request):
    """Register a child coming into care (social workers and team managers): the child,
    their legal status and first placement, through the placement guard; nothing is
    saved unless all of it is."""
    require_role(request.user, services.REGISTERING_ROLES)
    form = ChildRegisterForm(posted(request))
    refusals = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement = services.child_register(
                actor=request.user,
                child_fields=form.child_fields(),
                setting=data["setting"],
                start=data["decom"],
                start_time=data["start_time"],
                episode=services.EpisodeCodes.from_form(data),
                home_post=data["home_post"].upper(),
                permanent=data["permanent"] or None,
                connected_person_temporary=data["connected_person_temporary"],
                placed_with_parent_pre_assessment=data["placed_with_parent_pre_assessment"],
            )
        except services.PlacementRefused as refused:
            refusals = refused.refusals
            for refusal in refusals:
                form.add_error("setting", refusal.message)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            child = placement.child
            messages.success(
                request, f"{child.name} registered, placed from {placement.decom:%d/%m/%Y}."
            )
            return redirect("placements:child", pk=child.pk)
    return render(
        request,
        "placements/child_register.html",
        {
            "form": form,
            "heading": "Register a child coming into care",
            "back_url": reverse("placements:children"),
            "refusals": refusals,
        },
    )


def placement_concern_create(request, pk: int):
    """Concerns about an unregistered placement (the IRO, the social worker or personal
    adviser, the team manager): the IRO's visit falls due 2 weeks after the start."""
    require_role(request.user, services.CONCERN_ROLES)
    placement = get_object_or_404(
        selectors.placements_visible_to(request.user).select_related("child", "setting"), pk=pk
    )
    if not placement.is_unregistered:
        raise Http404("No such placement")
    back = reverse("placements:child", kwargs={"pk": placement.child_id})
    where = placement.setting.name if placement.setting else placement.get_place_display()
    return handle_form(
        request,
        PlacementConcernForm(posted(request)),
        lambda data: services.placement_concern_record(
            placement=placement, note=data["note"], actor=request.user
        ),
        done="Concerns recorded. The IRO's visit is now due within 2 weeks of the placement "
        "starting.",
        to=back,
        page=lambda form: form_page(
            request,
            form,
            heading="Record concerns about this placement",
            caption=f"{placement.child.name}, {where} from {placement.decom:%d/%m/%Y}",
            back_url=back,
            template="placements/placement_concern.html",
            concerns=placement.concerns.select_related("recorded_by"),
        ),
    )
