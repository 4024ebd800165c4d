"""The pages of escalations, grouped by prefix: IRO escalations and Ofsted notices
(names are escalations:…), and a setting's concerns, letters and action plans
(``concern_patterns``, names are concerns:…, included by config.urls)."""

from django.urls import path

from .views import concerns, iro, letters, notices

app_name = "escalations"

urlpatterns = [
    path("settings/<int:pk>/notices/new/", notices.notice_create, name="notice_create"),
    # IRO escalations (escalations/iro.py)
    path("escalations/", iro.escalation_list, name="iro_escalations"),
    path(
        "children/<int:child_pk>/escalations/new/",
        iro.escalation_create,
        name="iro_escalation_create",
    ),
    path("escalations/<int:pk>/", iro.escalation_detail, name="iro_escalation"),
    path("escalations/<int:pk>/advance/", iro.escalation_advance, name="iro_escalation_advance"),
    path("escalations/<int:pk>/resolve/", iro.escalation_resolve, name="iro_escalation_resolve"),
    path("escalation-stages/<int:pk>/", iro.escalation_stage, name="escalation_stage"),
]


concern_patterns = [
    path("settings/<int:setting_pk>/concerns/new/", concerns.concern_create, name="concern_create"),
    path("concerns/<int:pk>/", concerns.concern_detail, name="concern"),
    path("settings/<int:setting_pk>/concern-level/", concerns.level_set, name="level_set"),
    path(
        "settings/<int:setting_pk>/concern-level/propose/",
        concerns.level_propose,
        name="level_propose",
    ),
    path("governance-review/", concerns.governance_review, name="governance"),
    path(
        "settings/<int:setting_pk>/concern-level/history/",
        concerns.level_history,
        name="level_history",
    ),
    path("settings/<int:setting_pk>/letters/new/", letters.letter_create, name="letter_create"),
    path("letters-of-concern/<int:pk>/", letters.letter_detail, name="letter"),
    path("letters-of-concern/<int:pk>/edit/", letters.letter_edit, name="letter_edit"),
    path("letters-of-concern/<int:pk>/issue/", letters.letter_issue, name="letter_issue"),
    path("letters-of-concern/<int:pk>/delivery/", letters.letter_delivery, name="letter_delivery"),
    path(
        "letters-of-concern/<int:pk>/representations/",
        letters.letter_representations,
        name="letter_representations",
    ),
    path("letters-of-concern/<int:pk>/pdf/", letters.letter_pdf, name="letter_pdf"),
    path("settings/<int:setting_pk>/action-plans/new/", letters.plan_create, name="plan_create"),
    path("action-plans/<int:pk>/", letters.plan_detail, name="plan"),
    path("action-plans/<int:plan_pk>/actions/new/", letters.action_add, name="action_add"),
    path("plan-actions/<int:pk>/edit/", letters.action_edit, name="action_edit"),
    path("plan-actions/<int:pk>/complete/", letters.action_complete, name="action_complete"),
]
