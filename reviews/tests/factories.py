"""Factories for LAC reviews."""

from datetime import date

import factory

from placements.tests.factories import ChildFactory
from reviews.models import LacReview


class LacReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LacReview

    child = factory.SubFactory(ChildFactory)
    review_date = date(2026, 2, 2)
