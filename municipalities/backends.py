from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from municipalities import demo_users, login_throttle


class RoleBackend(ModelBackend):
    """The usual log-in, with three additions. On every request the user is read together with their Jobmål role
    (one query instead of two), since every page checks the role. Failed log-ins are counted, and past the limit
    refused before the password is even checked (login_throttle). Demo users are refused outside development, at
    log-in and for a session they already hold (demo_users)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if login_throttle.locked(request, username):
            raise PermissionDenied  # stops django.contrib.auth.authenticate() at once; the log-in form says why
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            login_throttle.failed(request, username)
        else:
            login_throttle.succeeded(username)
        return user

    # ModelBackend has async paths of its own; these go through the same checks as the sync ones.
    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return await sync_to_async(self.authenticate)(request, username, password, **kwargs)

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not demo_users.refused(user)

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("jobmaal_role").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
