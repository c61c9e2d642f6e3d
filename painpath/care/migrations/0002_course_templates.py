"""Install the shipped ACT pain-school template and the ACT staff training course
(painpath/care/courses.py). The rows are written as they are in this release, so that
later edits of courses.py do not change what this migration did."""

from django.db import migrations

PAIN_SCHOOL = "Smärtskola – ACT (6 träffar)"
PAIN_SCHOOL_DESCRIPTION = (
    "Smärtskola i grupp med acceptans- och åtagandeterapi (ACT) som grund: sex träffar, "
    "en i veckan. painpaths disposition av Habo-rapportens plan, inte ett licensierat "
    "program."
)
SESSIONS = [
    "Smärta och stress – vad vet vi?",
    "Värderingar – vad är viktigt för dig?",
    "Acceptans och kontroll",
    "Medveten närvaro",
    "Aktivitet, vila och återhämtning i vardagen",
    "Att fortsätta – min plan framåt",
]
TRAINING = "ACT – gemensamt förhållningssätt"
TRAINING_DESCRIPTION = (
    "Grundutbildning i acceptans- och åtagandeterapi för all personal, vårdpersonal och "
    "administrativ personal, som ett gemensamt förhållningssätt i mötet med patienter "
    "med långvarig smärta."
)


def install(apps, schema_editor):
    CourseTemplate = apps.get_model("care", "CourseTemplate")
    TrainingCourse = apps.get_model("care", "TrainingCourse")
    CourseTemplate.objects.get_or_create(
        name=PAIN_SCHOOL, defaults={"description": PAIN_SCHOOL_DESCRIPTION, "sessions": SESSIONS}
    )
    TrainingCourse.objects.get_or_create(
        name=TRAINING, defaults={"description": TRAINING_DESCRIPTION}
    )


def remove(apps, schema_editor):
    # A template a group was run from stays (groups protect it); the course goes, with
    # its completions.
    apps.get_model("care", "CourseTemplate").objects.filter(
        name=PAIN_SCHOOL, groups__isnull=True
    ).delete()
    apps.get_model("care", "TrainingCourse").objects.filter(name=TRAINING).delete()


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
