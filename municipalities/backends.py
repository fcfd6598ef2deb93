from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction

from municipalities import data_version, demo_users, login_throttle

# A user and their role are kept in Redis between requests and forgotten whenever either is saved or deleted
# (municipalities/signals.py). The time limit only bounds what a change that sends no signal (a queryset's
# update()) leaves behind.
USER_SECONDS = 5 * 60


def _user_key(user_id) -> str:
    return f"auth-user:{data_version.database()}:{user_id}"


def forget_user(user_id) -> None:
    """Read the user from PostgreSQL on their next request: now, and again once the transaction commits (a
    request in between would have cached the user as they were before it)."""
    cache.delete(_user_key(user_id))
    transaction.on_commit(lambda: cache.delete(_user_key(user_id)))


class RoleBackend(ModelBackend):
    """The usual log-in, with three additions. On every request the user comes together with their Jobmål role,
    since every page checks the role: from Redis, or else in one query. Failed log-ins are counted, and past the limit
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
        # The cached user carries the password hash, so django.contrib.auth still checks the session against it:
        # a changed password (a save, which forgets the cached user) logs out every other session.
        user = cache.get(_user_key(user_id))
        if user is None:
            model = get_user_model()
            try:
                user = model._default_manager.select_related("jobmaal_role").get(pk=user_id)
            except model.DoesNotExist:
                return None
            cache.set(_user_key(user_id), user, USER_SECONDS)
        return user if self.user_can_authenticate(user) else None
