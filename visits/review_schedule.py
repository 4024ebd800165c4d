"""A change to the child's visiting schedule agreed at a LAC review, recorded by the IRO
from the review's page (``/lac-reviews/<pk>/schedule/``), and shown on that page and its
PDF (a ``reviews.sections`` section: reviews imports nothing of visits).

timescales.md Conventions: "A child-specific override agreed at a LAC review (a more
frequent schedule, or a reduced one where the regulations allow it) wins over the
default, and records who agreed it and when." `000_…` line 105: "Below schedule may
change at first LAC Review if considered not frequent enough"; line 170: "Visiting
requirements post 6 weeks to be discussed and agreed at LAC Review". It is kept as a
``ScheduleOverride`` with ``agreed_by`` the IRO, ``agreed_on`` the review's date and
``review`` the review, through ``overrides.schedule_override_record`` (which recomputes
the child's duties). The child's IRO records it, as they record the review
(``reviews.records.may_record``); the admin route stays for administrators.
"""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.forms import form_helper
from core.pages import form_page, handle_form, posted
from placements.access import log_restricted_view
from reviews import records, sections
from reviews.models import LacReview
from reviews.selectors import review_for

from . import overrides
from .models import OVERRIDABLE_LABELS, ScheduleOverride
from .rules import OVERRIDABLE_KINDS

DAYS, MONTHS = "days", "months"
#: The longest interval the form accepts (the statutory maximum is 6 months: an interval
#: past it is a typing slip, not a schedule).
MAX_DAYS, MAX_MONTHS = 366, 12


class ReviewScheduleForm(forms.Form):
    duty_kind = forms.ChoiceField(
        label="Which visits",
        choices=[(kind, OVERRIDABLE_LABELS[kind]) for kind in OVERRIDABLE_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which visits the schedule is for",
            "invalid_choice": "Choose which visits the schedule is for",
        },
    )
    interval = forms.IntegerField(
        label="Every",
        min_value=1,
        help_text="A number: the interval between visits",
        error_messages={
            "required": "Enter how often the visits are due",
            "invalid": "Enter the interval as a whole number, like 4",
            "min_value": "The interval must be at least 1",
        },
    )
    unit = forms.ChoiceField(
        label="Days or months",
        choices=[(DAYS, "Days"), (MONTHS, "Months")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose days or months",
            "invalid_choice": "Choose days or months",
        },
    )
    reason = forms.CharField(
        label="Why the review agreed it",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the review agreed this schedule"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("duty_kind", legend_size=Size.SMALL),
            Field.text("interval", field_width=3),
            Field.radios("unit", legend_size=Size.SMALL, inline=True),
            Field.textarea("reason", rows=4),
            submit="Record the schedule",
        )

    def clean(self):
        data = super().clean()
        interval, unit = data.get("interval"), data.get("unit")
        if interval is not None and unit == DAYS and interval > MAX_DAYS:
            self.add_error("interval", f"An interval in days must be {MAX_DAYS} or fewer")
        elif interval is not None and unit == MONTHS and interval > MAX_MONTHS:
            self.add_error("interval", f"An interval in months must be {MAX_MONTHS} or fewer")
        return data


def schedule_agreed(
    *, review: LacReview, duty_kind: str, interval: int, unit: str, reason: str, actor
) -> ScheduleOverride:
    """Record the schedule agreed at ``review``: agreed by the IRO recording it, on the
    review's date; the child's duties are recomputed."""
    if not records.may_record(actor, review.child):
        raise PermissionDenied("Only the child's IRO records a schedule agreed at the review.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the review agreed this schedule"})
    return overrides.schedule_override_record(
        child=review.child,
        duty_kind=duty_kind,
        interval_days=interval if unit == DAYS else None,
        interval_months=interval if unit == MONTHS else None,
        agreed_by_name=str(actor),
        agreed_by=actor,
        agreed_on=review.review_date,
        review=review,
        reason=reason.strip(),
        actor=actor,
    )


def review_schedule(request, pk: int):
    review = review_for(request.user, pk)
    child = review.child
    if not records.may_record(request.user, child):
        raise PermissionDenied
    log_restricted_view(request, child)
    back = reverse("reviews:review", kwargs={"pk": review.pk})
    return handle_form(
        request,
        ReviewScheduleForm(posted(request)),
        lambda data: schedule_agreed(
            review=review,
            duty_kind=data["duty_kind"],
            interval=data["interval"],
            unit=data["unit"],
            reason=data["reason"],
            actor=request.user,
        ),
        done=lambda override: (
            f"The schedule is recorded: {override.get_duty_kind_display().lower()}s every "
            f"{override.interval_days or override.interval_months} "
            f"{'days' if override.interval_days else 'months'}."
        ),
        to=back,
        page=lambda form: form_page(
            request,
            form,
            heading="Record a change to the visiting schedule",
            caption=f"{child.name} ({child.child_id}), LAC review held on "
            f"{review.review_date.day} {review.review_date:%B %Y}",
            back_url=back,
        ),
    )


def _section(review, user) -> dict:
    return {
        "overrides": list(
            ScheduleOverride.objects.filter(review=review)
            .select_related("agreed_by")
            .order_by("duty_kind", "pk")
        ),
        "can_agree": records.may_record(user, review.child),
    }


def register() -> None:
    sections.add(
        sections.Section(
            template="visits/_review_schedule_section.html",
            pdf_template="visits/_review_schedule_pdf.html",
            context=_section,
            order=10,
        )
    )
