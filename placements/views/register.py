"""The provider register: settings, a setting's page, and recording Ofsted judgements."""

from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from core.count_cache import CountCache
from core.exports import csv_response
from core.pages import form_page, handle_form, paginate, posted, require_role, wants_csv

from .. import pages, selectors, services
from ..access import log_access
from ..filters import SettingFilter
from ..forms import InspectionForm, SettingForm
from ..models import AccessLog, Provider
from .roles import REGISTER_ROLES


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
        .annotate(**pages.setting_annotations()),
        pk=pk,
    )
    # A fostering service can hold thousands of children: a page at a time (PAGE_SIZE).
    # The list (the children placed, how many, and how many of them this user may see) is
    # rendered and kept by core.count_cache until a placement, child, member of staff or
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
    sections, section_context = pages.setting_sections(request.user, setting)
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
            # What the workflows add: concerns, risk assessments, letters, plans and what
            # is due (placements.pages).
            "actions": pages.setting_actions(request.user, setting),
            "sections": sections,
            **section_context,
        },
    )


def _setting_url(setting) -> str:
    return reverse("placements:setting", kwargs={"pk": setting.pk})


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
    return handle_form(
        request,
        form,
        lambda data: _save_setting(request, form),
        done=lambda setting: f"{setting.name} added to the register.",
        to=_setting_url,
        page=lambda form: form_page(
            request, form, heading="Add a setting", back_url=reverse("placements:settings")
        ),
    )


def setting_edit(request, pk: int):
    require_role(request.user, REGISTER_ROLES)
    setting = get_object_or_404(selectors.settings_visible_to(request.user), pk=pk)
    form = SettingForm(posted(request), instance=setting)
    return handle_form(
        request,
        form,
        lambda data: _save_setting(request, form),
        done="Setting saved.",
        to=_setting_url(setting),
        page=lambda form: form_page(
            request,
            form,
            heading="Edit setting",
            caption=setting.name,
            back_url=_setting_url(setting),
        ),
    )


def _judgement_recorded(result) -> str:
    label = result.inspection.get_overall_judgement_display()
    note = " This is a downgrade." if result.downgrade else ""
    return f"Judgement recorded: {label}.{note}"


def inspection_create(request, pk: int):
    require_role(request.user, REGISTER_ROLES)
    setting = get_object_or_404(selectors.settings_visible_to(request.user), pk=pk)
    return handle_form(
        request,
        InspectionForm(posted(request), setting=setting),
        lambda data: services.inspection_record(
            setting=setting,
            inspection_date=data["inspection_date"],
            overall_judgement=data["overall_judgement"],
            event_type=data["event_type"],
            publication_date=data.get("publication_date"),
            recorded_on=timezone.localdate(),
            actor=request.user,
        ),
        done=_judgement_recorded,
        to=_setting_url(setting),
        page=lambda form: form_page(
            request,
            form,
            heading="Record an Ofsted judgement",
            caption=setting.name,
            back_url=_setting_url(setting),
        ),
    )
