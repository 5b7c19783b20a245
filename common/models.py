from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def choices_extend(field: models.Field, choices) -> None:
    """Add choices to a field at start-up (an app above registering its own words with an app
    below), keeping the existing ones first and adding each value once."""
    present = {value for value, _label in field.choices}
    field.choices = [*field.choices, *(c for c in choices if c[0] not in present)]
