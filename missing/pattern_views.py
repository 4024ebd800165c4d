"""Patterns of missing (a child's, a setting's) and the missing figures, in the browser.

- A child's patterns: whoever may see the child (``child_for``: 404 otherwise).
- A setting's patterns: the roles that open children's records (403 for the others), for
  any setting (404 for none); the episodes counted are those of the children the user may
  see (``figures.setting_episodes``).
- The figures: managers, the assistant director and director, and commissioning (403 for
  the others); numbers only, no child named. Also as CSV.

Each page reads a fixed number of queries whatever the caseload.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.shortcuts import render
from django.utils import timezone

from accounts.models import MANAGER_ROLES, SENIOR_ROLES, Role, Team
from core.exports import csv_response
from core.fields import DateInputField
from core.pages import paginate, require_role, wants_csv
from placements.access import log_access
from placements.models import AccessLog
from placements.selectors import CHILD_LIST_ROLES, child_for, setting_for

from . import charts, figures
from .patterns import MAX_PERIOD_DAYS, Period, default_period, patterns

#: Who reads the missing figures (issue 17: managers, AD, Director, commissioning).
FIGURES_ROLES = MANAGER_ROLES | SENIOR_ROLES | {Role.COMMISSIONING_OFFICER}

#: Settings a page of the figures lists (most episodes first).
SETTINGS_PER_PAGE = 50


class PeriodForm(forms.Form):
    """The period a page counts: from and to, both days included."""

    # Blank: the default period's (a team chosen alone keeps the last 12 months).
    start = DateInputField(label="From", help_text="For example, 1 4 2025", required=False)
    end = DateInputField(label="To", help_text="For example, 31 3 2026", required=False)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default_period(today)
        self.fields["start"].initial = self.default.start
        self.fields["end"].initial = self.default.end
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(*self.field_names(), legend="Period", legend_size="s"),
            Submit("show", "Show", css_class="govuk-button--secondary"),
        )

    def field_names(self):
        return [Field(name) for name in self.fields]

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            if name not in self.errors and not cleaned.get(name):
                cleaned[name] = getattr(self.default, name)
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end of the period must be on or after its start")
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", "Choose a period of 3 years or less")
        return cleaned

    @property
    def period(self) -> Period:
        """The period asked for, or the last 12 months (a form with errors shows them
        above the default period's figures)."""
        if self.is_bound and self.is_valid():
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        return self.default


def _period_form(request, today, form_class=PeriodForm, **kwargs):
    # Bound only when filtered: a first visit shows the last 12 months without errors.
    data = request.GET if set(request.GET) - {"page", "format"} else None
    return form_class(data, today=today, **kwargs)


def _charts(found, subject: str) -> list[tuple]:
    return [
        (tally, charts.bar_chart(tally, subject, id_prefix="missing")) for tally in found.tallies
    ]


def child_patterns(request, pk: int):
    child = child_for(request.user, pk)
    today = timezone.localdate()
    form = _period_form(request, today)
    period = form.period
    found = patterns(figures.child_episodes(child, period), period)
    return render(
        request,
        "missing/patterns.html",
        {
            "form": form,
            "child": child,
            "subject": child.name,
            "found": found,
            "charts": _charts(found, child.name),
        },
    )


def setting_patterns(request, pk: int):
    require_role(request.user, CHILD_LIST_ROLES)
    setting = setting_for(request.user, pk)
    today = timezone.localdate()
    form = _period_form(request, today)
    period = form.period
    found = patterns(figures.setting_episodes(request.user, setting, period), period)
    return render(
        request,
        "missing/patterns.html",
        {
            "form": form,
            "setting": setting,
            "subject": setting.name,
            "found": found,
            "charts": _charts(found, setting.name),
            "scoped": not figures.sees_every_child(request.user),
        },
    )


def _teams():
    return Team.objects.filter(
        kind__in=[Team.Kind.CHILDREN_IN_CARE, Team.Kind.CARE_LEAVERS]
    ).order_by("name")


class FiguresForm(PeriodForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="Every team"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = _teams()

    def field_names(self):
        return [Field("start"), Field("end"), Field.select("team")]

    @property
    def chosen_team(self) -> Team | None:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("team")
        return None


CSV_HEADER = [
    "level",
    "name",
    "urn",
    "from",
    "to",
    "children_looked_after",
    "children_missing",
    "rate",
    "episodes",
    "returns",
    "rhi_on_time",
    "rhi_late",
    "rhi_declined",
    "rhi_not_offered",
    "rhi_not_recorded",
]


def _csv_row(period: Period):
    def row(item):
        level, one = item
        return [
            level,
            one.name,
            one.urn,
            period.start.isoformat(),
            period.end.isoformat(),
            one.looked_after,
            one.children_missing,
            one.rate,
            one.episodes,
            one.returns,
            one.rhi_on_time,
            one.rhi_late,
            one.rhi_declined,
            one.rhi_not_offered,
            one.rhi_none,
        ]

    return row


def missing_figures(request):
    require_role(request.user, FIGURES_ROLES)
    today = timezone.localdate()
    form = _period_form(request, today, FiguresForm)
    if form.is_bound:
        form.is_valid()
    period, team = form.period, form.chosen_team
    hours = figures.rhi_hours()
    authority = figures.authority_figures(period, hours)
    teams = figures.team_figures(period, team, hours)
    setting_rows = figures.setting_episode_rows(period, team, hours)
    if wants_csv(request):
        log_access(request, AccessLog.Action.EXPORT, detail="Missing figures CSV")
        every_setting = figures.setting_figures(setting_rows, period, team)
        rows = (
            [("authority", authority)]
            + [("team", one) for one in teams]
            + [("setting", one) for one in every_setting]
        )
        return csv_response(
            f"missing-figures-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.csv",
            CSV_HEADER,
            rows,
            _csv_row(period),
        )
    page, query = paginate(request, setting_rows, per_page=SETTINGS_PER_PAGE)
    return render(
        request,
        "missing/figures.html",
        {
            "form": form,
            "period": period,
            "team": team,
            "authority": authority,
            "teams": teams,
            "page": page,
            "query": query,
            "settings": figures.setting_figures(page.object_list, period, team),
        },
    )
