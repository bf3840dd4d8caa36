"""What a client of the API depends on, taken from the OpenAPI schema, and the changes
to it that would break such a client.

`contract(schema)` keeps the schema's structure (operations, parameters, bodies,
responses, each component's properties with their types and constraints) and drops
its prose. `breaking(released, current)` lists what a client written against the
released contract would trip over: an operation, parameter or field removed, a type
changed, a request narrowed (a new required field or parameter, fewer enum values, a
new or changed limit or pattern), a response widened (new enum values, null allowed).
"""

KEPT = (
    "type",
    "format",
    "enum",
    "$ref",
    "nullable",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "readOnly",
    "additionalProperties",
)
LIMITS = ("pattern", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems")


# The limits of the database's own integer columns: drf-spectacular reads them from the
# backend in use, so SQLite and PostgreSQL give the same field different bounds and
# formats. They are the database's, not the API's, and are left out of the contract.
DATABASE_BOUNDS = {2**15 - 1, -(2**15), 2**31 - 1, -(2**31), 2**63 - 1, -(2**63)}


def _compact(schema):
    if not isinstance(schema, dict):
        return schema
    kept = {key: schema[key] for key in KEPT if key in schema}
    if kept.get("type") == "integer":
        kept.pop("format", None)
    for bound in ("minimum", "maximum"):
        if kept.get(bound) in DATABASE_BOUNDS:
            del kept[bound]
    if isinstance(kept.get("additionalProperties"), dict):
        kept["additionalProperties"] = _compact(kept["additionalProperties"])
    if "items" in schema:
        kept["items"] = _compact(schema["items"])
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema:
            kept[key] = [_compact(part) for part in schema[key]]
    if "properties" in schema:
        kept["properties"] = {k: _compact(v) for k, v in schema["properties"].items()}
        kept["required"] = sorted(schema.get("required", []))
    return kept


def _body(content: dict) -> dict:
    return {media: _compact(value.get("schema", {})) for media, value in content.items()}


def contract(schema: dict) -> dict:
    operations = {}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = {
                f"{p['in']}:{p['name']}": {
                    "required": p.get("required", False),
                    "schema": _compact(p.get("schema", {})),
                }
                for p in operation.get("parameters", [])
            }
            request = operation.get("requestBody")
            operations[f"{method.upper()} {path}"] = {
                "parameters": parameters,
                "request": _body(request["content"]) if request else None,
                "request_required": bool(request and request.get("required")),
                "responses": {
                    status: _body(response.get("content", {}))
                    for status, response in operation["responses"].items()
                },
            }
    return {
        "version": schema["info"]["version"],
        "operations": operations,
        "schemas": {
            name: _compact(component)
            for name, component in schema.get("components", {}).get("schemas", {}).items()
        },
    }


def _type(schema: dict) -> str:
    return "/".join(str(schema.get(key)) for key in ("type", "format") if key in schema) or "-"


def _request_narrowed(where: str, old: dict, new: dict) -> list[str]:
    found = []
    if old.get("type") != new.get("type") or old.get("format") != new.get("format"):
        found.append(f"{where}: type {_type(old)} -> {_type(new)}")
    if "enum" in old and set(old["enum"]) - set(new.get("enum", old["enum"])):
        found.append(f"{where}: fewer values")
    for limit in LIMITS:
        if limit in new and new[limit] != old.get(limit):
            found.append(f"{where}: {limit} {old.get(limit)!r} -> {new[limit]!r}")
    return found


def _response_widened(where: str, old: dict, new: dict) -> list[str]:
    found = []
    if old.get("type") != new.get("type") or old.get("format") != new.get("format"):
        found.append(f"{where}: type {_type(old)} -> {_type(new)}")
    if "enum" in old and set(new.get("enum", [])) - set(old["enum"]):
        found.append(f"{where}: new values")
    if new.get("nullable") and not old.get("nullable"):
        found.append(f"{where}: may be null")
    return found


def _component(name: str, old: dict, new: dict | None, request: bool) -> list[str]:
    if new is None:
        return [f"{name}: removed"]
    found = []
    old_properties, new_properties = old.get("properties", {}), new.get("properties", {})
    for field, old_field in old_properties.items():
        where = f"{name}.{field}"
        if field not in new_properties:
            found.append(f"{where}: removed")
            continue
        compare = _request_narrowed if request else _response_widened
        found += compare(where, old_field, new_properties[field])
    if request:
        for field in set(new.get("required", [])) - set(old.get("required", [])):
            found.append(f"{name}.{field}: now required")
    return found


def breaking(released: dict, current: dict) -> list[str]:
    found = []
    old_ops, new_ops = released["operations"], current["operations"]
    for label, old in old_ops.items():
        new = new_ops.get(label)
        if new is None:
            found.append(f"{label}: removed")
            continue
        for name, parameter in old["parameters"].items():
            if name not in new["parameters"]:
                found.append(f"{label} {name}: removed")
            else:
                found += _request_narrowed(
                    f"{label} {name}", parameter["schema"], new["parameters"][name]["schema"]
                )
        for name, parameter in new["parameters"].items():
            if parameter["required"] and not old["parameters"].get(name, {}).get("required"):
                found.append(f"{label} {name}: now required")
        if new["request_required"] and not old["request_required"]:
            found.append(f"{label}: body now required")
    request_names = {
        ref.rsplit("/", 1)[1]
        for operation in old_ops.values()
        for media in (operation["request"] or {}).values()
        if (ref := media.get("$ref"))
    }
    for name, old in released["schemas"].items():
        found += _component(name, old, current["schemas"].get(name), name in request_names)
    return found
