"""The log-in page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS

from municipalities import access
from municipalities.forms import LoginForm


@access.rule("public")
class LoginView(auth_views.LoginView):
    """A locked log-in (municipalities/login_throttle.py) is the log-in page with the reason, answered 429."""

    form_class = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "locked"):
            response.status_code = 429
            response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
        return response
