"""The care domain's vocabularies and rules, in one place.

- Staff (personal) are either caregivers, with a profession, or administrators; training
  coverage is counted for each kind separately, among those on the roster on the day.
- A care team has at most one current responsible caregiver (fast vårdkontakt). Naming a
  new one ends the old one's responsibility the same day; members join and leave on dates
  and are never deleted, so "who was on the team when" can always be answered.
- Rehab plans and patient agreements are versioned: a change is a new version, the old one
  is kept. The *current* agreement on a day is the latest version valid on that day
  (valid_from <= day <= valid_until). An agreement was *reviewed on time* when a newer
  version was written on or before its valid_until.
- A pain-school participant is PLACED while the group has room, else WAITING, in order of
  arrival; when a placed participant withdraws, the first waiting one is placed. A placed
  participant *completed* the course when they attended at least the group's
  `completion_sessions` sessions.
- *Pathway patients in care* are those assessed, with follow-up due, or followed up: a plan
  and an agreement are made at or after the first assessment, and outlive the pathway.
- A patient is *due for a rehab meeting* when enrolled and assessed, with a team of two or
  more professions, and either never had a meeting or the plan's review date has passed.
- An opioid treatment agreement is *current* on a day when agreed_on <= day and it has not
  ended; its review is due on review_on.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

REHAB_MEETING_EVERY_DAYS = 180  # no review date: a meeting is due again after six months
OPIOID_LOOKBACK_DAYS = 180  # "on opioids": an opioid prescription in the last six months
OPIOID_ATC_PREFIXES = ("N02A", "N07BC02")  # opioids, and methadone (for pain here)
AGREEMENT_MONTHS = 6  # a new agreement's default validity


class StaffKind(models.TextChoices):
    CAREGIVER = "caregiver", _("Vårdpersonal")
    ADMINISTRATOR = "administrator", _("Administrativ personal")


class ParticipantStatus(models.TextChoices):
    PLACED = "placed", _("Plats i gruppen")
    WAITING = "waiting", _("Väntelista")
    WITHDRAWN = "withdrawn", _("Avbrutit")


class GroupFormat(models.TextChoices):
    ON_SITE = "on_site", _("På plats")
    DIGITAL = "digital", _("Digitalt")
