"""A queryset whose bulk writes leave the same history rows as saving each object would.

django-simple-history records a change from the model's post_save signal, which
QuerySet.update() and bulk_update() never send. The audit trail of scores,
findings, sign-offs and conclusions must not have such a hole, so the querysets of
those models write the historical rows themselves, in the same transaction.
"""

from django.db import models, transaction


class HistoryWritingQuerySet(models.QuerySet):
    """QuerySet.update() and bulk_update() that also write one history row per changed object."""

    def _write_history(self, pks) -> None:
        if not pks:
            return
        history = self.model.history
        changed = list(self.model._default_manager.filter(pk__in=pks).order_by("pk"))
        history.bulk_history_create(changed, update=True)

    def update(self, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            self._write_history(pks)
        return count

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            self._write_history([obj.pk for obj in objs])
        return count

    bulk_update.alters_data = True
