from importlib import import_module

from django.apps import AppConfig
from django.core import checks
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class ComplaintsConfig(AppConfig):
    name = "complaints"
    default_auto_field = "django.db.models.BigAutoField"
    # Its own context: the bare "Complaints" is the staff queue's title ("Antrean laporan").
    verbose_name = pgettext_lazy("app", "Complaints")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from common import outbox
        from complaints.clock import clear_calendar_cache
        from complaints.models import CalendarDay
        from complaints.outbox.queue import notification_queue

        # The services register their outbox resolvers (escalation messages) and the tasks
        # register with Celery, so that the outbox, the services and the jobs can hand work
        # over by task name without importing the task layer.
        import_module("complaints.services")
        import_module("complaints.tasks")
        # The connectors' senders (SP4N-LAPOR!, webhooks), their resolver and relay task.
        import_module("complaints.lapor").register()

        # Account emails (accounts cannot import complaints) go through this outbox too.
        outbox.register_writer(notification_queue)

        # It reads the register: Django runs database checks on `migrate` and on
        # `check --database default`.
        checks.register(calendar_check, checks.Tags.database)

        # Cache invalidation only: the calendar is read on every deadline computation.
        post_save.connect(lambda **kw: clear_calendar_cache(), sender=CalendarDay, weak=False)
        post_delete.connect(lambda **kw: clear_calendar_cache(), sender=CalendarDay, weak=False)

        # The staff pages' choice lists (selectors.reference) follow these models.
        from django.contrib.auth import get_user_model

        from common import refcache
        from complaints.models import Agency, CannedResponse, Category, Membership

        refcache.watch(Agency, Category, CannedResponse, Membership)
        # Users: staff only (a citizen signing up changes no list).
        refcache.watch(
            get_user_model(),
            when=lambda user: (
                user.is_national_admin or Membership.objects.filter(user_id=user.pk).exists()
            ),
        )


def calendar_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn when deadlines would be counted without the cuti bersama of the current year (or,
    from October, of the next): neither the `holidays` package nor the CalendarDay register
    has them. The register is read when the database answers; otherwise the package alone."""
    if not kwargs.get("databases"):
        return []
    from complaints import policy

    try:
        missing = policy.years_without_cuti_bersama_now()
    except DatabaseError:
        missing = policy.years_without_cuti_bersama(timezone.localdate())
    return [
        checks.Warning(
            f"No cuti bersama known for {year}: deadlines would count them as working days.",
            hint=(
                "Upgrade the `holidays` package, or add the SKB's dates in the admin "
                "(Calendar days, 'Import from an SKB'). See the README's yearly upkeep."
            ),
            id="complaints.W001",
        )
        for year in missing
    ]
