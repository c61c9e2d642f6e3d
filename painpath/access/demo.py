"""Demo users, one per role, and one at another clinic who must see nothing of the first."""

from django.contrib.auth.models import Group, User

from painpath.access.models import ClinicMembership, Role
from painpath.records.models import Clinic

DEMO_PASSWORD = "smarta-demo-2024"

DEMO_USERS = [
    # username, full name, role, clinic ("other" = a second clinic)
    ("lakare", "Lena Läkare", Role.CLINICIAN, "main"),
    ("triage", "Tove Telefonrådgivare", Role.TRIAGE, "main"),
    ("forbattring", "Frida Förbättringsledare", Role.IMPROVEMENT_LEAD, "main"),
    ("admin", "Adam Administratör", Role.ADMINISTRATOR, "main"),
    ("annan", "Anna på Annan vårdcentral", Role.CLINICIAN, "other"),
]


def create_demo_users(clinic: Clinic) -> list[tuple[str, str, str]]:
    """Create (or reset) the demo users; returns (username, role label, clinic name)."""
    other, _ = Clinic.objects.get_or_create(
        code="annan", defaults={"name": "Annan vårdcentral (demo)"}
    )
    created = []
    for username, full_name, role, where in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        home = clinic if where == "main" else other
        ClinicMembership.objects.filter(user=user).exclude(clinic=home).delete()
        ClinicMembership.objects.get_or_create(user=user, clinic=home)
        created.append((username, str(role.label), home.name))
    return created
