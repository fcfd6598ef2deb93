"""The log-in page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import resolve_url

from municipalities import access
from municipalities.forms import LoginForm


@access.rule("public")
class LoginView(auth_views.LoginView):
    """A locked log-in (municipalities/login_throttle.py) is the log-in page with the reason, answered 429."""

    form_class = LoginForm

    def get_default_redirect_url(self):
        # Ministry staff compare municipalities: they land on the comparison unless a page sent them to log in.
        if access.is_ministry(self.request.user):
            return resolve_url("dashboard-comparison")
        return super().get_default_redirect_url()

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "locked"):
            response.status_code = 429
            response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
        return response
