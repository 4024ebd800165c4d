"""A child's LAC reviews in the browser: where the next review and its report stand,
booking the review, recording the report as sent to the IRO.

Every page: the child first (404 for a child the user may not see, the same page a
missing one answers), then whose step it is (403): the child's IRO, social worker or team
manager books the review (``services.may_book``); the social worker records the report.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.pages import form_page, handle_form, posted
from placements.selectors import child_for

from . import services
from .forms import BookReviewForm, ReportSentForm
from .models import BookedReview, LacReview, ReviewReport


def _page_url(child_id: int) -> str:
    return reverse("reviews:child_reviews", kwargs={"pk": child_id})


def _fmt(d) -> str:
    return f"{d.day} {d:%B %Y}"


def child_reviews(request, pk: int):
    child = child_for(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "reviews/child_reviews.html",
        {
            "child": child,
            "today": today,
            "cycle": services.current_cycle(child, today),
            "reviews": LacReview.objects.filter(child=child)
            .select_related("chaired_by")
            .order_by("-review_date", "-pk"),
            "reports": ReviewReport.objects.filter(child=child)
            .select_related("recorded_by")
            .order_by("-cycle_start"),
            "bookings": BookedReview.objects.filter(child=child)
            .select_related("booked_by")
            .order_by("-cycle_start"),
            "can_book": services.may_book(request.user, child),
            "can_record_report": services.may_record_report(request.user, child),
        },
    )


def review_book(request, child_pk: int):
    child = child_for(request.user, child_pk)
    if not services.may_book(request.user, child):
        raise PermissionDenied
    today = timezone.localdate()
    return handle_form(
        request,
        BookReviewForm(posted(request)),
        lambda data: services.review_book(
            child=child, review_date=data["review_date"], actor=request.user, today=today
        ),
        done=lambda booking: f"The next LAC review is booked for {_fmt(booking.review_date)}.",
        to=_page_url(child.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Book the next LAC review",
            caption=f"{child.name} ({child.child_id})",
            back_url=_page_url(child.pk),
        ),
    )


def report_sent(request, child_pk: int):
    child = child_for(request.user, child_pk)
    if not services.may_record_report(request.user, child):
        raise PermissionDenied
    today = timezone.localdate()
    return handle_form(
        request,
        ReportSentForm(posted(request)),
        lambda data: services.report_sent(
            child=child, sent_on=data["sent_on"], actor=request.user, today=today
        ),
        done="The report is recorded as sent to the IRO.",
        to=_page_url(child.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Record the review report as sent to the IRO",
            caption=f"{child.name} ({child.child_id})",
            back_url=_page_url(child.pk),
        ),
    )
