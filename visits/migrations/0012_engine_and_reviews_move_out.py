"""The duty engine (duties) and LAC reviews (reviews) have apps of their own.

Their models leave visits' state here (duties 0001 and reviews 0001 took them on over the
same tables: no row moves). Their content types follow them, so the admin permissions
granted on them (auth_permission rows point at the content type) and the admin's log
entries about them stay where they were.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = {
    "duties": ("duty", "alert", "notification", "rulevalue", "historicalrulevalue"),
    "reviews": ("lacreview", "historicallacreview"),
}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models_moved in MOVED.items():
        ContentType.objects.filter(app_label="visits", model__in=models_moved).update(
            app_label=app_label
        )


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models_moved in MOVED.items():
        ContentType.objects.filter(app_label=app_label, model__in=models_moved).update(
            app_label="visits"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("duties", "0001_initial"),
        ("reviews", "0001_initial"),
        # It reads visits.RuleValue, which must still be visits' when it runs.
        ("escalations", "0004_seed_escalation_timescales"),
        ("visits", "0011_duty_team_done_on_index"),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.RemoveField(
                model_name='alert',
                name='duty',
            ),
            migrations.RemoveField(
                model_name='alert',
                name='visit',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='alert',
            ),
            migrations.RemoveField(
                model_name='duty',
                name='child',
            ),
            migrations.RemoveField(
                model_name='duty',
                name='done_by_visit',
            ),
            migrations.RemoveField(
                model_name='duty',
                name='owner',
            ),
            migrations.RemoveField(
                model_name='duty',
                name='placement',
            ),
            migrations.RemoveField(
                model_name='duty',
                name='setting',
            ),
            migrations.RemoveField(
                model_name='duty',
                name='team',
            ),
            migrations.RemoveField(
                model_name='historicallacreview',
                name='chaired_by',
            ),
            migrations.RemoveField(
                model_name='historicallacreview',
                name='child',
            ),
            migrations.RemoveField(
                model_name='historicallacreview',
                name='history_user',
            ),
            migrations.RemoveField(
                model_name='historicalrulevalue',
                name='history_user',
            ),
            migrations.RemoveField(
                model_name='lacreview',
                name='chaired_by',
            ),
            migrations.RemoveField(
                model_name='lacreview',
                name='child',
            ),
            migrations.AlterField(
                model_name='historicalscheduleoverride',
                name='review',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.lacreview'),
            ),
            migrations.AlterField(
                model_name='scheduleoverride',
                name='review',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='schedule_overrides', to='reviews.lacreview'),
            ),
            migrations.RemoveField(
                model_name='notification',
                name='user',
            ),
            migrations.DeleteModel(
                name='RuleValue',
            ),
            migrations.DeleteModel(
                name='Alert',
            ),
            migrations.DeleteModel(
                name='Duty',
            ),
            migrations.DeleteModel(
                name='HistoricalLacReview',
            ),
            migrations.DeleteModel(
                name='HistoricalRuleValue',
            ),
            migrations.DeleteModel(
                name='LacReview',
            ),
            migrations.DeleteModel(
                name='Notification',
            ),
    ],
        ),
    ]
