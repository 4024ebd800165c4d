"""The duty engine's models move here from visits without moving a row.

The tables keep their names (visits_duty, visits_alert, visits_notification,
visits_rulevalue, visits_historicalrulevalue): this migration only tells Django that
the models are now this app's, as they stood at visits 0011 (a duty's discharging visit
and a visit's escalation alert still as foreign keys to visits.Visit; 0002 turns them
into subjects). visits 0012 takes them out of visits' state and moves the content types
(and so the admin permissions and the admin's log) with them.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("placements", "0005_accesslog_sign_in"),
        ("visits", "0011_duty_team_done_on_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='RuleValue',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='The rule it sets', max_length=80, unique=True)),
                        ('value', models.PositiveIntegerField()),
                        ('help_text', models.TextField(blank=True)),
                        ('source', models.CharField(blank=True, help_text='The line of guidance', max_length=300)),
                    ],
                    options={
                        'db_table': 'visits_rulevalue',
                        'ordering': ['pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Duty',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40)),
                        ('subject', models.CharField(max_length=60)),
                        ('due', models.DateField()),
                        ('due_at', models.DateTimeField(blank=True, help_text='For 24-hour duties', null=True)),
                        ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Done'), ('cancelled', 'No longer due')], default='open', max_length=10)),
                        ('done_on', models.DateField(blank=True, null=True)),
                        ('basis', models.CharField(blank=True, help_text='Why it is due then', max_length=300)),
                        ('source', models.CharField(blank=True, help_text='The rule it comes from', max_length=120)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('child', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='duties', to='placements.child')),
                        ('done_by_visit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='visits.visit')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='duties', to=settings.AUTH_USER_MODEL)),
                        ('placement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='duties', to='placements.placement')),
                        ('setting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='duties', to='placements.setting')),
                        ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='duties', to='accounts.team')),
                    ],
                    options={
                        'verbose_name_plural': 'duties',
                        'db_table': 'visits_duty',
                        'ordering': ['due', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Alert',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.CharField(choices=[('due_soon', 'Due soon'), ('overdue', 'Overdue'), ('overdue_5', 'Overdue by 5 working days'), ('escalated', 'Escalated from a visit')], max_length=12)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('duty', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='duties.duty')),
                        ('visit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='visits.visit')),
                    ],
                    options={
                        'db_table': 'visits_alert',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalRuleValue',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(db_index=True, help_text='The rule it sets', max_length=80)),
                        ('value', models.PositiveIntegerField()),
                        ('help_text', models.TextField(blank=True)),
                        ('source', models.CharField(blank=True, help_text='The line of guidance', max_length=300)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical rule value',
                        'verbose_name_plural': 'historical rule values',
                        'db_table': 'visits_historicalrulevalue',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(blank=True, max_length=120)),
                        ('subject', models.CharField(max_length=200)),
                        ('body', models.TextField()),
                        ('url', models.CharField(blank=True, max_length=300)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('email_status', models.CharField(choices=[('pending', 'To send'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed'), ('none', 'No email address')], default='pending', max_length=10)),
                        ('email_attempts', models.PositiveSmallIntegerField(default=0)),
                        ('email_last_error', models.TextField(blank=True)),
                        ('email_claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('email_sent_at', models.DateTimeField(blank=True, null=True)),
                        ('alert', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='duties.alert')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'visits_notification',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='duty',
                    index=models.Index(fields=['status', 'due'], name='visits_duty_status_32f3a8_idx'),
                ),
                migrations.AddIndex(
                    model_name='duty',
                    index=models.Index(fields=['owner', 'status', 'due'], name='visits_duty_owner_i_e22283_idx'),
                ),
                migrations.AddIndex(
                    model_name='duty',
                    index=models.Index(fields=['team', 'status', 'due'], name='visits_duty_team_id_51f1cb_idx'),
                ),
                migrations.AddIndex(
                    model_name='duty',
                    index=models.Index(fields=['child', 'status'], name='visits_duty_child_i_7c000f_idx'),
                ),
                migrations.AddIndex(
                    model_name='duty',
                    index=models.Index(fields=['kind', 'status', 'due'], name='visits_duty_kind_8fcd53_idx'),
                ),
                migrations.AddIndex(
                    model_name='duty',
                    index=models.Index(fields=['due', 'kind'], name='visits_duty_due_kind_idx'),
                ),
                migrations.AddIndex(
                    model_name='duty',
                    index=models.Index(fields=['team', 'done_on'], name='visits_duty_team_done_idx'),
                ),
                migrations.AddConstraint(
                    model_name='duty',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('kind', 'subject'), name='one_open_duty'),
                ),
                migrations.AddConstraint(
                    model_name='alert',
                    constraint=models.UniqueConstraint(fields=('duty', 'level'), name='one_alert_per_duty_level'),
                ),
                migrations.AddConstraint(
                    model_name='alert',
                    constraint=models.UniqueConstraint(fields=('visit', 'level'), name='one_alert_per_visit_level'),
                ),
                migrations.AddConstraint(
                    model_name='alert',
                    constraint=models.CheckConstraint(condition=models.Q(('duty__isnull', False), ('visit__isnull', False), _connector='OR'), name='alert_has_subject'),
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(fields=['user', 'read_at'], name='visits_noti_user_id_3eb37e_idx'),
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(fields=['email_status', 'email_claimed_at'], name='visits_noti_email_s_d882bb_idx'),
                ),
                migrations.AddConstraint(
                    model_name='notification',
                    constraint=models.UniqueConstraint(fields=('alert', 'user'), name='one_notification_per_alert_user'),
                ),
                migrations.AddConstraint(
                    model_name='notification',
                    constraint=models.UniqueConstraint(condition=models.Q(('key', ''), _negated=True), fields=('key', 'user'), name='one_notification_per_key_user'),
                ),
                ],
        ),
    ]
