from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        from cchc_inspect.lookups import register as register_lookups

        from .search import register_sqlite_fold

        register_lookups()

        # SQLite has no unaccent: the search's fallback compares text folded by this Python function.
        connection_created.connect(register_sqlite_fold, dispatch_uid="inspections.search.sqlite_fold")
