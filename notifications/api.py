"""Notifications in the REST API: the person's own list, marking read, and choices."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.api import KnownFieldsOnly

from . import selectors, services
from .models import Kind, Mode, Notification

TAGS = ["aviseringar"]


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "body", "link", "created_at", "read_at"]


@extend_schema(tags=TAGS)
class NotificationList(generics.ListAPIView):
    """Your notifications, unread first."""

    serializer_class = NotificationSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.inbox(self.request.user)


@extend_schema(tags=TAGS, request=None, responses=NotificationSerializer)
class NotificationRead(APIView):
    """Mark one of your notifications read; someone else's answers 404."""

    def post(self, request, pk: int):
        try:
            notification = services.mark_read(user=request.user, notification_id=pk)
        except Notification.DoesNotExist as exc:
            raise NotFound() from exc
        return Response(NotificationSerializer(notification).data)


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


@extend_schema(tags=TAGS, request=None, responses=ReadAllSerializer)
class NotificationReadAll(APIView):
    """Mark all your notifications read."""

    def post(self, request):
        return Response({"marked": services.mark_all_read(user=request.user)})


class PreferencesSerializer(KnownFieldsOnly, serializers.Serializer):
    def get_fields(self):
        return {
            kind.value: serializers.ChoiceField(
                choices=Mode.choices,
                required=False,
                help_text=kind.label,
                error_messages={"invalid_choice": gettext_lazy("Välj ett av alternativen.")},
            )
            for kind in Kind
        }


@extend_schema(tags=TAGS)
class NotificationPreferences(APIView):
    """Your choice per kind: direkt, sammanfattning (daily) or av."""

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request):
        return Response(selectors.preferences(request.user))

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    def put(self, request):
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            services.preferences_set(user=request.user, modes=serializer.validated_data)
        )
