from django import template
from django.utils.html import format_html

from placements.models import ProvisionType, Rating

register = template.Library()

RATING_TAGS = {
    Rating.OUTSTANDING: "govuk-tag--green",
    Rating.GOOD: "govuk-tag--blue",
    Rating.REQUIRES_IMPROVEMENT: "govuk-tag--yellow",
    Rating.INADEQUATE: "govuk-tag--red",
    Rating.NOT_YET_INSPECTED: "govuk-tag--grey",
}


@register.simple_tag
def rating_tag(value):
    """The Ofsted rating as a GOV.UK tag (value is a Rating value or empty)."""
    if value not in Rating.values:
        return ""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', RATING_TAGS[value], Rating(value).label
    )


@register.filter
def provision_label(value):
    return ProvisionType(value).label if value in ProvisionType.values else ""


@register.filter
def age_on(child, day):
    return child.age_on(day)
