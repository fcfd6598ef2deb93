from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from municipalities import login_throttle


class LoginForm(AuthenticationForm):
    """Django's log-in form, which says so when log-in is locked after too many failures rather than calling the
    password wrong (the authentication backend refuses a locked log-in whatever the form)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed log-in attempts. Wait %(minutes)s minutes and try again."),
    }

    def clean(self):
        if login_throttle.locked(self.request, self.cleaned_data.get("username")):
            raise ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60}
            )
        return super().clean()
