"""EMAIL_URL: one address describing the mail server, read into Django's EMAIL_* settings.

smtp://user:password@host:587        SMTP with STARTTLS (smtp+tls:// says so explicitly)
smtp+plain://host:25                  SMTP without encryption (a relay inside the network)
smtps://user:password@host:465       SMTP over TLS
file:///srv/cchc/mail                 one file per message in that folder
console://                            written to the process's output
"""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_SMTP = "django.core.mail.backends.smtp.EmailBackend"


def email_settings(url: str) -> dict:
    """The EMAIL_* settings an EMAIL_URL stands for; raises ImproperlyConfigured for an unknown scheme."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        folder = unquote((parts.netloc or "") + parts.path)
        if not folder:
            raise ImproperlyConfigured("EMAIL_URL=file:// needs a folder, e.g. file:///srv/cchc/mail")
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": folder}
    if scheme not in {"smtp", "smtp+tls", "smtp+plain", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {parts.scheme!r}; use smtp, smtps, file or console.")
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL needs a host, e.g. smtp://user:password@mail.example.vn:587")
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL: {exc}") from exc
    return {
        "EMAIL_BACKEND": _SMTP,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if scheme == "smtps" else 587 if scheme in {"smtp", "smtp+tls"} else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": scheme in {"smtp", "smtp+tls"},
        "EMAIL_USE_SSL": scheme == "smtps",
    }
