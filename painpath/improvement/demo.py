"""A demo improvement project at the demo clinic, like the Habo report's: better
coordination for patients with long-term pain, with its causes and ideas, a team (fictional
names), indicators computed from the data and one entered by hand, measured, and PDSA
cycles. Run after `painpath democare`; running it again adds nothing.
"""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from painpath.improvement import actions
from painpath.improvement.models import Project
from painpath.improvement.states import Act, Direction

THEME = "Bättre samordning för patienter med långvarig smärta"
CAUSES = (
    ("Över 80 % av patienterna träffar bara en profession", "Metoder", (
        "Bättre rehabmöten med patienten och flera professioner",
        "Rätt använd kompetens: psykolog och arbetsterapeut tidigare",
    )),
    ("Patienten vet inte vad nästa steg är och ringer igen", "Människor", (
        "Fler patientöverenskommelser, och telefonrådgivningen hänvisar till dem",
    )),
    ("Ingen smärtskola genomförd", "Metoder", (
        "ACT-baserad smärtskola, gärna digital och tillsammans med andra vårdcentraler",
    )),
    ("Professionerna ger olika råd", "Människor", (
        "ACT-utbildning för alla vårdgivare och vårdadministratörer, samma tillfälle",
    )),
)  # fmt: skip
TEAM = (
    ("Dana Berg", "Verksamhetschef, distriktssköterska"),
    ("Lena Läkare", "Specialist i allmänmedicin"),
    ("Pia Fysio", "Fysioterapeut"),
    ("Sam Psykolog", "Psykolog"),
)


@transaction.atomic
def build_project(clinic, today: date | None = None) -> Project | None:
    """The demo project, measured; None when the clinic already has it."""
    if Project.objects.filter(clinic=clinic, theme=THEME).exists():
        return None
    user = User.objects.filter(username="forbattring").first()
    project = actions.create_project(
        clinic, user, year=2024, theme=THEME,
        head_of_unit="Dana Berg", head_of_unit_email="dana.berg@example.org",
        contact_name="Dana Berg", contact_profession="Verksamhetschef",
        contact_email="dana.berg@example.org",
        patient_involvement="Patienter i smärtskolan tillfrågas efter sista träffen om vad som "
        "hjälpt och vad som saknats; två patienter deltar i ett av teamets möten.",
        mapping="Djupdykning 2020–2023: 124 patienter med R52.2, 1 % av de listade. Över 80 % "
        "träffar bara en profession, 106 har fler än 10 kontakter, de två patienter som har "
        "flest kontakter av alla vårdcentralens patienter finns i gruppen.",
        goals="Samordna behandlingsinsatserna för, och informationen till, patienter med "
        "långvarig smärta. Jämlik vård för likvärda besvär. Rätt använd kompetens.",
        action_plan="Rehabmöte varje månad för patienter med fler än en profession.\n"
        "ACT-utbildning för all personal.\nEnkät före och efter smärtskolan.",
    )  # fmt: skip
    for name, profession in TEAM:
        actions.add_team_member(project, name, profession)
    ideas = []
    for text, category, cause_ideas in CAUSES:
        cause = actions.add_cause(project, text, category)
        ideas += [actions.add_idea(cause, idea) for idea in cause_ideas]
    several = actions.add_indicator(
        project, name="", catalogue_key="multi_profession", start_value=17.7,
        start_period="2020-01-01–2023-12-31", target=25.0, target_text="minst 25 %",
        target_date=date(2024, 12, 31), direction=Direction.UP,
    )  # fmt: skip
    oxycodone = actions.add_indicator(
        project, name="", catalogue_key="oxycodone_prescriptions",
        start_period="2023", target_text="minskning med >10 %",
        target_date=date(2024, 12, 31), direction=Direction.DOWN,
    )  # fmt: skip
    actions.add_indicator(
        project, name="Antal grupper smärtskola", kind="process", source="Egen statistik",
        start_value=0, start_period="2023", target=2, target_date=date(2024, 12, 31),
        direction=Direction.UP, chart="c",
    )  # fmt: skip
    for indicator in (several, oxycodone):
        actions.measure(indicator, today=today)
    actions.add_note(several, date(2024, 1, 1), "Djupdykningen presenteras på APT")
    actions.start_pdsa(
        project, user, idea=ideas[-1], indicators=[several],
        title="ACT-utbildning för hela personalen", starts_on=date(2024, 3, 1),
        objective="Ett gemensamt språk om långvarig smärta, från telefonen till behandlingen.",
        prediction="Fler patienter träffar mer än en profession inom sex månader.",
        plan="Alla vårdgivare och administratörer, två halvdagar i mars; verksamhetschefen "
        "bokar, psykologen håller i uppföljningen.",
        do="Genomfört med 90 % närvaro; två fick gå en senare omgång.",
        study="Andelen har inte ökat ännu; fler rehabmöten bokas men få är genomförda.",
        act=Act.ADAPT, act_notes="Följ upp med rehabmöten varannan vecka.",
        ends_on=date(2024, 6, 30),
    )  # fmt: skip
    actions.start_pdsa(
        project, user, idea=ideas[2], indicators=[several],
        title="Patientöverenskommelse vid varje rehabmöte", starts_on=date(2024, 9, 1),
        objective="Patienten vet nästa steg och vem hen ska kontakta.",
        prediction="Färre samtal till telefonrådgivningen från patienter i vårdförloppet.",
        plan="Rehabkoordinatorn skriver överenskommelsen under mötet; telefonrådgivningen "
        "läser den vid nästa samtal.",
    )  # fmt: skip
    return project
