"""Translated labels for the admin (verbose names only: no schema change, no SQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="failed_login_count",
            field=models.PositiveIntegerField(default=0, verbose_name="failed sign-in attempts"),
        ),
        migrations.AlterField(
            model_name="user",
            name="locked_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="locked until"),
        ),
    ]
