"""The admin site manages clinics, users and their clinics. It never shows patient data:
patients, contacts and the rest are reached only through the audited, clinic-scoped views."""

from django.contrib import admin

from painpath.access.models import AuditEvent, ClinicMembership
from painpath.ingest.models import ImportRun
from painpath.records.models import Clinic


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(ClinicMembership)
class ClinicMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "clinic"]
    list_filter = ["clinic"]
    autocomplete_fields = ["clinic"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "pseudonym", "path", "ip_address"]
    list_filter = ["action"]
    search_fields = ["username", "pseudonym"]
    date_hierarchy = "at"


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "source", "imported_by", "exit_code", "rejected"]
