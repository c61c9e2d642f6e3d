"""Pain-school pages (smärtskola): the groups, a new group, one group with its sessions,
participants and waiting list, adding and withdrawing a participant, and attendance.

A group outside the user's clinics is a 404; who sees and marks whom in a shared group,
and what is audited, is written in groups.py's docstring."""

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for
from painpath.care import actions, groups
from painpath.care.forms_groups import NO_PATIENT, AttendanceForm, GroupForm, ParticipantForm
from painpath.care.models import PainSchoolGroup, Participant
from painpath.care.states import ParticipantStatus


def _posted(request):
    return request.POST if request.method == "POST" else None


def get_group_for_user(request, pk: int) -> PainSchoolGroup:
    """The group, if one of the user's clinics takes part; else 404 as if none existed."""
    group = groups.groups_for(clinics_for(request.user)).filter(pk=pk).first()
    if group is None:
        raise Http404("Ingen sådan grupp")
    return group


def _own_participant(request, group, participant_id: int) -> Participant:
    return get_object_or_404(
        group.participants.select_related("patient", "clinic"),
        pk=participant_id,
        clinic__in=clinics_for(request.user),
    )


def _changed(request, group, patient, what: str) -> None:
    audit(request, AuditAction.CHANGE, patient, f"smärtskolegrupp {group.pk}: {what}")


def group_list(request):
    lines = groups.group_lines(clinics_for(request.user))
    return render(request, "care/group_list.html", {"lines": lines})


def group_new(request):
    form = GroupForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = actions.create_group(
            data["template"], name=data["name"], host=form.chosen_host,
            clinics=data["partners"], capacity=data["capacity"], starts=form.session_starts(),
            user=request.user, completion_sessions=data["completion_sessions"],
            format=data["format"], place=data["place"],
        )  # fmt: skip
        audit(request, AuditAction.CHANGE, detail=f"smärtskolegrupp {group.pk}: skapad")
        messages.success(request, _("Gruppen är skapad."))
        return redirect("care_group", group.pk)
    return render(request, "care/group_form.html", {"form": form})


def group_detail(request, pk: int):
    group = get_group_for_user(request, pk)
    roster = groups.roster(group, clinics_for(request.user))
    for seat in roster.named:  # one VIEW per own-clinic patient the page names
        audit(request, AuditAction.VIEW, seat.participant.patient, f"smärtskolegrupp {pk}")
    context = {"group": group, "roster": roster, "clinics": group.clinics.order_by("name")}
    return render(request, "care/group_detail.html", context)


def group_add(request, pk: int):
    group = get_group_for_user(request, pk)
    form = ParticipantForm(_posted(request), user=request.user, group=group)
    if request.method == "POST":
        if form.is_valid():
            try:
                participant = actions.add_participant(
                    group, form.patient, form.clinic, user=request.user
                )
            except IntegrityError:  # added by a colleague a moment ago
                messages.error(request, _("Patienten finns redan i gruppen."))
                return redirect("care_group", pk)
            _placed_or_waiting(request, group, participant)
            return redirect("care_group", pk)
        if form.found is not None:  # found but refused: the page still tells about them
            audit(request, AuditAction.LOOKUP, form.found, f"smärtskolegrupp {pk}: ej tillagd")
        elif form.has_error("pseudonym", NO_PATIENT):
            # Never the typed value: it may be a personnummer typed by mistake.
            audit(request, AuditAction.LOOKUP, detail="ingen träff på pseudonym")
    return render(request, "care/group_add.html", {"group": group, "form": form})


def _placed_or_waiting(request, group, participant) -> None:
    if participant.status == ParticipantStatus.PLACED:
        _changed(request, group, participant.patient, "plats")
        messages.success(request, _("Plats i gruppen."))
        return
    number = groups.waiting_number(participant)
    _changed(request, group, participant.patient, f"väntelista nr {number}")
    messages.warning(
        request,
        _("Gruppen är full – patienten står som nr %(n)s på väntelistan.") % {"n": number},
    )


@require_POST
def group_withdraw(request, pk: int, participant_id: int):
    group = get_group_for_user(request, pk)
    participant = _own_participant(request, group, participant_id)
    if participant.status == ParticipantStatus.WITHDRAWN:
        return redirect("care_group", pk)
    moved_up = actions.withdraw(participant)
    _changed(request, group, participant.patient, "avbrutit")
    text = _("%(p)s har avbrutit.") % {"p": participant.patient.pseudonym}
    if moved_up is not None:
        _changed(request, group, moved_up.patient, "fick plats från väntelistan")
        if moved_up.clinic in clinics_for(request.user):
            who = moved_up.patient.pseudonym
        else:
            who = _("en deltagare från %(clinic)s") % {"clinic": moved_up.clinic.name}
        text += " " + _("Platsen gick till %(who)s, som stod först på väntelistan.") % {"who": who}
    messages.success(request, text)
    return redirect("care_group", pk)


def group_attendance(request, pk: int, number: int):
    group = get_group_for_user(request, pk)
    roster = groups.roster(group, clinics_for(request.user))
    index = next((i for i, s in enumerate(roster.sessions) if s.number == number), None)
    if index is None:
        raise Http404("Ingen sådan träff")
    session = roster.sessions[index]
    form = AttendanceForm(_posted(request), seats=roster.placed, index=index)
    if request.method == "POST" and form.is_valid():
        for seat, present in form.present():
            actions.mark_attendance(session, seat.participant, present)
            mark = "närvarande" if present else "frånvarande"
            _changed(request, group, seat.participant.patient, f"träff {number} {mark}")
        messages.success(request, _("Närvaron är sparad."))
        return redirect("care_group", pk)
    for seat in roster.placed:
        audit(request, AuditAction.VIEW, seat.participant.patient, f"smärtskolegrupp {pk}")
    context = {"group": group, "session": session, "form": form, "roster": roster}
    return render(request, "care/group_attendance.html", context)
