"""ASGI entry point, for deployments behind an ASGI server."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dean06.settings")
application = get_asgi_application()
