"""A child's LAC reviews: the page, booking the next review, recording the report sent."""

from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("children/<int:pk>/reviews/", views.child_reviews, name="child_reviews"),
    path("children/<int:child_pk>/reviews/book/", views.review_book, name="review_book"),
    path("children/<int:child_pk>/reviews/report-sent/", views.report_sent, name="report_sent"),
]
