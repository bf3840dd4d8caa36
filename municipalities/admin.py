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


class OwnConstellationsOnly(admin.ModelAdmin):
    """A samordnare sees and keeps only what concerns their own constellations."""

    def own(self, request, queryset):
        return queryset.none()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else self.own(request, queryset)


@admin.register(Constellation)
class ConstellationAdmin(OwnConstellationsOnly):
    list_display = ["short_name", "name", "governance_mode", "collaboration_form"]
    filter_horizontal = ["members", "areas"]

    def own(self, request, queryset):
        return queryset.filter(members=request.user.municipality_id)


@admin.register(Agreement)
class AgreementAdmin(OwnConstellationsOnly):
    list_display = ["title", "starts_on", "ends_on", "yearly_fee_per_party", "registration_number"]
    filter_horizontal = ["parties"]

    def own(self, request, queryset):
        members = Municipality.objects.filter(
            constellations__members=request.user.municipality_id
        ).values("id")
        return queryset.filter(parties__in=members).distinct()


admin.site.register(CollaborationArea)
