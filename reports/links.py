from django.urls import reverse

from municipalities.models import Area


def area_url(area: Area, name: str = "reports") -> str:
    """An area's reports page (or, with name="reports-texts", its texts page)."""
    if area.kind == Area.Kind.JOBCENTRE:
        return reverse(f"{name}-jobcentre", args=[area.code])
    return reverse(f"{name}-municipality", args=[area.municipality_id])
