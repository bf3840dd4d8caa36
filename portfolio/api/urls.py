"""Routes of /api/v1/. Each area registers its viewsets here, one line each."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = [
    *router.urls,
]
