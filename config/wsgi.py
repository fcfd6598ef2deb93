import os

from django.core.wsgi import get_wsgi_application

from config import services

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
services.start_embedded()  # development only: with DATABASE_URL and REDIS_URL set (production) it does nothing
application = get_wsgi_application()
