from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from indicators import imports
from indicators.formats import SourceError


class Command(BaseCommand):
    help = "Generate and import the deterministic demo data (marked as demo everywhere it is shown)."

    def handle(self, *args, **options):
        bar = tqdm(total=100, unit="%", disable=options["verbosity"] == 0, file=self.stderr._out)

        def progress(phase: str, fraction: float) -> None:
            bar.set_description(phase)
            bar.update(int(fraction * 100) - bar.n)

        try:
            run = imports.demo(progress=progress)
        except SourceError as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: import #{run.pk}, {run.rows_created} created, {run.rows_updated} updated, "
                f"{run.rows_unchanged} unchanged, {run.rows_derived} derived"
            )
        )
