"""The deadlines page: every dated duty the user may see, filtered, paged, and as CSV."""

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from accounts.models import CASEWORKER_ROLES, Role, Team, User
from core.count_cache import CountCache
from core.exports import csv_response
from core.pages import paginate, require_role, wants_csv
from placements.access import log_access
from placements.models import AccessLog
from placements.selectors import CHILD_LIST_ROLES

from .. import registry, selectors
from ..models import Duty

STATUS_CHOICES = [
    ("open", "Open (not yet due)"),
    ("overdue", "Overdue"),
    ("done", "Done on the date"),
]
OWNER_ROLES = CASEWORKER_ROLES | {Role.IRO, Role.SERVICE_MANAGER}
CONTENT_TEMPLATE = "duties/deadlines_content.html"


def _owners(request):
    return User.objects.filter(role__in=OWNER_ROLES, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def _teams(request):
    return Team.objects.order_by("name")


class DeadlineFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="Duty", choices=registry.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label="Open, overdue or done on the date",
    )
    team = django_filters.ModelChoiceFilter(queryset=_teams, empty_label="Any team")
    owner = django_filters.ModelChoiceFilter(label="Owner", queryset=_owners, empty_label="Anyone")
    as_of = django_filters.DateFilter(
        label="As of",
        method="filter_as_of",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.clock = timezone.now()  # read once per request
        for field in self.form.fields.values():
            css = "govuk-select" if hasattr(field, "choices") else "govuk-input"
            field.widget.attrs.setdefault("class", css)

    @property
    def day(self) -> date:
        """The date every status is judged on: the as-of filter, else today."""
        cleaned = getattr(self.form, "cleaned_data", None) or {}
        return cleaned.get("as_of") or self.today

    @property
    def now(self):
        """The clock, for 24-hour duties, when the page shows today."""
        return self.clock if self.day == self.today else None

    def filter_queryset(self, queryset):
        # Every row the command would print for the date, before the other filters.
        return super().filter_queryset(selectors.deadline_rows(self.day, queryset))

    def filter_as_of(self, queryset, name, value):
        return queryset  # read by filter_queryset: the date every status is judged on

    def filter_status(self, queryset, name, value):
        open_ = Q(status=Duty.Status.OPEN)
        late = Q(due__lt=self.day)
        if self.now is not None:
            late |= Q(due_at__lt=self.now)
        if value == "open":
            return queryset.filter(open_ & ~late)
        if value == "overdue":
            return queryset.filter(open_ & late)
        return queryset.filter(status=Duty.Status.DONE, done_on=self.day)


def _label_rows(duties) -> None:
    """What each row shows, worked out here rather than by a ``{% url %}`` and a date filter
    per row in the template (most of the page's rendering time)."""
    child_url = reverse("placements:child", args=[0])[:-2]
    setting_url = reverse("placements:setting", args=[0])[:-2]
    for duty in duties:
        duty.child_url = f"{child_url}{duty.child_id}/" if duty.child_id else ""
        duty.setting_url = f"{setting_url}{duty.setting_id}/" if duty.setting_id else ""
        duty.due_label = (
            date_format(timezone.localtime(duty.due_at), "j M Y, H:i")
            if duty.due_at
            else date_format(duty.due, "j M Y")
        )


def _count(request, duties, filterset, today, cached: CountCache) -> int | None:
    """How many rows the filters select, from core.count_cache: a COUNT(*) over every open
    duty in scope otherwise. Not kept when it depends on the time of day (the status filter
    on today's page, where a 24-hour duty turns overdue at ``due_at``); None: counted."""
    if request.GET.get("status") and filterset.now is not None:
        return None
    filters = sorted((k, tuple(v)) for k, v in request.GET.lists() if k != "page")
    return cached.get(
        ("deadlines", request.user.pk, today, filterset.day, tuple(filters)), duties.count
    )


def deadlines(request):
    require_role(request.user, CHILD_LIST_ROLES)
    today = timezone.localdate()
    # Always bound, so that an empty query still selects the rows for today.
    filterset = DeadlineFilter(
        request.GET,
        queryset=selectors.duties_visible_to(request.user),
        request=request,
        today=today,
    )
    duties = filterset.qs
    as_of, now = filterset.day, filterset.now
    if wants_csv(request):
        log_access(request, AccessLog.Action.EXPORT, detail="Deadlines CSV")
        return csv_response(
            f"deadlines-{as_of:%Y-%m-%d}.csv",
            selectors.DEADLINE_HEADER,
            duties.iterator(chunk_size=2000),
            lambda duty: selectors.deadline_csv_row(duty, as_of, now=now),
        )
    params = sorted((k, tuple(v)) for k, v in request.GET.lists())
    cached = CountCache()

    def build():
        count = _count(request, duties, filterset, today, cached)
        page, query = paginate(request, duties, count=count)
        rows = [
            (duty, selectors.deadline_status(duty, as_of, now=now)) for duty in page.object_list
        ]
        _label_rows([duty for duty, _ in rows])
        context = {
            "request": request,
            "filter": filterset,
            "page": page,
            "rows": rows,
            "query": query,
            "as_of": as_of,
            "today": today,
        }
        # On today's page a 24-hour duty turns overdue at its time: kept until the first.
        pending = [duty.due_at for duty, status in rows if status == "open" and duty.due_at]
        return context, min(pending) if pending and now is not None else None

    if request.GET.get("status") and now is not None:
        # Which rows the status filter selects moves with the clock: built every time.
        context, _ = build()
        html = render_to_string(CONTENT_TEMPLATE, context)
    else:
        # The filters, the count and the page of rows, rendered: kept until the caseload
        # changes (core.count_cache), so that between two changes the list is one read.
        html, context = cached.fragment(
            ("deadlines-page", request.user.pk, today, tuple(params)), CONTENT_TEMPLATE, build
        )
    return render(request, "duties/deadlines.html", {**context, "content": html})
