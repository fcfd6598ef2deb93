from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """The usual log-in; on every request the user is read together with their Jobmål role (one query instead of
    two), since every page checks the role."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("jobmaal_role").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
