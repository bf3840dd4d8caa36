"""Tells drf-spectacular how API tokens are sent, so the schema and Swagger UI show it."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Personlig API-nyckel från profilsidan: `Authorization: Bearer sv_…`.",
        }
