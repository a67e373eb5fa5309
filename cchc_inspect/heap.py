"""What a web process loads once is moved out of the garbage collector's way.

A province's page makes some hundred thousand short-lived objects; each full collection then
walks every object of the process, the loaded application included, and took tens of
milliseconds on a worker. Objects made while loading (modules, URL patterns, views, settings)
live as long as the process: `gc.freeze()` puts them in a permanent generation that collections
skip (and that a forked worker shares with its parent without copying).
"""

import gc
import logging
from pathlib import Path

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Load before the first request what every request of a worker needs, without the database.

    A fresh worker's first page took half a second more than the next: the template engine
    imported every tag library, compiled the page's templates, read the translation catalogues
    and built the URL patterns' reverse tables. Under load the requests queued behind that
    first page; done here, at start, they are not. Each template of the project is compiled
    once (kept by the cached loader); one that does not compile is logged and left to fail
    where it is used, as it would have.
    """
    from django.conf import settings
    from django.template import TemplateSyntaxError, engines
    from django.template.loader import get_template
    from django.urls import reverse
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # Reads the language's catalogues and fills the URL resolver's reverse table for it.
            reverse("home")
    for engine in engines.all():
        for folder in engine.dirs:
            for path in sorted(Path(folder).rglob("*.html")):
                name = path.relative_to(folder).as_posix()
                try:
                    get_template(name)
                except TemplateSyntaxError:
                    logger.warning("template %s does not compile", name, exc_info=True)


def freeze_loaded_objects() -> None:
    """Import every view (through the URL patterns), collect once, then freeze what is left."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and with it every view)
    gc.collect()
    gc.freeze()
