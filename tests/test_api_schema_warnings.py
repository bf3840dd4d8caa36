"""The OpenAPI schema documents every operation: drf-spectacular has nothing to warn about.

A view it cannot describe (no serializer, no `extend_schema`) or two choice sets fighting
over one enum name is a warning here, in-process and fast; `check --deploy` (test
test_security_deploy.py) fails on the same warnings with production settings.
"""

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


def test_the_schema_is_generated_without_warnings_or_errors():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    assert not warnings and not errors, {"warnings": warnings, "errors": errors}
    economy = [path for path in schema["paths"] if "/economy/" in path or "scenarios" in path]
    assert economy, "the economy endpoints are in the schema"


def test_the_economy_writes_document_their_request_bodies():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (
        "/api/v1/allocation/preview/",
        "/api/v1/scenarios/",
        "/api/v1/settlements/portfolios/{id}/",
        "/api/v1/initiatives/{initiative_pk}/costs/",
        "/api/v1/initiatives/{initiative_pk}/time-entries/",
    ):
        post = schema["paths"][path]["post"]
        assert "requestBody" in post, path
        success = next(code for code in post["responses"] if code.startswith("2"))
        assert "content" in post["responses"][success], path
