from django.dispatch import Signal

# Sent after an import has committed, with import_run and indicator_ids: charts and caches rebuild on it.
import_finished = Signal()
