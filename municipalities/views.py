"""The log-in page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import resolve_url

from municipalities import access
from municipalities.forms import LoginForm
from municipalities.models import Area


@access.rule("public")
class LoginView(auth_views.LoginView):
    """A locked log-in (municipalities/login_throttle.py) is the log-in page with the reason, answered 429."""

    form_class = LoginForm

    def get_default_redirect_url(self):
        # Unless a page sent them to log in, each lands on their own overview: ministry staff compare municipalities,
        # a chief reads their jobcentre, a chair their municipality.
        user = self.request.user
        if access.is_ministry(user):
            return resolve_url("dashboard-comparison")
        own = access.own_areas(user)
        if own and own[0].kind == Area.Kind.JOBCENTRE:
            return resolve_url("dashboard-jobcentre", own[0].code)
        if own:
            return resolve_url("dashboard-municipality", own[0].municipality_id)
        return super().get_default_redirect_url()

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "locked"):
            response.status_code = 429
            response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
        return response
