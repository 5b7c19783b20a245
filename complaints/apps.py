from importlib import import_module

from django.apps import AppConfig
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

        # Account emails (accounts cannot import complaints) go through this outbox too.
        outbox.register_writer(notification_queue)

        # Cache invalidation only: the calendar is read on every deadline computation.
        post_save.connect(lambda **kw: clear_calendar_cache(), sender=CalendarDay, weak=False)
        post_delete.connect(lambda **kw: clear_calendar_cache(), sender=CalendarDay, weak=False)
