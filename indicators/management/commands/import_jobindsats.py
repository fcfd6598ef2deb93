from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from indicators import imports
from indicators.formats import SourceError


class Command(BaseCommand):
    help = (
        "Import Jobindsats figures from a file (--file PATH [--table ID]) or from the API (--table ID "
        "[--periods 2020M01,2020M02 | --from 2019M01 --to 2020M12]). All or nothing: bad input writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="v2/v3 JSON or CSV saved from Jobindsats")
        parser.add_argument("--table", help="table id (e.g. MM13); inferred from a file where possible")
        parser.add_argument("--periods", help="comma-separated period codes (API); default: the latest 14")
        parser.add_argument("--from", dest="first", help="backfill from this period (API)")
        parser.add_argument("--to", dest="last", help="backfill to this period (API)")
        parser.add_argument("--api", choices=["v3", "v2"], default="v3", help="API version (default v3)")
        parser.add_argument("--locale", choices=["da", "en"], help="language of the messages (default: LANGUAGE_CODE)")

    def handle(self, *args, locale=None, **options):
        # Messages are translated when printed, so the whole command runs in the chosen language.
        with translation.override(locale or translation.get_language()):
            self.run(**options)

    def run(self, file=None, table=None, periods=None, first=None, last=None, api="v3", **options):
        if not file and not table:
            raise CommandError(_("give --file PATH, or --table ID to import from the API"))
        bar = tqdm(total=100, unit="%", disable=options["verbosity"] == 0, file=self.stderr._out)

        def progress(phase: str, fraction: float) -> None:
            bar.set_description(phase)
            bar.update(int(fraction * 100) - bar.n)

        try:
            if file:
                run = imports.from_file(file, table=table, progress=progress)
            elif first or last:
                if not (first and last):
                    raise CommandError(_("--from and --to go together"))
                run = imports.backfill(table, first, last, version=api, progress=progress)
            else:
                wanted = [p.strip() for p in periods.split(",")] if periods else None
                run = imports.from_api(table, periods=wanted, version=api, progress=progress)
        except SourceError as exc:
            bar.close()
            raise CommandError(str(exc)) from None
        bar.close()
        summary = _(
            "Import #%(run)s of %(table)s%(demo)s, periods %(periods)s: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged, %(derived)s derived"
        ) % {
            "run": run.pk,
            "table": run.table,
            "demo": _(" (demo data)") if run.is_demo else "",
            "periods": run.periods,
            "created": run.rows_created,
            "updated": run.rows_updated,
            "unchanged": run.rows_unchanged,
            "derived": run.rows_derived,
        }
        self.stdout.write(self.style.SUCCESS(summary))
        for warning in run.warning_list:
            self.stdout.write(self.style.WARNING(_("Data warning: %(text)s") % {"text": warning["text"]}))
