from django.contrib import admin

from .models import Agreement, CollaborationArea, Constellation, County, Municipality, Population


class PopulationInline(admin.TabularInline):
    model = Population
    extra = 0


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    search_fields = ["code", "name"]
    list_select_related = ["county"]
    inlines = [PopulationInline]


@admin.register(Constellation)
class ConstellationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "governance_mode", "collaboration_form"]
    filter_horizontal = ["members", "areas"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "yearly_fee_per_party", "registration_number"]
    filter_horizontal = ["parties"]


admin.site.register(CollaborationArea)
