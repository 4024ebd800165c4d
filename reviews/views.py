"""A child's LAC reviews in the browser: where the next review and its report stand,
booking the review, recording the report as sent to the IRO; the IRO's record of a review
held (its page and PDF), and its decisions and recommendations.

Every page: the child first (404 for a child the user may not see, the same page a
missing one answers), then whose step it is (403): the child's IRO, social worker or team
manager books the review (``services.may_book``); the social worker records the report;
the child's IRO records the review and its recommendations (``records.may_record``); a
recommendation's owner marks it done.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.exports import pdf_response
from core.pages import form_page, handle_form, posted
from placements.access import log_restricted_view
from placements.selectors import child_for

from . import records, sections, services
from .forms import (
    BookReviewForm,
    RecommendationDoneForm,
    RecommendationForm,
    RecommendationWithdrawForm,
    ReportSentForm,
    ReviewEditForm,
    ReviewRecordForm,
)
from .models import BookedReview, LacReview, ReviewRecommendation, ReviewReport
from .selectors import owner_choices, recommendation_for, review_for


def _page_url(child_id: int) -> str:
    return reverse("reviews:child_reviews", kwargs={"pk": child_id})


def _fmt(d) -> str:
    return f"{d.day} {d:%B %Y}"


def child_reviews(request, pk: int):
    child = child_for(request.user, pk)
    today = timezone.localdate()
    cycle = services.current_cycle(child, today)
    bookings = list(
        BookedReview.objects.filter(child=child)
        .select_related("booked_by")
        .order_by("-cycle_start")
    )
    return render(
        request,
        "reviews/child_reviews.html",
        {
            "child": child,
            "today": today,
            "cycle": cycle,
            "reviews": LacReview.objects.filter(child=child)
            .select_related("chaired_by")
            .order_by("-review_date", "-pk"),
            "reports": ReviewReport.objects.filter(child=child)
            .select_related("recorded_by")
            .order_by("-cycle_start"),
            "bookings": bookings,
            "next_booking": next(
                (b for b in bookings if cycle is not None and b.cycle_start == cycle.cycle_start),
                None,
            ),
            "can_book": services.may_book(request.user, child),
            "can_record_report": services.may_record_report(request.user, child),
            "can_record": records.may_record(request.user, child),
        },
    )


def review_book(request, child_pk: int):
    child = child_for(request.user, child_pk)
    if not services.may_book(request.user, child):
        raise PermissionDenied
    today = timezone.localdate()
    cycle = services.current_cycle(child, today)
    booking = (
        BookedReview.objects.filter(child=child, cycle_start=cycle.cycle_start).first()
        if cycle is not None
        else None
    )
    initial = (
        {"review_date": booking.review_date, "place": booking.place, "invitees": booking.invitees}
        if booking is not None
        else {}
    )
    return handle_form(
        request,
        BookReviewForm(posted(request), initial=initial),
        lambda data: services.review_book(
            child=child,
            review_date=data["review_date"],
            place=data["place"],
            invitees=data["invitees"],
            actor=request.user,
            today=today,
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


# --- The IRO's record of a review held -----------------------------------------------------


def _review_url(review) -> str:
    return reverse("reviews:review", kwargs={"pk": review.pk})


def _record_fields(data) -> dict:
    return {
        name: data[name]
        for name in ("review_code", "chaired_by", "place", "participants", "participation")
    }


def review_record(request, child_pk: int):
    """The child's IRO records that the next review was held (or completes the record of
    one imported on that date)."""
    child = child_for(request.user, child_pk)
    if not records.may_record(request.user, child):
        raise PermissionDenied
    log_restricted_view(request, child)
    today = timezone.localdate()
    cycle = services.current_cycle(child, today)
    booking = (
        BookedReview.objects.filter(child=child, cycle_start=cycle.cycle_start).first()
        if cycle is not None
        else None
    )
    initial = {"chaired_by": request.user.pk}
    if booking is not None:
        initial.update(
            held_on=booking.review_date, place=booking.place, participants=booking.invitees
        )
    return handle_form(
        request,
        ReviewRecordForm(posted(request), initial=initial),
        lambda data: records.review_record(
            child=child,
            held_on=data["held_on"],
            early_reason=data["early_reason"],
            actor=request.user,
            today=today,
            **_record_fields(data),
        ),
        done=lambda review: f"The LAC review held on {_fmt(review.review_date)} is recorded.",
        to=_review_url,
        page=lambda form: form_page(
            request,
            form,
            heading="Record the LAC review as held",
            caption=f"{child.name} ({child.child_id})",
            back_url=_page_url(child.pk),
            booking=booking,
            template="reviews/review_record_form.html",
        ),
    )


def review_detail(request, pk: int):
    review = review_for(request.user, pk)
    child = review.child
    log_restricted_view(request, child)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "child": child,
            "recommendations": review.recommendations.select_related("owner").order_by("due", "pk"),
            "sections": sections.for_review(review, request.user),
            "can_record": records.may_record(request.user, child),
            "today": timezone.localdate(),
        },
    )


def review_edit(request, pk: int):
    """The IRO changes the record of a review held, or completes an imported one."""
    review = review_for(request.user, pk)
    if not records.may_record(request.user, review.child):
        raise PermissionDenied
    log_restricted_view(request, review.child)
    today = timezone.localdate()
    initial = ReviewEditForm.initial_for(review)
    if not review.is_recorded:
        initial["chaired_by"] = review.chaired_by_id or request.user.pk
    return handle_form(
        request,
        ReviewEditForm(posted(request), initial=initial),
        lambda data: records.review_update(
            review=review, actor=request.user, today=today, **_record_fields(data)
        ),
        done="The record of the review is saved.",
        to=_review_url(review),
        page=lambda form: form_page(
            request,
            form,
            heading=(
                "Change the record of the LAC review"
                if review.is_recorded
                else "Complete the record of the LAC review"
            ),
            caption=f"{review.child.name} ({review.child.child_id}), review held on "
            f"{_fmt(review.review_date)}",
            back_url=_review_url(review),
        ),
    )


def review_pdf(request, pk: int):
    """The IRO's record of the review, printed like the paper review record."""
    review = review_for(request.user, pk)
    child = review.child
    log_restricted_view(request, child)
    return pdf_response(
        request,
        "reviews/review_pdf.html",
        {
            "review": review,
            "child": child,
            "recommendations": review.recommendations.select_related("owner").order_by("due", "pk"),
            "sections": sections.for_review(review, request.user),
            "placement": child.placements.select_related("setting")
            .filter(decom__lte=review.review_date)
            .order_by("-decom", "-pk")
            .first(),
            "age": child.age_on(review.review_date),
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
        f"lac-review-{child.child_id}-{review.review_date:%Y-%m-%d}.pdf",
    )


# --- Decisions and recommendations ---------------------------------------------------------


def recommendation_add(request, pk: int):
    review = review_for(request.user, pk)
    child = review.child
    if not records.may_record(request.user, child):
        raise PermissionDenied
    log_restricted_view(request, child)
    return handle_form(
        request,
        RecommendationForm(posted(request), owners=owner_choices(child)),
        lambda data: records.recommendation_add(
            review=review,
            text=data["text"],
            owner=data["owner"],
            due=data["due"],
            actor=request.user,
        ),
        done=lambda rec: f"The recommendation is added for {rec.owner}, due by {_fmt(rec.due)}.",
        to=_review_url(review),
        page=lambda form: form_page(
            request,
            form,
            heading="Add a decision or recommendation",
            caption=f"{child.name} ({child.child_id}), LAC review held on "
            f"{_fmt(review.review_date)}",
            back_url=_review_url(review),
        ),
    )


def recommendation_detail(request, pk: int):
    recommendation = recommendation_for(request.user, pk)
    child = recommendation.review.child
    log_restricted_view(request, child)
    return render(
        request,
        "reviews/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "review": recommendation.review,
            "child": child,
            "history": recommendation.history.select_related("history_user").order_by(
                "history_date"
            ),
            "can_mark_done": records.may_mark_done(request.user, recommendation),
            "can_withdraw": records.may_withdraw(request.user, recommendation),
            "today": timezone.localdate(),
        },
    )


def _recommendation_url(recommendation) -> str:
    return reverse("reviews:recommendation", kwargs={"pk": recommendation.pk})


def _closed(request, recommendation):
    messages.info(request, f"The recommendation is {recommendation.get_status_display().lower()}.")
    return redirect(_recommendation_url(recommendation))


def _close_recommendation(request, pk: int, *, may, form_class, save, done: str, heading: str):
    """Mark done or withdraw: the one sequence of both (the recommendation read as the user
    may, their step checked, a closed one shown as closed, the form, the service)."""
    recommendation = recommendation_for(request.user, pk)
    if not may(recommendation):
        raise PermissionDenied
    if recommendation.status != ReviewRecommendation.Status.OPEN:
        return _closed(request, recommendation)
    log_restricted_view(request, recommendation.review.child)
    today = timezone.localdate()
    return handle_form(
        request,
        form_class(posted(request)),
        lambda data: save(recommendation, data, today),
        done=done,
        to=_recommendation_url(recommendation),
        page=lambda form: form_page(
            request,
            form,
            heading=heading,
            caption=recommendation.text[:120],
            back_url=_recommendation_url(recommendation),
        ),
        refused=(records.RecommendationClosed,),
        on_refused=lambda exc: _closed(request, recommendation),
    )


def recommendation_done(request, pk: int):
    return _close_recommendation(
        request,
        pk,
        may=lambda recommendation: recommendation.owner_id == request.user.pk,
        form_class=RecommendationDoneForm,
        save=lambda recommendation, data, today: records.recommendation_done(
            recommendation=recommendation, note=data["note"], actor=request.user, today=today
        ),
        done="The recommendation is marked as done.",
        heading="Mark the recommendation as done",
    )


def recommendation_withdraw(request, pk: int):
    return _close_recommendation(
        request,
        pk,
        may=lambda recommendation: records.may_record(request.user, recommendation.review.child),
        form_class=RecommendationWithdrawForm,
        save=lambda recommendation, data, today: records.recommendation_withdraw(
            recommendation=recommendation, reason=data["reason"], actor=request.user, today=today
        ),
        done="The recommendation is withdrawn.",
        heading="Withdraw the recommendation",
    )
