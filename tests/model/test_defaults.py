"""A section's default is built with `model_construct` (no validator at import): it must
be the very value validation gives a section left out, and keep the JSON schema's
defaults."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from iosgen.model import site as model

# every field whose default is a model instance
DEFAULTED = [
    (cls, name, info)
    for cls in vars(model).values()
    if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == model.__name__
    for name, info in cls.model_fields.items()
    if isinstance(info.default, BaseModel)
]


def test_every_section_default_is_found() -> None:
    found = {(cls.__name__, name) for cls, name, _ in DEFAULTED}
    assert {("Site", "hardware"), ("Site", "aaa"), ("Management", "ssh")} <= found
    assert len(found) == 12


@pytest.mark.parametrize(
    ("cls", "name", "info"), DEFAULTED, ids=[f"{c.__name__}.{n}" for c, n, _ in DEFAULTED]
)
def test_default_equals_the_validated_empty_section(
    cls: type[BaseModel], name: str, info: object
) -> None:
    default = cls.model_fields[name].default
    validated = type(default).model_validate({})
    assert default == validated
    assert default.model_dump() == validated.model_dump()
    assert default.model_fields_set == validated.model_fields_set == set()
    # and the schema shows it as before: the section's values
    prop = cls.model_json_schema()["properties"][name]
    assert prop["default"] == validated.model_dump(mode="json")
