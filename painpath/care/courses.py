"""The course templates and staff training courses painpath ships.

The ACT-based pain school (smärtskola) is painpath's own outline of the plan in the Habo
report (an ACT-based pain school run by the clinics together): six sessions with their
themes. It is not a licensed programme, and carries no course material; the clinic's
group leaders fill the sessions with their own. Migration 0002_course_templates installs
these rows; a clinic may add other templates in the admin.
"""

ACT_PAIN_SCHOOL = "Smärtskola – ACT (6 träffar)"
ACT_PAIN_SCHOOL_DESCRIPTION = (
    "Smärtskola i grupp med acceptans- och åtagandeterapi (ACT) som grund: sex träffar, "
    "en i veckan. painpaths disposition av Habo-rapportens plan, inte ett licensierat "
    "program."
)
ACT_PAIN_SCHOOL_SESSIONS = [
    "Smärta och stress – vad vet vi?",
    "Värderingar – vad är viktigt för dig?",
    "Acceptans och kontroll",
    "Medveten närvaro",
    "Aktivitet, vila och återhämtning i vardagen",
    "Att fortsätta – min plan framåt",
]

# Staff training: ACT as a common approach (gemensamt förhållningssätt) for every
# caregiver and administrator, so patients meet the same way of talking about pain.
ACT_TRAINING = "ACT – gemensamt förhållningssätt"
ACT_TRAINING_DESCRIPTION = (
    "Grundutbildning i acceptans- och åtagandeterapi för all personal, vårdpersonal och "
    "administrativ personal, som ett gemensamt förhållningssätt i mötet med patienter "
    "med långvarig smärta."
)
