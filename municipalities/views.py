from django.shortcuts import get_object_or_404, render

from municipalities.models import Area, Municipality


def municipality(request, code: str):
    municipality = get_object_or_404(Municipality.objects.prefetch_related("aliases"), code=code)
    memberships = municipality.memberships.select_related("area").order_by("area__kind", "valid_from")
    return render(
        request, "municipalities/municipality.html", {"municipality": municipality, "memberships": memberships}
    )


def jobcentre(request, slug: str):
    jobcentre = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
    return render(request, "municipalities/jobcentre.html", {"jobcentre": jobcentre, "members": jobcentre.members_on()})
