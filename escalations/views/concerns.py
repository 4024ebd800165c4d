"""Concerns about a provision and its concern level.

Anyone may record a concern about a setting (about a child only if they may see the
child); the roles in concerns.CONCERN_LEVEL_ROLES set the level and close concerns.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.pages import add_service_errors, form_page, posted, require_role
from placements import selectors

from .. import concerns
from ..forms import (
    ConcernCloseForm,
    ConcernForm,
    ConcernLevelForm,
)
from ..models import Concern, ConcernLevelChange
from .common import _setting, _setting_url

# Concerns ---------------------------------------------------------------------------------


def concern_create(request, setting_pk: int):
    setting = _setting(request, setting_pk)
    today = timezone.localdate()
    children = selectors.children_visible_to(request.user).filter(
        pk__in=selectors.setting_children_now(request.user, setting, today).values("child_id")
    )
    form = ConcernForm(
        posted(request),
        children=children.order_by("last_name", "first_name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            concerns.concern_record(setting=setting, actor=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Concern recorded. The managers responsible have been told.")
            return redirect("placements:setting", pk=setting.pk)
    return form_page(
        request,
        form,
        heading="Record a concern about this setting",
        caption=setting.name,
        back_url=_setting_url(setting.pk),
    )


def _concern_for(request, pk: int) -> Concern:
    """One query scoped like the child: a hidden concern and a missing one look the same."""
    visible = Concern.objects.filter(
        Q(child__isnull=True) | selectors.child_visibility(request.user, prefix="child__")
    )
    return get_object_or_404(visible.select_related("setting", "child", "recorded_by"), pk=pk)


def concern_detail(request, pk: int):
    concern = _concern_for(request, pk)
    can_close = (
        request.user.role in concerns.CONCERN_LEVEL_ROLES and concern.status == Concern.Status.OPEN
    )
    form = ConcernCloseForm(posted(request)) if can_close else None
    if request.method == "POST":
        if not can_close:
            raise PermissionDenied
        if form.is_valid():
            try:
                concerns.concern_close(
                    concern=concern,
                    reason=form.cleaned_data["closed_reason"],
                    actor=request.user,
                    today=timezone.localdate(),
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, "Concern closed.")
                return redirect("concerns:concern", pk=concern.pk)
    return render(request, "escalations/concern_detail.html", {"concern": concern, "form": form})


# Concern level ----------------------------------------------------------------------------


def level_set(request, setting_pk: int):
    require_role(request.user, concerns.CONCERN_LEVEL_ROLES)
    setting = _setting(request, setting_pk)
    form = ConcernLevelForm(posted(request), initial={"level": setting.concern_level})
    if request.method == "POST" and form.is_valid():
        try:
            concerns.concern_level_set(setting=setting, actor=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Concern level set.")
            return redirect("placements:setting", pk=setting.pk)
    return form_page(
        request,
        form,
        heading="Set the concern level",
        caption=f"{setting.name}: now {setting.get_concern_level_display()}",
        back_url=_setting_url(setting.pk),
    )


def level_history(request, setting_pk: int):
    setting = _setting(request, setting_pk)
    changes = ConcernLevelChange.objects.filter(setting=setting).select_related(
        "set_by", "inspection"
    )
    return render(
        request,
        "escalations/level_history.html",
        {"setting": setting, "changes": changes},
    )
