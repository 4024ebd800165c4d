"""Concerns about a provision and its concern level.

Anyone may record a concern about a setting (about a child only if they may see the
child); the roles in concerns.CONCERN_CLOSE_ROLES close concerns. Managers and
commissioning propose a level (governance.PROPOSE_ROLES); only the assistant director or
the director decide it (governance.DECIDE_ROLES). The list for the next governance review
is read by both and by the LADO (governance.GOVERNANCE_READ_ROLES).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.pages import form_page, handle_form, posted, require_role
from placements import selectors as register

from .. import concerns, governance, selectors
from ..forms import (
    ConcernCloseForm,
    ConcernForm,
    ConcernLevelForm,
    ConcernLevelProposalForm,
)
from ..models import Concern, ConcernLevelChange, ConcernLevelProposal, GovernanceItem
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
        request.user.role in concerns.CONCERN_CLOSE_ROLES and concern.status == Concern.Status.OPEN
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
    """The assistant director's or director's decision, with what awaits one above it."""
    require_role(request.user, governance.DECIDE_ROLES)
    setting = register.setting_for(request.user, setting_pk)
    return handle_form(
        request,
        ConcernLevelForm(posted(request), initial={"level": setting.concern_level}),
        lambda data: governance.level_decide(
            setting=setting, actor=request.user, today=timezone.localdate(), **data
        ),
        done="Decision recorded.",
        to=_setting_url(setting.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Decide the concern level",
            caption=f"{setting.name}: now {setting.get_concern_level_display()}",
            back_url=_setting_url(setting.pk),
            template="escalations/level_decide.html",
            proposals=governance.open_proposals(setting),
            items=governance.pending_items(setting),
        ),
    )


def level_propose(request, setting_pk: int):
    require_role(request.user, governance.PROPOSE_ROLES)
    setting = register.setting_for(request.user, setting_pk)
    return handle_form(
        request,
        ConcernLevelProposalForm(posted(request)),
        lambda data: governance.level_propose(setting=setting, actor=request.user, **data),
        done="Proposal recorded. The assistant director and director have been told.",
        to=_setting_url(setting.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Propose a concern level",
            caption=f"{setting.name}: now {setting.get_concern_level_display()}",
            back_url=_setting_url(setting.pk),
        ),
    )


def level_history(request, setting_pk: int):
    setting = register.setting_for(request.user, setting_pk)
    changes = ConcernLevelChange.objects.filter(setting=setting).select_related(
        "set_by", "decided_by", "inspection"
    )
    return render(
        request,
        "escalations/level_history.html",
        {
            "setting": setting,
            "changes": changes,
            "proposals": setting.concern_level_proposals.select_related(
                "proposed_by", "decision__decided_by"
            ),
        },
    )


def governance_review(request):
    """The homes for the next governance review: matters waiting and open proposals."""
    require_role(request.user, governance.GOVERNANCE_READ_ROLES)
    items = GovernanceItem.objects.filter(status=GovernanceItem.Status.PENDING).select_related(
        "setting"
    )
    proposals = ConcernLevelProposal.objects.filter(
        status=ConcernLevelProposal.Status.OPEN
    ).select_related("setting", "proposed_by")
    return render(
        request,
        "escalations/governance_review.html",
        {
            "items": items,
            "proposals": proposals,
            "can_decide": request.user.role in governance.DECIDE_ROLES,
        },
    )
