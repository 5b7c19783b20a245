"""An index for the double-filing check: the submitted event that holds a draft's submit key."""

import django.db.models.fields.json
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0015_verbose_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="complaintevent",
            index=models.Index(
                django.db.models.fields.json.KeyTransform("submit_key", "data"),
                condition=models.Q(("type", "submitted")),
                name="event_submit_key",
            ),
        ),
    ]
