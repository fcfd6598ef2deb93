from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from indicators import imports
from indicators.formats import SourceError


class Command(BaseCommand):
    help = (
        "Refresh the list of Jobindsats tables from the API and, with --columns, the labels and ids of the followed "
        "tables' measures and dimensions from their metadata (stored as source columns, editable in the admin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--columns", action="store_true", help="also read each followed table's metadata")
        parser.add_argument("--api", choices=["v3", "v2"], default="v3", help="API version (default v3)")
        parser.add_argument("--locale", choices=["da", "en"], help="language of the output (default: LANGUAGE_CODE)")

    def handle(self, *args, columns=False, api="v3", locale=None, **options):
        with translation.override(locale or translation.get_language()):
            try:
                tables = imports.sync_catalogue(api)
                self.stdout.write(_("%(count)s tables in the Jobindsats catalogue") % {"count": tables})
                if columns:
                    for code, unmatched in imports.sync_all_columns(api).items():
                        if unmatched:
                            self.stdout.write(
                                self.style.WARNING(
                                    _("%(table)s: not matched, map them in the admin: %(columns)s")
                                    % {"table": code, "columns": "; ".join(unmatched)}
                                )
                            )
                        else:
                            self.stdout.write(_("%(table)s: every column matched") % {"table": code})
            except SourceError as exc:
                raise CommandError(str(exc)) from None
