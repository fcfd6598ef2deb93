"""The settings `make run` uses, plus one extra URL: the minimal view the page benchmark compares against."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.site.urls"
