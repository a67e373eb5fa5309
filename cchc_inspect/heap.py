"""What a web process loads once is moved out of the garbage collector's way.

A province's page makes some hundred thousand short-lived objects; each full collection then
walks every object of the process, the loaded application included, and took tens of
milliseconds on a worker. Objects made while loading (modules, URL patterns, views, settings)
live as long as the process: `gc.freeze()` puts them in a permanent generation that collections
skip (and that a forked worker shares with its parent without copying).
"""

import gc


def freeze_loaded_objects() -> None:
    """Import every view (through the URL patterns), collect once, then freeze what is left."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and with it every view)
    gc.collect()
    gc.freeze()
