"""`field__any_of=[ids]`: one array parameter instead of one placeholder per id.

Pages of a province pass lists of a few hundred ids (its visits, its communes, their predecessors)
to many queries. Django's `__in` prepares and normalises every id on its own and writes a
placeholder for each; on PostgreSQL this lookup sends the list as one array (`= ANY(%s)`), which
the planner treats as the same IN list. Elsewhere (SQLite) it writes the IN list itself. The ids
are made integers here, so nothing but numbers reaches the database.
"""

from django.db.models import ForeignObject, IntegerField, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return sorted({int(value) for value in self.rhs})

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, ids]
        if not ids:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


def register() -> None:
    IntegerField.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)
