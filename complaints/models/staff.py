"""Staff conveniences and the service's own feedback: saved views, canned answers, feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from complaints.models.org import Agency


class SavedFilter(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="saved_filters", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query"), max_length=1000)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedfilter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CannedResponse(TimeStampedModel):
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), related_name="canned_responses", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class ServiceFeedback(models.Model):
    """What a visitor thinks of the service itself (the "Feedback on this service" page).
    Anonymous by design: no link to a person or a complaint, only the page they came from."""

    class Rating(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        VERY_DISSATISFIED = 1, _("Very dissatisfied")

    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    page = models.CharField(_("page"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="id")
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("service feedback")
        verbose_name_plural = _("service feedback")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="servicefeedback_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} ({self.created_at:%Y-%m-%d})"
