"""Channels a message can travel through. E-mail is the one in use; an SMS gateway or a Zalo
Official Account would be another `Channel` registered in CHANNELS, without touching the events."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection


@dataclass(frozen=True)
class Message:
    """What is said, in the reader's language: a subject, plain text, its HTML alternative and the page's address."""

    subject: str
    text: str
    html: str
    link: str = ""


class Channel:
    """One way to reach a person. `address` is empty when the person cannot be reached this way."""

    name = ""

    def address(self, user) -> str:
        raise NotImplementedError

    @contextmanager
    def session(self):
        """A connection reused for a batch of messages."""
        yield None

    def send(self, *, message: Message, address: str, session) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    """Django's e-mail framework (EMAIL_URL or EMAIL_HOST…); never attaches a file."""

    name = "email"

    def address(self, user) -> str:
        return user.email or ""

    @contextmanager
    def session(self):
        connection = get_connection()
        connection.open()
        try:
            yield connection
        finally:
            connection.close()

    def send(self, *, message: Message, address: str, session) -> None:
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=session,
        )
        mail.attach_alternative(message.html, "text/html")
        mail.send(fail_silently=False)


CHANNELS: dict[str, Channel] = {"email": EmailChannel()}
