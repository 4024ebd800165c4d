from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = "Children, placements and providers"

    def ready(self):
        from accounts import navigation

        from . import receivers

        # Sign-ins, failed sign-ins, sign-outs and PDFs of records go to the access log.
        receivers.connect()
        navigation.add(
            navigation.NavItem(
                "Children", "placements:children", navigation.CASEWORK, "/children/", order=20
            ),
            navigation.NavItem(
                "Placements", "placements:placements", navigation.CASEWORK, "/placements/", order=30
            ),
            navigation.NavItem("Settings", "placements:settings", None, "/settings/", order=40),
        )
