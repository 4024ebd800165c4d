"""The worktray list (filters, CSV, pages) and the in-app notifications page."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.models import Team, User
from core.exports import csv_response
from placements.models import AccessLog
from placements.views import CountedPaginator

from . import worktray as selectors
from .count_cache import CountCache
from .models import DutyKind, Notification

PAGE_SIZE = 50
CSV_HEADER = ["kind", "child", "urn", "due", "status", "owner"]


class WorktrayFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="Kind of duty", choices=DutyKind.choices, empty_label="Any kind"
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=selectors.Bucket.choices,
        method="filter_status",
        empty_label="Overdue or due",
    )
    worker = django_filters.ModelChoiceFilter(
        label="Worker",
        field_name="owner",
        queryset=User.objects.none(),
        empty_label="Anyone",
        null_label="Not allocated",
    )
    team = django_filters.ModelChoiceFilter(
        label="Team", field_name="team", queryset=Team.objects.none(), empty_label="Any team"
    )

    def __init__(self, data, queryset, *, request, clock, scope, cached):
        self.clock = clock
        super().__init__(data, queryset=queryset, request=request)
        # Choices from the duties in scope only: nobody learns of people or teams outside it.
        # Which people and teams those are is a scan of the scope: kept with the counts.
        if request.user.role in selectors.SEES_OTHERS_ROLES:
            owners, teams = cached.get(
                ("worktray_choices", request.user.pk),
                lambda: (
                    sorted(
                        pk
                        for pk in scope.order_by().values_list("owner", flat=True).distinct()
                        if pk is not None
                    ),
                    sorted(
                        pk
                        for pk in scope.order_by().values_list("team", flat=True).distinct()
                        if pk is not None
                    ),
                ),
            )
            self.filters["worker"].queryset = User.objects.filter(pk__in=owners)
            self.filters["team"].queryset = Team.objects.filter(pk__in=teams)
        else:
            del self.filters["worker"]
            del self.filters["team"]
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "govuk-select")

    def filter_status(self, queryset, name, value):
        return queryset.filter(selectors.bucket_q(value, self.clock))


def _paginate(request, queryset, count: int | None = None):
    paginator = (
        Paginator(queryset, PAGE_SIZE)
        if count is None
        else CountedPaginator(queryset, PAGE_SIZE, count=count)
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _urn(duty) -> str:
    if duty.setting_id and duty.setting.urn:
        return duty.setting.urn
    return duty.placement.urn if duty.placement_id else ""


def worktray(request):
    user = request.user
    if selectors.mode(user) is None:
        raise PermissionDenied
    clock = selectors.clock()
    duties = selectors.open_duties(user, clock)
    cached = CountCache(clock.now)

    def filtered():
        filterset = WorktrayFilter(
            request.GET or None,
            queryset=selectors.with_rows(duties),
            request=request,
            clock=clock,
            scope=duties,
            cached=cached,
        )
        return filterset, filterset.qs

    if request.GET.get("format") == "csv":
        AccessLog.objects.create(
            user=user,
            action=AccessLog.Action.EXPORT,
            path=request.get_full_path()[:500],
            detail="Worktray CSV",
        )
        return csv_response(
            f"worktray-{clock.today:%Y-%m-%d}.csv",
            CSV_HEADER,
            filtered()[1].iterator(chunk_size=2000),
            lambda d: [
                d.kind,
                d.child.child_id if d.child_id else "",
                _urn(d),
                d.due.isoformat(),
                d.bucket,
                str(d.owner) if d.owner_id else "",
            ],
        )
    filters = sorted((k, tuple(v)) for k, v in request.GET.lists() if k != "page")

    def build():
        filterset, found = filtered()
        counts = cached.get(
            ("worktray", user.pk, clock.today, tuple(filters)),
            lambda: selectors.bucket_counts(found, clock),
            valid_until=selectors.next_change,
        )
        # The page count comes with the bucket counts: no COUNT(*) of its own.
        page, query = _paginate(request, found, count=counts["total"])
        page.object_list = selectors.annotate_days(list(page.object_list), clock)
        context = {
            "request": request,
            "filter": filterset,
            "page": page,
            "query": query,
            "clock": clock,
            "counts": selectors._n(counts),
            "show_owner": user.role in selectors.SEES_OTHERS_ROLES,
        }
        return context, selectors.next_change(counts)

    # The filters, the count and the page of rows, rendered: kept until the caseload changes
    # (visits.count_cache), so that between two changes the list is one cache read.
    html, context = cached.fragment(
        ("worktray-page", user.pk, clock.today, tuple(filters), request.GET.get("page")),
        "visits/worktray_content.html",
        build,
    )
    return render(request, "visits/worktray.html", {**context, "content": html})


@require_http_methods(["GET", "POST"])
def notifications(request):
    mine = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        unread = mine.filter(read_at__isnull=True)
        if request.POST.get("all"):
            marked = unread.update(read_at=timezone.now())
        else:
            try:
                pk = int(request.POST.get("notification", ""))
            except ValueError:
                pk = 0
            marked = unread.filter(pk=pk).update(read_at=timezone.now())
        if marked:
            messages.success(
                request, f"{marked} notification{'s' if marked != 1 else ''} marked as read."
            )
        return redirect("visits:notifications")
    page, query = _paginate(request, mine.order_by("-created_at", "-pk"))
    return render(
        request,
        "visits/notifications.html",
        {
            "page": page,
            "query": query,
            "unread": mine.filter(read_at__isnull=True).count(),
        },
    )
