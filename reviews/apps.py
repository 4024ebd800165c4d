from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "LAC reviews"

    def ready(self):
        from . import duty_kinds, pages

        duty_kinds.register()
        pages.register()
