"""The order in which pages read a criteria set: areas in turn, each criterion followed by its sub-criteria."""


def tree_order(area_ids, nodes, siblings=None):
    """Return ``nodes`` (criteria with ``pk``, ``area_id``, ``parent_id``) in tree order.

    ``area_ids`` are the set's areas in their order and ``nodes`` its criteria sorted by
    (order, code), which decides the place of siblings; ``siblings`` may map some siblings'
    pks to new places. A criterion whose parent or area is not found comes last.
    """
    siblings = siblings or {}
    children = {}
    for node in nodes:
        key = ("criterion", node.parent_id) if node.parent_id else ("area", node.area_id)
        children.setdefault(key, []).append(node)
    for group in children.values():
        if group[0].pk in siblings:
            group.sort(key=lambda c: siblings[c.pk])
    ordered, seen = [], set()
    stack = [node for pk in area_ids for node in children.get(("area", pk), [])][::-1]
    while stack:
        node = stack.pop()
        if node.pk in seen:
            continue
        seen.add(node.pk)
        ordered.append(node)
        stack.extend(reversed(children.get(("criterion", node.pk), [])))
    return ordered + [node for node in nodes if node.pk not in seen]


def renumbered(area_ids, nodes, siblings=None):
    """Give ``nodes`` the orders 1, 2, 3… of the tree; return those whose order changed."""
    changed = []
    for place, node in enumerate(tree_order(area_ids, nodes, siblings), start=1):
        if node.order != place:
            node.order = place
            changed.append(node)
    return changed
