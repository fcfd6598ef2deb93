from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from municipalities import boundaries, reference

# The outlines shipped with the app, which load_reference stores when none are (municipalities/data/README.md).
DEFAULT_PATH = reference.BOUNDARIES


class Command(BaseCommand):
    help = "Load the 98 municipalities' outlines for the comparison map from a GeoJSON file (replaces all)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help=f"GeoJSON FeatureCollection (default: {DEFAULT_PATH})")
        parser.add_argument(
            "--attribution", default=boundaries.DEFAULT_ATTRIBUTION, help="the credit line shown under the map"
        )

    def handle(self, *args, path=None, attribution=None, **options):
        file = Path(path) if path else DEFAULT_PATH
        if not file.exists():
            raise CommandError(_("%(path)s does not exist") % {"path": file})
        try:
            count, notes = boundaries.load(file, attribution=attribution)
        except boundaries.BoundaryError as exc:
            raise CommandError("\n".join(exc.problems)) from None
        for note in notes:
            self.stdout.write(note)
        self.stdout.write(
            self.style.SUCCESS(_("Boundaries: %(n)d municipalities loaded from %(path)s") % {"n": count, "path": file})
        )
