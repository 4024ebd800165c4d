"""The worktray list: the open duties each person answers for, with filters, pages and CSV."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.models import Role, Team, User
from core.count_cache import CountCache
from core.exports import csv_response
from core.pages import paginate
from placements.access import log_access
from placements.models import AccessLog

from .. import registry
from .. import worktray as selectors

CSV_HEADER = ["kind", "child", "urn", "due", "status", "owner"]


def _follow_choices():
    return [(section.slug, section.label) for section in selectors.follow_sections()]


class WorktrayFilter(django_filters.FilterSet):
    # An IRO's choice between the duties they answer for and what they follow for the
    # children they review (the view chooses the duties; this only shows the choice).
    follow = django_filters.ChoiceFilter(
        label="Show",
        choices=_follow_choices,
        method="filter_follow",
        empty_label="Duties you answer for",
    )
    kind = django_filters.ChoiceFilter(
        label="Kind of duty", choices=registry.choices, empty_label="Any kind"
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

    def __init__(self, data, queryset, *, request, clock, scope, cached, follow=None):
        self.clock = clock
        super().__init__(data, queryset=queryset, request=request)
        if request.user.role != Role.IRO:
            del self.filters["follow"]
        # Choices from the duties in scope only: nobody learns of people or teams outside it.
        # Which people and teams those are is a scan of the scope: kept with the counts.
        if request.user.role in selectors.SEES_OTHERS_ROLES:
            owners, teams = cached.get(
                ("worktray_choices", request.user.pk, follow.slug if follow else ""),
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

    def filter_follow(self, queryset, name, value):
        return queryset  # the view has already chosen the duties followed

    def filter_status(self, queryset, name, value):
        return queryset.filter(selectors.bucket_q(value, self.clock))


def _urn(duty) -> str:
    if duty.setting_id and duty.setting.urn:
        return duty.setting.urn
    return duty.placement.urn if duty.placement_id else ""


def worktray(request):
    user = request.user
    if selectors.mode(user) is None:
        raise PermissionDenied
    clock = selectors.clock()
    follow = selectors.follow_section(user, request.GET.get("follow"))
    if follow is not None:
        duties = selectors.followed_duties(user, clock, follow.kinds)
    else:
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
            follow=follow,
        )
        return filterset, filterset.qs

    if request.GET.get("format") == "csv":
        log_access(request, AccessLog.Action.EXPORT, detail="Worktray CSV")
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
        page, query = paginate(request, found, count=counts["total"])
        page.object_list = selectors.annotate_days(list(page.object_list), clock)
        context = {
            "request": request,
            "filter": filterset,
            "page": page,
            "query": query,
            "clock": clock,
            "counts": selectors._n(counts),
            "show_owner": user.role in selectors.SEES_OTHERS_ROLES,
            "follow": follow,
        }
        return context, selectors.next_change(counts)

    # The filters, the count and the page of rows, rendered: kept until the caseload changes
    # (core.count_cache), so that between two changes the list is one cache read.
    html, context = cached.fragment(
        ("worktray-page", user.pk, clock.today, tuple(filters), request.GET.get("page")),
        "duties/worktray_content.html",
        build,
    )
    return render(request, "duties/worktray.html", {**context, "content": html})
