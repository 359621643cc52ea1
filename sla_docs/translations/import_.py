"""``sla translations import``: a translator's file written back into the agreement.

The language is the file's (its header's ``Language:`` or ``target-language``). Each
entry is found by its YAML path (``msgctxt``, the XLIFF unit's ``id``), and nothing is
written unless every entry holds up (exit 1, the YAML untouched, every problem listed at
the translation file's ``file:line:column``):

- the file is for this agreement (its ``Project-Id-Version`` / ``product-name``), in a
  language the agreement declares, not its source language, and each entry names a
  prose text of it;
- each translation to write keeps the source's figures, each exactly as written;
- the source text it translates is the one in the YAML now. A text whose source changed
  since the export is refused, not marked: writing the translation of an old text into
  a contract would make it say something its source no longer says. Export again (a PO
  tool's "update from template" keeps the work done);
- the agreement, with the new texts, passes validation, checked in memory first.

An empty translation means "not translated": the YAML's text stays. So does a fuzzy
one (``#, fuzzy``, XLIFF ``needs-…``), as gettext leaves fuzzy entries out. The changed
texts are spliced into the file (:mod:`sla_docs.translations.splice`) and the file is
replaced atomically; an import that changes nothing does not write at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

from sla_docs.check.facts import dotted
from sla_docs.check.validate import ValidAgreement, check_source
from sla_docs.errors import Diagnostic, InvalidAgreement, SlaError
from sla_docs.files import write_atomic
from sla_docs.input_files import read_input
from sla_docs.model.types import control_character
from sla_docs.source.load import MAX_SOURCE_BYTES, YamlPath, load_bytes
from sla_docs.translations.export import load_valid, target_language
from sla_docs.translations.reading import (
    Entry,
    TranslationFile,
    TranslationFileError,
    read_translation_file,
)
from sla_docs.translations.splice import UnwritableText, spliced
from sla_docs.translations.texts import (
    ProseText,
    placeholder_difference,
    prose_texts,
)


@dataclasses.dataclass
class _Plan:
    """What an import will do, and what stops it."""

    changes: dict[YamlPath, str] = dataclasses.field(default_factory=dict)
    lines: dict[YamlPath, int] = dataclasses.field(default_factory=dict)
    problems: list[str] = dataclasses.field(default_factory=list)
    kept: int = 0
    untranslated: int = 0
    fuzzy: int = 0


def import_translations(path: Path, file: Path) -> str:
    """Write the translations of ``file`` into the agreement at ``path``; what was done."""
    valid = load_valid(path)
    translated = read_translation_file(file)
    language = _language(valid, translated)
    plan = _plan(valid, translated, language)
    if plan.problems:
        raise TranslationFileError("\n".join(plan.problems))
    counts = (f"{plan.kept} as they were, {plan.untranslated} not translated, "
              f"{plan.fuzzy} fuzzy left out")
    if not plan.changes:
        return f"{valid.path}: nothing to change in {language} ({counts})"
    try:
        raw = read_input(path, MAX_SOURCE_BYTES)
    except OSError as error:
        raise SlaError(f"{valid.path}: cannot read: {error.strerror}") from None
    if hashlib.sha256(raw).hexdigest() != valid.source.sha256:
        raise SlaError(f"{valid.path}: the file changed during the import; run it again")
    try:
        written = spliced(valid.source, raw, plan.changes)
    except UnwritableText as error:
        raise _unwritable(error, translated, plan) from None
    _validate(valid, written, translated, plan)
    write_atomic(path.resolve(), written)  # through a link, as an editor saves
    number = len(plan.changes)
    return f"{valid.path}: {number} text{'' if number == 1 else 's'} in {language} " \
           f"written ({counts})"


def _language(valid: ValidAgreement, translated: TranslationFile) -> str:
    """The file's language, when it is for this agreement and may be imported into it."""
    identifier = valid.agreement.id
    if translated.agreement_id not in (None, identifier):
        raise translated.error(1, f"this file is for the agreement "
                                  f"`{translated.agreement_id}`, not `{identifier}` "
                                  f"({valid.path})")
    if translated.language is None:
        raise translated.error(1, "the file does not say which language it is in "
                                  "(PO: a `Language:` header; XLIFF: `target-language`)")
    try:
        return target_language(valid, translated.language)
    except SlaError as error:
        raise translated.error(1, error.format_message()) from None


def _plan(valid: ValidAgreement, translated: TranslationFile, language: str) -> _Plan:
    texts = {text.context: text for text in prose_texts(valid.source, valid.agreement,
                                                         language)}
    source_language = valid.agreement.original_language
    plan = _Plan()
    for entry in translated.entries:
        text = texts.get(entry.context or "")
        if entry.context is None:
            plan.problems.append(_at(translated, entry, "an entry without a context (PO "
                                 "`msgctxt`, XLIFF `id`): which text it translates is unknown"))
        elif text is None:
            plan.problems.append(_at(translated, entry, f"`{entry.context}` is not a prose "
                                 f"text of {valid.path}: is the file for another agreement?"))
        elif entry.fuzzy:
            plan.fuzzy += 1
        elif not entry.translation:
            plan.untranslated += 1
        else:
            problem = _refusal(entry, text, source_language, valid.path)
            if problem:
                plan.problems.append(_at(translated, entry, problem))
            elif entry.translation == text.translation:
                plan.kept += 1
            else:
                plan.changes[(*text.path, language)] = entry.translation
                plan.lines[(*text.path, language)] = entry.line
    return plan


def _refusal(entry: Entry, text: ProseText, source_language: str, yaml: str) -> str | None:
    """Why ``entry`` cannot be written as ``text``'s translation, if it cannot."""
    if entry.source != text.source:
        return (f"`{text.context}`: its {source_language} text changed since this file "
                f"was exported (now at {yaml}:{text.source_line}); export again so that "
                "the translation is of the text the agreement says")
    control = control_character(entry.translation)
    if control:
        return (f"`{text.context}`: the translation holds the control character "
                f"{control}, which has no place in a contract's text (a stray key "
                "press, or text pasted from a terminal?)")
    difference = placeholder_difference(text.source, entry.translation)
    if difference:
        return (f"`{text.context}`: the translation does not keep the source's "
                f"placeholders: {difference}")
    return None


def _unwritable(error: UnwritableText, translated: TranslationFile,
                plan: _Plan) -> TranslationFileError:
    """The splice's refusal at the entry of the text the YAML cannot hold."""
    if error.path is None or error.path not in plan.lines:
        return TranslationFileError(f"{translated.name}: the translations cannot be "
                                    f"written into the YAML: {error.reason}")
    return translated.error(plan.lines[error.path], f"`{dotted(error.path[:-1])}`: the "
                            f"translation cannot be written into the YAML: {error.reason}")


def _at(translated: TranslationFile, entry: Entry, message: str) -> str:
    return f"{translated.name}:{entry.line}:1: {message}"


def _validate(valid: ValidAgreement, written: bytes, translated: TranslationFile,
              plan: _Plan) -> None:
    """Refuse the new texts when the agreement with them would not be valid; each
    error shown at the translation file's entry it comes from."""
    checked = check_source(load_bytes(written, valid.path), dt.date.today())
    errors = checked.errors()
    if not errors:
        return
    lines = []
    for diagnostic in errors:
        found = diagnostic.yaml_path  # at the text (blank), or within it (a figure)
        entry = next((line for path, line in plan.lines.items() if found and (
            found[:len(path)] == path or path[:len(found)] == found)), None)
        lines.append(_located(diagnostic, translated.name, entry))
    raise InvalidAgreement(errors) if all(line is None for line in lines) else \
        TranslationFileError("\n".join(line or errors[index].format_text()
                                       for index, line in enumerate(lines)))


def _located(diagnostic: Diagnostic, name: str, line: int | None) -> str | None:
    if line is None:
        return None
    return (f"{name}:{line}:1: `{dotted(diagnostic.yaml_path)}` would make the agreement "
            f"invalid: {diagnostic.code}: {diagnostic.message}")
