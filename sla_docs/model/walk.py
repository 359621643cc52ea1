"""Walk raw agreement data guided by the model's annotations.

The checks must run even when part of the file fails validation (every problem at
once), so they read the raw data, and learn from the model which values are texts,
which are references and which declare ids. The same walk tells which keys a section
allows, for the "did you mean" hints.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from sla_docs.model.types import Declares, Ref, Text
from sla_docs.source.load import YamlPath


@dataclass(frozen=True)
class Visit:
    """One value met on the walk that the checks care about."""

    path: YamlPath
    """Where the value stands."""
    value: Any
    """The raw value, as loaded (a reference or an id need not be text yet)."""
    marker: Ref | Declares | None
    """What the value refers to or declares; None for a text."""


def field_keys(model: type[BaseModel]) -> dict[str, Any]:
    """The keys a section accepts (aliases where a field has one) with their annotations."""
    keys: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        keys[info.alias or name] = annotation
    return keys


def model_at(root: type[BaseModel], path: YamlPath) -> type[BaseModel] | None:
    """The section model that the mapping at ``path`` is validated against, if any."""
    annotation: Any = root
    for step in path:
        model = _model_of(annotation)
        if model is not None and isinstance(step, str):
            annotation = field_keys(model).get(step)
        else:
            annotation = _item_type(annotation)
        if annotation is None:
            return None
    return _model_of(annotation)


def walk(annotation: Any, raw: Any, path: YamlPath = ()) -> Iterator[Visit]:
    """Every text, reference and declaration in ``raw``, as the annotation describes it."""
    base, markers = _unwrap(annotation)
    for marker in markers:  # any value, so that a refused declaration is seen too
        if isinstance(marker, Ref | Declares):
            yield Visit(path, raw, marker)
    if base is Text or (isinstance(base, type) and issubclass(base, Text)):
        yield Visit(path, raw, None)
        return
    if isinstance(base, type) and issubclass(base, BaseModel):
        if isinstance(raw, dict):
            for key, field_annotation in field_keys(base).items():
                if key in raw:
                    yield from walk(field_annotation, raw[key], (*path, key))
        return
    origin = get_origin(base)
    if origin is list and isinstance(raw, list):
        (item,) = get_args(base)
        for index, value in enumerate(raw):
            yield from walk(item, value, (*path, index))
    elif origin is dict and isinstance(raw, dict):
        key_type, value_type = get_args(base)
        for key, value in raw.items():
            yield from walk(key_type, key, (*path, key))
            yield from walk(value_type, value, (*path, key))


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """Strip ``Annotated`` and ``X | None``, collecting the metadata on the way."""
    markers: list[Any] = []
    while True:
        if get_origin(annotation) is Annotated:
            base, *extra = get_args(annotation)
            markers.extend(extra)
            annotation = base
            continue
        if get_origin(annotation) in (Union, types.UnionType):
            options = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(options) == 1:
                annotation = options[0]
                continue
        return annotation, markers


def _model_of(annotation: Any) -> type[BaseModel] | None:
    base, _ = _unwrap(annotation)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return base
    return None


def _item_type(annotation: Any) -> Any:
    base, _ = _unwrap(annotation)
    origin = get_origin(base)
    if origin is list:
        return get_args(base)[0]
    if origin is dict:
        return get_args(base)[1]
    return None
