from django.db import migrations, models

# The demo users as municipalities/demo_users.py made them before they were flagged: the username, and "(demo)" in
# the name it gave them. A real user who happens to be called "chef" has a name of their own.
DEMO_USERNAMES = ["chef", "formand", "ministerie"]


def flag_demo_users(apps, schema_editor):
    UserRole = apps.get_model("municipalities", "UserRole")
    roles = UserRole.objects.filter(user__username__in=DEMO_USERNAMES)
    for role in roles.select_related("user"):
        if "(demo)" in f"{role.user.first_name} {role.user.last_name}":
            role.is_demo = True
            role.save(update_fields=["is_demo"])


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0002_userrole"),
    ]

    operations = [
        migrations.AddField(
            model_name="userrole",
            name="is_demo",
            field=models.BooleanField(
                default=False,
                help_text="Created for trying Jobmål on a development machine; cannot log in anywhere else.",
                verbose_name="demo user",
            ),
        ),
        migrations.RunPython(flag_demo_users, migrations.RunPython.noop),
    ]
