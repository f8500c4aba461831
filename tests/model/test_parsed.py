"""The parsed value types (`iosgen.model.parsed`): a site dumped carries no secret's text,
and each type still parses with its own function, in and out of a model."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from ipaddress import IPv4Address
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo

from iosgen.model.inventory import load_inventory
from iosgen.model.parsed import Parsed, ParsedWithInfo
from iosgen.model.secret import MASK, Secret
from iosgen.model.site import Site
from tests.conftest import INVENTORY


def _secrets(value: Any) -> Iterator[Secret]:
    """Every Secret held anywhere in a site's fields."""
    if isinstance(value, Secret):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _secrets(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _secrets(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _secrets(item)


FILES = sorted((INVENTORY / "sites").glob("*.yaml"))


@functools.cache
def _sites() -> dict[str, Site]:
    # loaded in a test, under the example secrets the autouse fixture sets
    inventory = load_inventory(INVENTORY, migrations=False)
    return {e.file.name: e.site for e in inventory.loaded}


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_a_dumped_site_shows_each_secret_as_the_mask(file: Path) -> None:
    site = _sites()[file.name]
    texts = {s.reveal() for s in _secrets(site)} - {""}
    assert texts, "the example sites all hold secrets"
    dumped = [repr(site.model_dump()), site.model_dump_json(), repr(site.model_dump(mode="json"))]
    for text in texts:
        assert not any(text in d for d in dumped)
    assert site.model_dump()["management"]["password"] == MASK


def _double(value: Any) -> int:
    if not isinstance(value, int):
        raise ValueError(f"{value!r} is not a number")
    return value * 2


def _tagged(value: Any, info: ValidationInfo) -> str:
    return f"{(info.context or {})['tag']}:{value}"


class _Probe(BaseModel):
    model_config = ConfigDict(defer_build=True)

    doubled: Annotated[int, Parsed(_double, {"type": "integer"})]
    tagged: Annotated[str, ParsedWithInfo(_tagged, {"type": "string", "maxLength": 9})]
    address: Annotated[IPv4Address, Parsed(IPv4Address, {"format": "ipv4"}, str)] = IPv4Address(
        "192.0.2.1"
    )


def test_the_parse_function_gives_the_value_and_its_context() -> None:
    probe = _Probe.model_validate({"doubled": 4, "tagged": "x"}, context={"tag": "t"})
    assert (probe.doubled, probe.tagged) == (8, "t:x")
    assert probe.model_dump(mode="json")["address"] == "192.0.2.1"  # the type's own serialize


def test_the_parse_functions_error_is_the_fields_error() -> None:
    with pytest.raises(ValidationError) as caught:
        _Probe.model_validate({"doubled": "four", "tagged": "x"}, context={"tag": "t"})
    (error,) = caught.value.errors()
    assert error["loc"] == ("doubled",)
    assert "'four' is not a number" in error["msg"]


def test_the_json_schema_is_the_one_given() -> None:
    properties = _Probe.model_json_schema()["properties"]
    assert properties["doubled"] == {"type": "integer", "title": "Doubled"}
    assert properties["tagged"] == {"type": "string", "maxLength": 9, "title": "Tagged"}
