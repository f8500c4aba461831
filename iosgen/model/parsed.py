"""Field types whose value one function parses: pydantic's `PlainValidator`, built cheaper.

For every field it annotates, `PlainValidator` builds the schema of the source type (a
serializer for `model_dump`) and reads the function's signature to learn whether it takes
`info`. iosgen validates sites and never serializes one, and each parse function here says
itself whether it takes `info`; so `Parsed` and `ParsedWithInfo` hand pydantic-core the
function alone, with the value's JSON Schema (what `WithJsonSchema` would give). The
site validator, built on every `iosgen build`, builds ~4 ms sooner (docs/performance.md).
`model_dump` keeps such a value as it is, unless the type names its own `serialize`
(a secret dumps as the mask, never as its text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic_core import core_schema

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo
    from pydantic.json_schema import JsonSchemaValue

ParseFunction = TypeVar("ParseFunction", bound=Callable[..., Any])


class _ParsedBase(Generic[ParseFunction]):
    __slots__ = ("json_schema", "parse", "serialize")
    # pydantic-core's plain validator for the kind of function: with `info` or without
    _validator: ClassVar[Callable[..., core_schema.CoreSchema]]

    def __init__(
        self,
        parse: ParseFunction,
        json_schema: dict[str, Any],
        serialize: Callable[[Any], Any] | None = None,
    ) -> None:
        self.parse = parse
        self.json_schema = json_schema
        self.serialize = serialize

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        serialization = (
            None
            if self.serialize is None
            else core_schema.plain_serializer_function_ser_schema(self.serialize)
        )
        return type(self)._validator(self.parse, serialization=serialization)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return dict(self.json_schema)  # a copy: pydantic adds `title` and the like to it


class Parsed(_ParsedBase[Callable[[Any], Any]]):
    """`Annotated[T, Parsed(parse, json_schema)]`: the value is `parse(value)`."""

    __slots__ = ()
    _validator = staticmethod(core_schema.no_info_plain_validator_function)


class ParsedWithInfo(_ParsedBase[Callable[[Any, "ValidationInfo"], Any]]):
    """`Annotated[T, ParsedWithInfo(parse, json_schema)]`: the value is `parse(value, info)`
    (the validation context: the secret resolver)."""

    __slots__ = ()
    _validator = staticmethod(core_schema.with_info_plain_validator_function)


__all__ = ["Parsed", "ParsedWithInfo"]
