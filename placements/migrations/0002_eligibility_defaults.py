from django.db import migrations

SOURCE = "Seed 000 (Kent placement guidance), Eligibility"
# (provision type, youngest, oldest in whole years or None for no upper limit)
DEFAULTS = [
    ("in_house_fostering", 0, 17, "Fostering: aged 0-18"),
    ("ifa_fostering", 0, 17, "Fostering: aged 0-18"),
    ("childrens_home", 5, 17, "Residential children's homes: aged 5-18"),
    ("residential_special_school", 5, 17, "Residential special schools: aged 5-18"),
    ("secure_childrens_home", 10, 17, "Secure accommodation: aged 10-17"),
    ("supported_accommodation", 16, None, "Supported accommodation: aged 16+"),
    ("semi_independent", 16, None, "Semi-independent / supported accommodation: aged 16+"),
    ("shared_lives", 18, None, "Shared Lives: 18+ only"),
    ("staying_put", 18, 20, "Staying Put: aged 18, with the former foster carer"),
    ("supported_living", 18, None, "Supported Living: 18+ only"),
    ("unregistered", 16, None, "Unregistered: illegal under 16"),
]


def forwards(apps, schema_editor):
    Eligibility = apps.get_model("placements", "ProvisionEligibility")
    for provision_type, youngest, oldest, line in DEFAULTS:
        Eligibility.objects.get_or_create(
            provision_type=provision_type,
            defaults={"min_age": youngest, "max_age": oldest, "source": f"{SOURCE}: {line}"},
        )


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
