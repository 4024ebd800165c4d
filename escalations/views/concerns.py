"""Concerns about a provision and its concern level.

Anyone may record a concern about a setting (about a child only if they may see the
child); the roles in concerns.CONCERN_LEVEL_ROLES set the level and close concerns.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.pages import form_page, handle_form, posted, require_role
from placements import selectors as register

from .. import concerns, selectors
from ..forms import (
    ConcernCloseForm,
    ConcernForm,
    ConcernLevelForm,
)
from ..models import Concern, ConcernLevelChange
from .common import _setting_url

# Concerns ---------------------------------------------------------------------------------


def concern_create(request, setting_pk: int):
    setting = register.setting_for(request.user, setting_pk)
    today = timezone.localdate()
    children = register.children_visible_to(request.user).filter(
        pk__in=register.setting_children_now(request.user, setting, today).values("child_id")
    )
    return handle_form(
        request,
        ConcernForm(posted(request), children=children.order_by("last_name", "first_name")),
        lambda data: concerns.concern_record(setting=setting, actor=request.user, **data),
        done="Concern recorded. The managers responsible have been told.",
        to=_setting_url(setting.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Record a concern about this setting",
            caption=setting.name,
            back_url=_setting_url(setting.pk),
        ),
    )


def concern_detail(request, pk: int):
    concern = selectors.concern_for(request.user, pk)
    can_close = (
        request.user.role in concerns.CONCERN_LEVEL_ROLES and concern.status == Concern.Status.OPEN
    )

    def page(form):
        return render(
            request, "escalations/concern_detail.html", {"concern": concern, "form": form}
        )

    if not can_close:
        if request.method == "POST":
            raise PermissionDenied
        return page(None)
    return handle_form(
        request,
        ConcernCloseForm(posted(request)),
        lambda data: concerns.concern_close(
            concern=concern,
            reason=data["closed_reason"],
            actor=request.user,
            today=timezone.localdate(),
        ),
        done="Concern closed.",
        to=reverse("concerns:concern", kwargs={"pk": concern.pk}),
        page=page,
    )


# Concern level ----------------------------------------------------------------------------


def level_set(request, setting_pk: int):
    require_role(request.user, concerns.CONCERN_LEVEL_ROLES)
    setting = register.setting_for(request.user, setting_pk)
    return handle_form(
        request,
        ConcernLevelForm(posted(request), initial={"level": setting.concern_level}),
        lambda data: concerns.concern_level_set(setting=setting, actor=request.user, **data),
        done="Concern level set.",
        to=_setting_url(setting.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Set the concern level",
            caption=f"{setting.name}: now {setting.get_concern_level_display()}",
            back_url=_setting_url(setting.pk),
        ),
    )


def level_history(request, setting_pk: int):
    setting = register.setting_for(request.user, setting_pk)
    changes = ConcernLevelChange.objects.filter(setting=setting).select_related(
        "set_by", "inspection"
    )
    return render(
        request,
        "escalations/level_history.html",
        {"setting": setting, "changes": changes},
    )
