# Danish dates and times as Danish public-sector texts write them (Retskrivningsordbogen): "6. december 2026
# kl. 17.40", a full stop between hours and minutes, never a colon. Only what differs from Django's own Danish
# formats is here; the rest (input formats, separators) comes from django.conf.locale.da.
TIME_FORMAT = "H.i"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
SHORT_DATETIME_FORMAT = "d.m.Y H.i"
