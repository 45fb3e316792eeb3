"""WSGI entry point (served by waitress through `dean06 serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dean06.settings")
application = get_wsgi_application()
