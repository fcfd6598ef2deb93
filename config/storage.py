"""Static files as every server but a developer's runserver and the tests serves them: collected, named by
their content's hash and compressed with Brotli and gzip, so WhiteNoise sends the smallest variant a browser accepts
and lets it keep hashed files for good (`Cache-Control: max-age=315360000, immutable`)."""

from __future__ import annotations

import os

from django.contrib.staticfiles.apps import StaticFilesConfig
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFiles(StaticFilesConfig):
    """collectstatic leaves out what no page uses: plotly's widget bundle and data sets, DKFDS's Sass sources, its
    other themes and desktop fonts (a third of the bytes there would be to compress)."""

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "widgetbundle.js",
        "datasets",
        "*.scss",
        "*.otf",
        "dkfds-borgerdk*",
        "dkfds-virkdk*",
    ]


class _KeepingCompressor(Compressor):
    """Compresses a file again only when it changed: WhiteNoise gives a compressed file its source's mtime, so an
    unchanged file's variants are kept. `make run` collects on every start; only the first start waits (a minute or
    two, plotly.js at Brotli's best)."""

    @staticmethod
    def compress_brotli(data):
        import brotli

        # Brotli's best (11) unless STATIC_BROTLI_QUALITY says less: the transfer-size test compresses at 5, a
        # sixth of the time, and a limit that holds at 5 holds at 11 too.
        return brotli.compress(data, quality=int(os.environ.get("STATIC_BROTLI_QUALITY", "11")))

    def compress(self, path: str) -> list[str]:
        mtime = os.stat(path).st_mtime
        kept = [path + suffix for suffix in (".br", ".gz") if _same_mtime(path + suffix, mtime)]
        if kept and (path + ".br" in kept or not self.use_brotli):
            return kept
        return super().compress(path)


def _same_mtime(path: str, mtime: float) -> bool:
    try:
        return os.stat(path).st_mtime == mtime
    except FileNotFoundError:
        return False


class StaticStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        # Hashed names with DEBUG on too (Django would give the plain ones): `make run` is a development server with
        # production's static files, and only a hashed name may be cached for good.
        return super().url(name, force=True)

    @property
    def keep_only_hashed_files(self) -> bool:
        # Every page names its files by their hashed names (url() above), so the unhashed copies are never sent:
        # not keeping them halves the compressing on a first start (plotly.js at Brotli's best is 15 s a copy).
        return True

    def create_compressor(self, **kwargs) -> Compressor:
        return _KeepingCompressor(**kwargs)
