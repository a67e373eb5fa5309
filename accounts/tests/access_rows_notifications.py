"""Notifications: every signed-in person reads and changes only his own."""

from accounts.notifications.kinds import Kind, Mode
from accounts.notifications.models import Notification
from tests.access import Row, expect


def commune_a_notification(world):
    notification = Notification.objects.create(
        user=world.users["commune_a"],
        kind=Kind.QUESTION_ANSWERED,
        params={"commune": world.commune_a.name},
        link="/campaigns/portal/",
    )
    return {"pk": notification.pk}


def preferences_data(world):
    return {"language": "en", **dict.fromkeys(Kind.values, Mode.DIGEST)}


ACCESS_ROWS = [
    Row("notifications:inbox", expect(200)),
    Row("notifications:bell", expect(200)),
    Row("notifications:preferences", expect(200)),
    Row("notifications:preferences", expect(302), method="post", data=preferences_data),
    Row("notifications:mark_read", expect(405)),
    Row("notifications:mark_read", expect(302), method="post"),
    # Another person's notification does not exist for him.
    Row("notifications:open", expect(405), kwargs=commune_a_notification),
    Row("notifications:open", expect(404, commune_a=302), kwargs=commune_a_notification, method="post"),
]
