from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.models import CASEWORKER_ROLES, MANAGER_ROLES, Role
from core.exports import csv_response, pdf_response
from core.pages import add_service_errors, form_page, posted
from escalations.concerns import concern_section_flags, setting_concern_context
from visits.count_cache import CountCache

from . import codes, selectors, services
from .filters import ChildFilter, PlacementFilter, SettingFilter
from .forms import AllocationForm, InspectionForm, PlacementEndForm, PlacementStartForm, SettingForm
from .models import AccessLog, Child, Placement, Provider, ProvisionType, Rating

PAGE_SIZE = 50
PLACING_ROLES = (
    CASEWORKER_ROLES
    | MANAGER_ROLES
    | {
        Role.COMMISSIONING_OFFICER,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
    }
)
ALLOCATING_ROLES = MANAGER_ROLES | {Role.ASSISTANT_DIRECTOR, Role.DIRECTOR}
REGISTER_ROLES = frozenset({Role.COMMISSIONING_OFFICER})
CHILD_LIST_ROLES = CASEWORKER_ROLES | MANAGER_ROLES | selectors.SEE_ALL_ROLES | {Role.IRO}


def require_role(user, roles) -> None:
    if user.role not in roles:
        raise PermissionDenied


def log_access(request, action: str, child: Child | None = None, detail: str = "") -> None:
    AccessLog.objects.create(
        user=request.user,
        action=action,
        child=child,
        path=request.get_full_path()[:500],
        detail=detail[:300],
    )


class CountedPaginator(Paginator):
    """A paginator told its count (from visits.count_cache), so that it does not run a
    COUNT(*) over the whole list on every page."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def paginate(request, queryset, count: int | None = None):
    """A page of ``queryset``; ``count``, when known, saves the paginator its COUNT(*)."""
    paginator = (
        Paginator(queryset, PAGE_SIZE)
        if count is None
        else CountedPaginator(queryset, PAGE_SIZE, count=count)
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


def rating_label(value) -> str:
    return Rating(value).label if value in Rating.values else ""


def provision_label(value) -> str:
    return ProvisionType(value).label if value in ProvisionType.values else ""


# Children -----------------------------------------------------------------


def child_list(request):
    require_role(request.user, CHILD_LIST_ROLES)
    today = timezone.localdate()
    filterset = ChildFilter(
        request.GET or None, queryset=selectors.children_list(request.user, today)
    )
    children = filterset.qs.order_by("last_name", "first_name", "pk")
    if wants_csv(request):
        log_access(request, AccessLog.Action.EXPORT, detail="Children list CSV")
        return csv_response(
            f"children-{today:%Y-%m-%d}.csv",
            [
                "child",
                "name",
                "date_of_birth",
                "age",
                "team",
                "social_worker",
                "iro",
                "setting",
                "urn",
                "provision_type",
                "rating",
                "placed_since",
                "legal_status",
            ],
            children.iterator(chunk_size=2000),
            lambda c: [
                c.child_id,
                c.name,
                c.date_of_birth.isoformat(),
                c.age_on(today),
                c.team or "",
                c.social_worker or "",
                c.iro or "",
                c.current_setting_name or "",
                c.current_setting_urn or "",
                provision_label(c.current_provision_type),
                rating_label(c.current_rating),
                c.current_decom.isoformat() if c.current_decom else "",
                c.current_ls or "",
            ],
        )
    page, query = paginate(request, children)
    return render(
        request,
        "placements/child_list.html",
        {"filter": filterset, "page": page, "query": query, "today": today},
    )


def _legal_status_history(placements: list[Placement]) -> list[dict]:
    """Periods of one legal status, from the episodes (a change of LS starts a new episode)."""
    periods: list[dict] = []
    for placement in placements:
        if periods and periods[-1]["code"] == placement.ls:
            periods[-1]["to"] = placement.dec
            continue
        periods.append(
            {
                "code": placement.ls,
                "label": codes.LS.get(placement.ls, placement.ls),
                "from": placement.decom,
                "to": placement.dec,
            }
        )
    return periods


def _child_context(request, pk: int) -> dict:
    child = selectors.child_for(request.user, pk)
    if child.restricted:
        log_access(request, AccessLog.Action.VIEW_RESTRICTED, child=child)
    today = timezone.localdate()
    placements = list(
        child.placements.select_related(
            "setting", "setting__provider", "guard_override_by", "director_authorised_by"
        ).order_by("decom", "pk")
    )
    current = next((p for p in reversed(placements) if p.is_current(today)), None)
    return {
        "child": child,
        "age": child.age_on(today),
        "today": today,
        "current": current,
        "placements": placements,
        "timeline": list(reversed(placements)),
        "legal_statuses": _legal_status_history(placements),
        "can_place": request.user.role in PLACING_ROLES,
        "can_allocate": request.user.role in ALLOCATING_ROLES,
    }


def child_detail(request, pk: int):
    require_role(request.user, CHILD_LIST_ROLES)
    return render(request, "placements/child_detail.html", _child_context(request, pk))


def child_pdf(request, pk: int):
    require_role(request.user, CHILD_LIST_ROLES)
    context = _child_context(request, pk)
    context["printed_at"] = timezone.localtime()
    context["printed_by"] = request.user
    return pdf_response(
        request,
        "placements/child_record_pdf.html",
        context,
        f"child-{context['child'].child_id}.pdf",
    )


def child_allocate(request, pk: int):
    require_role(request.user, ALLOCATING_ROLES)
    child = selectors.child_for(request.user, pk)
    form = AllocationForm(posted(request), instance=child)
    if request.method == "POST" and form.is_valid():
        services.child_allocate(
            child=child,
            actor=request.user,
            social_worker=form.cleaned_data["social_worker"],
            iro=form.cleaned_data["iro"],
            restricted=form.cleaned_data["restricted"],
        )
        messages.success(request, "Allocation saved.")
        return redirect("placements:child", pk=child.pk)
    return form_page(
        request,
        form,
        heading="Change allocation",
        caption=child.name,
        back_url=reverse("placements:child", kwargs={"pk": child.pk}),
    )


# Placements ---------------------------------------------------------------


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
                episode=services.EpisodeCodes(
                    rne=data["rne"],
                    ls=data["ls"],
                    cin=data["cin"],
                    place=data["place"],
                    place_provider=data["place_provider"],
                ),
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
            "can_override": request.user.role in services.OVERRIDE_ROLES,
        },
    )


def placement_end(request, pk: int):
    require_role(request.user, PLACING_ROLES)
    placement = get_object_or_404(
        selectors.placements_visible_to(request.user).select_related("child", "setting"),
        pk=pk,
        dec__isnull=True,
    )
    form = PlacementEndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_end(
                placement=placement,
                end=form.cleaned_data["dec"],
                rec=form.cleaned_data["rec"],
                reason_place_change=form.cleaned_data["reason_place_change"],
                actor=request.user,
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Placement ended.")
            return redirect("placements:child", pk=placement.child_id)
    return form_page(
        request,
        form,
        heading="End this placement",
        caption=f"{placement.child.name}, placement from {placement.decom:%d/%m/%Y}",
        back_url=reverse("placements:child", kwargs={"pk": placement.child_id}),
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


# Settings -----------------------------------------------------------------


def setting_list(request):
    today = timezone.localdate()
    filterset = SettingFilter(
        request.GET or None, queryset=selectors.settings_list(request.user, today)
    )
    found = filterset.qs.order_by("name", "pk")
    if wants_csv(request):
        log_access(request, AccessLog.Action.EXPORT, detail="Settings list CSV")
        return csv_response(
            f"settings-{today:%Y-%m-%d}.csv",
            [
                "urn",
                "name",
                "provider",
                "provision_type",
                "regulator",
                "registration_status",
                "rating",
                "rating_date",
                "town",
                "postcode",
                "local_authority",
                "places",
                "children_placed",
                "referrals_suspended",
            ],
            found.iterator(chunk_size=2000),
            lambda s: [
                s.urn or "",
                s.name,
                s.provider.name,
                s.get_provision_type_display(),
                s.get_regulator_display(),
                s.get_registration_status_display(),
                s.get_current_rating_display(),
                s.current_rating_date.isoformat() if s.current_rating_date else "",
                s.town,
                s.postcode,
                s.local_authority,
                s.places if s.places is not None else "",
                s.placed_now,
                "yes" if s.referrals_suspended else "no",
            ],
        )
    page, query = paginate(request, found)
    return render(
        request,
        "placements/setting_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "can_edit": request.user.role in REGISTER_ROLES,
        },
    )


def setting_detail(request, pk: int):
    today = timezone.localdate()
    setting = get_object_or_404(
        selectors.settings_visible_to(request.user)
        .select_related("provider")
        .annotate(**concern_section_flags()),
        pk=pk,
    )
    # A fostering service can hold thousands of children: a page at a time (PAGE_SIZE).
    # The list (the children placed, how many, and how many of them this user may see) is
    # rendered and kept by visits.count_cache until a placement, child, member of staff or
    # setting changes.
    cached = CountCache()

    def placed_children():
        placed = selectors.setting_children_now(request.user, setting, today)
        current = Q(decom__lte=today) & (Q(dec__isnull=True) | Q(dec__gt=today))
        # Both counts are kept on their own as well: the next page of the list reuses them.
        placed_total, placed_visible = cached.get(
            ("setting_placed", setting.pk, request.user.pk, today),
            lambda: tuple(
                setting.placements.aggregate(
                    total=Count("pk", filter=current),
                    visible=Count("pk", filter=current & Q(pk__in=placed.order_by().values("pk"))),
                ).values()
            ),
        )
        placed_page, placed_query = paginate(request, placed, count=placed_visible)
        return {
            "placed_page": placed_page,
            "placed_query": placed_query,
            "placed_total": placed_total,
        }, None

    placed_html, placed = cached.fragment(
        ("setting-placed", setting.pk, request.user.pk, today, request.GET.get("page")),
        "placements/_setting_placed.html",
        placed_children,
    )
    return render(
        request,
        "placements/setting_detail.html",
        {
            "setting": setting,
            "inspections": setting.inspections.select_related("recorded_by"),
            **placed,
            "placed_html": placed_html,
            "today": today,
            "can_edit": request.user.role in REGISTER_ROLES,
            # Concerns, risk assessments, letters, plans (those there are) and what is due.
            **setting_concern_context(request.user, setting),
        },
    )


@transaction.atomic
def _save_setting(request, form):
    """A new provider and its setting are saved together or not at all."""
    data = form.cleaned_data
    instance = form.save(commit=False)
    if not data.get("provider"):
        instance.provider, _ = Provider.objects.get_or_create(name=data["new_provider"].strip())
    services.setting_save(setting=instance, actor=request.user, reason="Edited in the register")
    return instance


def setting_create(request):
    require_role(request.user, REGISTER_ROLES)
    form = SettingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        setting = _save_setting(request, form)
        messages.success(request, f"{setting.name} added to the register.")
        return redirect("placements:setting", pk=setting.pk)
    return form_page(
        request, form, heading="Add a setting", back_url=reverse("placements:settings")
    )


def setting_edit(request, pk: int):
    require_role(request.user, REGISTER_ROLES)
    setting = get_object_or_404(selectors.settings_visible_to(request.user), pk=pk)
    form = SettingForm(posted(request), instance=setting)
    if request.method == "POST" and form.is_valid():
        _save_setting(request, form)
        messages.success(request, "Setting saved.")
        return redirect("placements:setting", pk=setting.pk)
    return form_page(
        request,
        form,
        heading="Edit setting",
        caption=setting.name,
        back_url=reverse("placements:setting", kwargs={"pk": setting.pk}),
    )


def inspection_create(request, pk: int):
    require_role(request.user, REGISTER_ROLES)
    setting = get_object_or_404(selectors.settings_visible_to(request.user), pk=pk)
    form = InspectionForm(posted(request), setting=setting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = services.inspection_record(
            setting=setting,
            inspection_date=data["inspection_date"],
            overall_judgement=data["overall_judgement"],
            event_type=data["event_type"],
            publication_date=data.get("publication_date"),
            recorded_on=timezone.localdate(),
            actor=request.user,
        )
        label = result.inspection.get_overall_judgement_display()
        note = " This is a downgrade." if result.downgrade else ""
        messages.success(request, f"Judgement recorded: {label}.{note}")
        return redirect(reverse("placements:setting", kwargs={"pk": setting.pk}))
    return form_page(
        request,
        form,
        heading="Record an Ofsted judgement",
        caption=setting.name,
        back_url=reverse("placements:setting", kwargs={"pk": setting.pk}),
    )
