"""LAC reviews move here from visits without moving a row: the tables keep their names
(visits_lacreview, visits_historicallacreview); this migration only tells Django the
models are now this app's. visits 0012 takes them out of visits' state and moves their
content types (and so the admin permissions and the admin's log) with them.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("placements", "0005_accesslog_sign_in"),
        ("visits", "0011_duty_team_done_on_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='HistoricalLacReview',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('review_date', models.DateField(help_text='SSDA903 REVIEW')),
                    ('review_code', models.CharField(blank=True, help_text='SSDA903 REVIEW_CODE: how the child participated', max_length=3)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('chaired_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('child', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='placements.child')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical lac review',
                    'verbose_name_plural': 'historical lac reviews',
                    'db_table': 'visits_historicallacreview',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='LacReview',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('review_date', models.DateField(help_text='SSDA903 REVIEW')),
                    ('review_code', models.CharField(blank=True, help_text='SSDA903 REVIEW_CODE: how the child participated', max_length=3)),
                    ('chaired_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('child', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lac_reviews', to='placements.child')),
                ],
                options={
                    'db_table': 'visits_lacreview',
                    'ordering': ['child', 'review_date'],
                    'constraints': [models.UniqueConstraint(fields=('child', 'review_date'), name='one_review_a_day')],
                },
            ),
    ],
        ),
    ]
