"""Notifications: the in-app inbox, each user's choices, deliveries and their channels.

They live in `accounts` because they are addressed to a user and every other app already
depends on this one: `inspections` and `reports` emit events through `services.notify`
without `accounts` knowing their models. Who receives what about a visit is decided by
`inspections.events`; the reminders of deadlines are computed by `inspections.reminders`.
"""
