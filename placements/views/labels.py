"""Labels of stored codes, for the CSV downloads."""

from ..models import ProvisionType, Rating


def rating_label(value) -> str:
    return Rating(value).label if value in Rating.values else ""


def provision_label(value) -> str:
    return ProvisionType(value).label if value in ProvisionType.values else ""
