"""What is cached about users and areas is forgotten when they change (municipalities/backends.py,
municipalities/data_version.py)."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from municipalities import data_version, staff
from municipalities.backends import forget_user
from municipalities.models import Area, Membership, Municipality, UserRole


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def forget_changed_user(sender, instance, **kwargs):
    forget_user(instance.pk)  # a new password, deactivation, a new name: all read on the next request


@receiver([post_save, post_delete], sender=UserRole)
def forget_changed_role(sender, instance, **kwargs):
    forget_user(instance.user_id)


@receiver(post_save, sender=UserRole)
def ministry_staff_in_admin(sender, instance, raw=False, **kwargs):
    if not raw:  # not while loading a fixture or a backup
        staff.sync(instance.user, instance.role == UserRole.Role.MINISTRY)


@receiver(post_delete, sender=UserRole)
def role_taken_away(sender, instance, **kwargs):
    user = type(instance.user).objects.filter(pk=instance.user_id).first()
    if user is not None:
        staff.sync(user, False)


@receiver(pre_save, sender=UserRole)
def forget_previous_holder(sender, instance, **kwargs):
    # A role given to another user (in the admin) is taken from the one who had it.
    if instance.pk is None:
        return
    previous = UserRole.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
    if previous is not None and previous != instance.user_id:
        forget_user(previous)
        holder = type(instance.user).objects.filter(pk=previous).first()
        if holder is not None:
            staff.sync(holder, False)


@receiver([post_save, post_delete], sender=Area)
@receiver([post_save, post_delete], sender=Membership)
@receiver([post_save, post_delete], sender=Municipality)
def bump_for_areas(sender, **kwargs):
    data_version.bump()  # names and members on the pages, and the access checks' lookups
