from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Administrative units")

    def ready(self):
        from .folding import register_sqlite_collation

        # SQLite has no Vietnamese collation: lists sorted by name compare them with name_key there.
        connection_created.connect(register_sqlite_collation, dispatch_uid="communes.folding.sqlite_collation")
