from django.apps import AppConfig


class CareConfig(AppConfig):
    """Coordination: care team, rehab plan, patient agreement, triage look-up, rehab
    meetings, pain-school groups, staff training and opioid treatment agreements."""

    name = "painpath.care"
    label = "care"
    verbose_name = "Samordning"
