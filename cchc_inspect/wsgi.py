import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_inspect.settings")
application = get_wsgi_application()

from cchc_inspect.heap import freeze_loaded_objects, warm_up  # noqa: E402 (after the application is set up)

warm_up()
freeze_loaded_objects()
