from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff and teams"

    def ready(self):
        from . import signals

        # Sign-ins, failed sign-ins and sign-outs go to the access log.
        signals.connect()
