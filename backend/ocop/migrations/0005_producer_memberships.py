"""Producer members get a role: the auto-created M2M table becomes the `ProducerMembership`
through model (same table, existing rows become owners)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ocop", "0004_verbose_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProducerMembership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "producer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="ocop.producer",
                                verbose_name="producer",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="producer_memberships",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "producer member",
                        "verbose_name_plural": "producer members",
                        "db_table": "ocop_producer_members",
                        "unique_together": {("producer", "user")},
                    },
                ),
                migrations.AlterField(
                    model_name="producer",
                    name="members",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="producers",
                        through="ocop.ProducerMembership",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="members",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="producermembership",
            name="role",
            field=models.CharField(
                choices=[("owner", "Chủ cơ sở"), ("staff", "Nhân viên")],
                default="owner",
                max_length=10,
                verbose_name="role",
            ),
        ),
        migrations.AddField(
            model_name="producermembership",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, null=True, verbose_name="created at"),
        ),
        migrations.AddField(
            model_name="producer",
            name="ward",
            field=models.CharField(blank=True, max_length=128, verbose_name="ward"),
        ),
    ]
