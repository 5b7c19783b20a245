"""pg_trgm for the filing form's "Laporan serupa" step: titles compared by trigram similarity
(complaints.selectors.public.complaint_similar_for_filing). Nothing on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0028_connectors_lapor_webhooks"),
    ]

    operations = [
        TrigramExtension(),
    ]
