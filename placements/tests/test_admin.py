import pytest

from placements.models import ProvisionEligibility
from placements.tests.factories import ChildFactory, SettingFactory


@pytest.mark.django_db
def test_administrator_changes_eligibility_with_history(client, administrator):
    row = ProvisionEligibility.objects.get(provision_type="childrens_home")
    assert (row.min_age, row.max_age) == (5, 17)
    client.force_login(administrator)
    url = f"/admin/placements/provisioneligibility/{row.pk}/change/"
    response = client.post(
        url,
        {"provision_type": "childrens_home", "min_age": "8", "max_age": "17", "source": row.source},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.min_age == 8
    assert row.history.first().history_user == administrator


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [
        "child",
        "setting",
        "placement",
        "inspection",
        "provider",
        "accesslog",
        "provisioneligibility",
        "placementconcern",
    ],
)
def test_admin_lists_load(client, administrator, model):
    ChildFactory()
    SettingFactory()
    client.force_login(administrator)
    assert client.get(f"/admin/placements/{model}/").status_code == 200


@pytest.mark.django_db
def test_access_log_cannot_be_edited(client, administrator):
    client.force_login(administrator)
    assert client.get("/admin/placements/accesslog/add/").status_code == 403


def test_a_settings_web_link_typed_without_a_scheme_is_taken_as_https(rf, administrator):
    from django.contrib.admin.sites import site

    from placements.models import Setting

    request = rf.get("/admin/placements/setting/add/")
    request.user = administrator
    form_class = site._registry[Setting].get_form(request)
    assert form_class.base_fields["web_link"].to_python("www.example.org") == (
        "https://www.example.org"
    )
