from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "dangvu.access"
    label = "access"
    verbose_name = "Phân quyền"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from dangvu.access.roles import sync_builtin_roles

        post_migrate.connect(sync_builtin_roles, sender=self)
