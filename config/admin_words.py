"""Words of Django's own admin that its Danish catalogue (Django 5.2) leaves in English: marked here so that
makemessages keeps them in Jobmål's catalogue (locale/), which Django reads before its own."""

from django.utils.translation import gettext_noop

ADMIN_WORDS = [gettext_noop("Search")]
