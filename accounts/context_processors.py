from django.conf import settings

from .navigation import items_for


def service(request):
    user = getattr(request, "user", None)
    navigation = items_for(user, request.path) if user and user.is_authenticated else []
    return {"service_name": settings.SERVICE_NAME, "navigation": navigation}
