from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "Route guides"

    def ready(self):
        from .roles import sync_groups

        post_migrate.connect(sync_groups, sender=self)
