from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocalPointsConfig(AppConfig):
    name = "focal_points"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Focal points")

    def ready(self) -> None:
        from focal_points import vocabulary

        vocabulary.register()
