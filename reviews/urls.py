"""A child's LAC reviews: the page, booking the next review, recording the report sent;
the IRO's record of a review held, its PDF, and its decisions and recommendations."""

from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("children/<int:pk>/reviews/", views.child_reviews, name="child_reviews"),
    path("children/<int:child_pk>/reviews/book/", views.review_book, name="review_book"),
    path("children/<int:child_pk>/reviews/report-sent/", views.report_sent, name="report_sent"),
    path("children/<int:child_pk>/reviews/record/", views.review_record, name="review_record"),
    path("lac-reviews/<int:pk>/", views.review_detail, name="review"),
    path("lac-reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("lac-reviews/<int:pk>/record.pdf", views.review_pdf, name="review_pdf"),
    path(
        "lac-reviews/<int:pk>/recommendations/add/",
        views.recommendation_add,
        name="recommendation_add",
    ),
    path(
        "lac-reviews/recommendations/<int:pk>/",
        views.recommendation_detail,
        name="recommendation",
    ),
    path(
        "lac-reviews/recommendations/<int:pk>/done/",
        views.recommendation_done,
        name="recommendation_done",
    ),
    path(
        "lac-reviews/recommendations/<int:pk>/withdraw/",
        views.recommendation_withdraw,
        name="recommendation_withdraw",
    ),
]
