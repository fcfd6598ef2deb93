from django.core.management.base import BaseCommand

from goals import reference


class Command(BaseCommand):
    help = "Load the reference areas, the indicator catalogue and the 2020 goals (idempotent)."

    def handle(self, *args, **options):
        counts = reference.load_all()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{key}: {n}" for key, n in counts.items())))
