"""Translators' files: export, a translator's edits, import; and what import refuses."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from translate.storage import xliff

from sla_docs.errors import SlaError
from sla_docs.source.load import load_file
from sla_docs.translations.export import export_translations, load_valid
from sla_docs.translations.import_ import import_translations
from sla_docs.translations.texts import prose_texts
from tests.conftest import ROOT, run_sla

SAMPLES = sorted((ROOT / "agreements").glob("*.yaml"))
TRANSLATED = ["it", "fr", "es", "pt"]


def exported(agreement: Path, language: str, form: str = "po", **kwargs: object) -> bytes:
    content = export_translations(agreement, language, form, None, **kwargs)  # type: ignore[arg-type]
    assert content is not None
    return content


def copy_of(tmp_path: Path, sample: str = "acme.yaml") -> Path:
    target = tmp_path / sample
    shutil.copyfile(ROOT / "agreements" / sample, target)
    return target


def edited_po(content: bytes, edits: dict[str, str]) -> bytes:
    """The PO file with the msgstr of each context in ``edits`` replaced, as Poedit would."""
    catalog = read_po(io.BytesIO(content))
    for message in catalog:
        if message.context in edits:
            message.string = edits.pop(message.context)
    assert not edits, f"no such contexts: {edits}"
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    return buffer.getvalue()


def refusal(path: Path, file: Path) -> str:
    before = path.read_bytes()
    with pytest.raises(SlaError) as raised:
        import_translations(path, file)
    assert path.read_bytes() == before  # nothing written
    return raised.value.format_message()


def po_line(content: bytes, context: str) -> int:
    """The line of the msgid of ``context`` in a PO file."""
    lines = content.decode().split("\n")
    return lines.index(f'msgctxt "{context}"') + 2


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_export_then_import_without_edits_leaves_the_yaml_as_it_was(
        sample: Path, tmp_path: Path) -> None:
    path = copy_of(tmp_path, sample.name)
    for language in TRANSLATED:
        for form, suffix in (("po", "po"), ("xliff", "xlf")):
            file = tmp_path / f"{language}.{suffix}"
            file.write_bytes(exported(path, language, form))
            assert "nothing to change" in import_translations(path, file)
            assert path.read_bytes() == sample.read_bytes()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is "
                    "not installed (.ci/run installs it)")
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_msgfmt_accepts_every_exported_po_file(sample: Path, tmp_path: Path) -> None:
    valid = load_valid(sample)
    every = {text.path for text in prose_texts(valid.source, valid.agreement, "it")}
    for language in TRANSLATED:
        for stale in (frozenset(), every):
            file = tmp_path / f"{language}.po"
            file.write_bytes(exported(sample, language, stale=stale))
            checked = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(file)],
                                     capture_output=True, text=True, check=False)
            assert checked.returncode == 0 and checked.stderr == "", checked.stderr


def test_a_po_entry_names_its_text_its_line_and_its_figures() -> None:
    content = exported(ROOT / "agreements/acme.yaml", "it").decode()
    source = (ROOT / "agreements/acme.yaml").read_text("utf-8")
    line = source.split("\n").index("  it: >-", source.split("\n").index("summary:")) + 1
    entry = content[content.index('msgctxt "summary"') - 200:content.index('msgctxt "summary"')]
    assert f"agreements/acme.yaml:{line}\n" in entry
    assert "#. keep as written: {{ targets.leads }}" in entry
    assert "#. keep as written: {{ inputs.sales_quota }}" in entry
    catalog = read_po(io.StringIO(content))
    assert str(catalog.locale) == "it" and catalog.project == "acme"
    contexts = [message.context for message in catalog if message.id]
    assert len(contexts) == len(set(contexts)) == 66
    # equal English texts at two places stay two entries
    assert sum(message.id == "Marketing director" for message in catalog) == 2


def test_an_xliff_export_opens_with_translate_toolkit_with_its_figures_protected() -> None:
    sample = ROOT / "agreements/globex.yaml"
    valid = load_valid(sample)
    texts = prose_texts(valid.source, valid.agreement, "fr")
    content = exported(sample, "fr", "xliff", stale={("summary",)})
    assert b'xmlns="urn:oasis:names:tc:xliff:document:1.2"' in content
    store = xliff.xlifffile.parsestring(content)
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "fr"
    units = {unit.xmlelement.get("id"): unit for unit in store.units}
    assert list(units) == [text.context for text in texts]
    summary = units["summary"]
    assert summary.source == valid.source.data["summary"]["en"]
    assert summary.target == valid.source.data["summary"]["fr"]
    figures = [str(part) for part in summary.rich_source[0].sub if "ph" in repr(part)]
    assert "{{ targets.leads }}" in figures
    assert summary.getlanguageNode(lang=None, index=1).get("state") == "needs-review-translation"
    assert units["title"].getlanguageNode(lang=None, index=1).get("state") == "translated"
    # each figure of a target carries the id of the same figure in its source
    for unit in store.units:
        source, target = (re.findall(r'<ph id="(\w+)">(.*?)</ph>', etree_text(node))
                          for node in (unit.getlanguageNode(lang=None, index=0),
                                       unit.getlanguageNode(lang=None, index=1)))
        assert sorted(source) == sorted(target)


def etree_text(node: object) -> str:
    from lxml import etree  # here: only this test reads the XML itself

    return str(etree.tostring(node, encoding="unicode"))


def test_stale_texts_are_fuzzy_in_po() -> None:
    content = exported(ROOT / "agreements/acme.yaml", "it", stale={("rewards", "it")})
    catalog = read_po(io.BytesIO(content))
    fuzzy = [message.context for message in catalog if message.id and message.fuzzy]
    assert fuzzy == ["rewards"]


def test_an_edited_msgstr_lands_in_the_yaml_and_in_the_edition(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    before = path.read_text("utf-8").split("\n")
    content = exported(path, "it")
    rewards = "Quando entrambi i team centrano gli obiettivi, ricevono il premio di squadra."
    summary = ("Il Marketing consegna {{ targets.leads }} lead qualificati al mese alle "
               "Vendite, per una quota di {{ inputs.sales_quota }}.")
    file = tmp_path / "it.po"
    file.write_bytes(edited_po(content, {"rewards": rewards, "summary": summary}))
    assert "2 texts in it written" in import_translations(path, file)
    data = load_file(path).data
    assert data["rewards"]["it"] == rewards and data["summary"]["it"] == summary
    after = path.read_text("utf-8").split("\n")
    changed = [line for line in after if line not in before]
    assert all(line.startswith("    ") for line in changed)  # inside the two blocks
    assert [line for line in before if line not in after and "Il Marketing" not in line
            and "Quando" not in line and line.startswith("    ") is False] == []
    built = run_sla("build", str(path), "--lang", "it", "--format", "md",
                    "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    edition = (tmp_path / "out/acme/acme.it.md").read_text("utf-8")
    assert rewards in edition
    assert re.search(r"Il Marketing consegna 100\slead qualificati al mese", edition)


@pytest.mark.parametrize("broken", [
    "Il Marketing consegna {{ targets.lead }} lead, quota {{ inputs.sales_quota }}.",
    "Il Marketing consegna lead, quota {{ inputs.sales_quota }}.",
    "{{ targets.leads }} e {{ targets.leads }} lead, quota {{ inputs.sales_quota }}.",
    "{{ targets.leads }} lead, quota {{ inputs.sales_quota }} {{ config }}.",
    "{{ targets.leads }} lead, quota {{ inputs.sales_quota }}{% for x in y %}.",
    "{{targets.leads}} lead, quota {{ inputs.sales_quota }}.",
])
def test_a_broken_placeholder_is_refused_at_its_line(broken: str, tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    file = tmp_path / "it.po"
    file.write_bytes(edited_po(exported(path, "it"), {"summary": broken}))
    message = refusal(path, file)
    assert message.startswith(f"{file}:{po_line(file.read_bytes(), 'summary')}:1: `summary`: "
                              "the translation does not keep the source's placeholders")


def test_a_broken_placeholder_in_xliff_is_refused_at_its_line(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    text = exported(path, "it", "xliff").decode()
    start = text.index('id="summary"')
    target = text.index("<target", start)
    close = text.index("</target>", target)
    file = tmp_path / "it.xlf"
    file.write_text(text[:target] + '<target state="translated">Niente cifre</target>'
                    + text[close + len("</target>"):], "utf-8")
    line = text[:target].count("\n") + 1
    assert refusal(path, file).startswith(f"{file}:{line}:1: `summary`: the translation "
                                          "does not keep")


def test_a_folded_text_in_a_crlf_file_with_a_bom_keeps_its_form(tmp_path: Path) -> None:
    original = (ROOT / "agreements/acme.yaml").read_bytes()
    path = tmp_path / "acme.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    file = tmp_path / "it.po"
    new = "Nuovo testo dei premi, " + "abbastanza lungo da andare a capo " * 4 + "fine."
    file.write_bytes(edited_po(exported(path, "it"), {"rewards": new}))
    import_translations(path, file)
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"\n" not in after.replace(b"\r\n", b"")
    assert load_file(path).data["rewards"]["it"] == new
    head = before.index(b"rewards:")
    assert after[:head] == before[:head]  # nothing before the text moved
    block = after[head:after.index(b"\r\n  fr:", head)].decode()
    assert block.split("\r\n")[3] == "  it: >-" and len(block.split("\r\n")) > 5


def test_what_import_refuses(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    po = exported(path, "it")
    file = tmp_path / "it.po"

    file.write_bytes(edited_po(po, {"rewards": "Premio."}).replace(
        b'msgctxt "rewards"', b'msgctxt "parties[0].contacts[0].name"'))
    assert "`parties[0].contacts[0].name` is not a prose text of" in refusal(path, file)

    file.write_bytes(exported(ROOT / "agreements/globex.yaml", "it"))
    assert "this file is for the agreement `globex`, not `acme`" in refusal(path, file)

    file.write_bytes(po.replace(b"Language: it", b"Language: de"))
    assert "the agreement is not written in `de`" in refusal(path, file)
    file.write_bytes(po.replace(b"Language: it", b"Language: en"))
    assert "`en` is the source language" in refusal(path, file)
    file.write_bytes(po.replace(b"Language: it", b"Language: ../../etc"))
    assert refusal(path, file).startswith(f"{file}")
    file.write_bytes(po.replace(b'"Language: it\\n"\n', b""))
    assert "does not say which language" in refusal(path, file)

    changed = po.replace(b'"When both teams reach', b'"When the two teams reach')
    file.write_bytes(edited_po(changed, {"rewards": "Premio."}))
    message = refusal(path, file)
    assert message.startswith(f"{file}:{po_line(file.read_bytes(), 'rewards')}:1: `rewards`: "
                              "its en text changed since this file was exported")
    en_line = load_file(path).positions.locate(("rewards", "en")).line
    assert f"(now at {path}:{en_line})" in message

    file.write_bytes(po + b'\nmsgid "x"\nthis is not PO\n')
    assert re.match(rf"{re.escape(str(file))}:\d+:1: not a PO file", refusal(path, file))
    title = po[po.index(b'msgctxt "title"'):]
    file.write_bytes(po + b"\n" + title[:title.index(b"\n\n")] + b"\n")
    assert "is given twice" in refusal(path, file)
    file.write_bytes(po + b'\nmsgctxt "rewards"\nmsgid "x"\nmsgstr "y"\n')
    assert "`rewards` is given twice" in refusal(path, file)
    file.write_bytes(po.replace(b"Accordo", b"Accordo \xff"))
    assert re.match(rf"{re.escape(str(file))}:\d+:\d+: not UTF-8", refusal(path, file))

    file.write_bytes(po.replace(b'msgctxt "rewards"\n', b""))
    assert "an entry without a context" in refusal(path, file)
    file.write_bytes(edited_po(po, {"rewards": "Premio ![x](https://example.com/x.png)"}))
    assert "would make the agreement invalid: SLA228" in refusal(path, file)
    file.write_bytes(edited_po(po, {"rewards": "!!!"}))  # no word: validation refuses it
    message = refusal(path, file)
    assert message.startswith(f"{file}:{po_line(file.read_bytes(), 'rewards')}:1: `rewards` would "
                              "make the agreement invalid: SLA106")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_every_text_changed_at_once_is_written_in_place(sample: Path, tmp_path: Path) -> None:
    path = copy_of(tmp_path, sample.name)
    content = exported(path, "fr")
    catalog = read_po(io.BytesIO(content))
    edits = {str(message.context): f"Nouveau : {message.string} (révisé)"
             for message in catalog if message.id}
    file = tmp_path / "fr.po"
    file.write_bytes(edited_po(content, dict(edits)))
    assert f"{len(edits)} texts in fr written" in import_translations(path, file)
    valid = load_valid(path)
    after = {text.context: text.translation
             for text in prose_texts(valid.source, valid.agreement, "fr")}
    assert after == edits
    untouched = [line for line in sample.read_text("utf-8").split("\n")
                 if line.startswith(("  en:", "  it:", "    en:", "    it:", "#"))]
    assert all(line in path.read_text("utf-8").split("\n") for line in untouched)


def test_empty_and_fuzzy_translations_leave_the_yaml_text(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    content = edited_po(exported(path, "it"), {"rewards": "", "summary": "Altro."})
    content = content.replace(b'msgctxt "summary"', b'#, fuzzy\nmsgctxt "summary"')
    file = tmp_path / "it.po"
    file.write_bytes(content)
    assert "1 not translated, 1 fuzzy left out" in import_translations(path, file)
    assert path.read_bytes() == (ROOT / "agreements/acme.yaml").read_bytes()


def test_hostile_files_are_refused_without_reading_them_whole(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    fifo = tmp_path / "pipe.po"
    os.mkfifo(fifo)
    assert "named pipe" in refusal(path, fifo)
    huge = tmp_path / "huge.po"
    with huge.open("wb") as stream:
        stream.truncate(2 << 30)  # sparse: 2 GiB on no disk
    assert "larger than 16 MiB" in refusal(path, huge)


def test_xml_entities_are_never_expanded_or_fetched(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    text = exported(path, "it", "xliff").decode()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", "utf-8")
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    doctype = (f'<!DOCTYPE xliff [<!ENTITY l0 "lol">{laughs}'
               f'<!ENTITY xxe SYSTEM "file://{secret}">]>\n')
    body = text.split("\n", 1)[1].replace("Accordo sul livello", "&xxe;&l9; Accordo")
    file = tmp_path / "it.xlf"
    file.write_text(text.split("\n", 1)[0] + "\n" + doctype + body, "utf-8")
    message = refusal(path, file)
    assert message.startswith(f"{file}:") and "TOP-SECRET" not in message
    for entity in ("&xxe;", "&l9;"):  # each alone: neither fetched nor expanded
        body = text.split("\n", 1)[1].replace("Accordo sul livello", f"{entity} Accordo")
        file.write_text(text.split("\n", 1)[0] + "\n" + doctype + body, "utf-8")
        message = refusal(path, file)
        assert message.startswith(f"{file}:") and "TOP-SECRET" not in message
        assert "lollol" not in message


def test_the_commands(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    printed = run_sla("translations", "export", str(path), "--lang", "pt")
    assert printed.returncode == 0 and 'msgctxt "summary"' in printed.stdout
    file = tmp_path / "pt.xlf"
    done = run_sla("translations", "export", str(path), "--lang", "pt", "--format", "xliff",
                   "-o", str(file))
    assert done.returncode == 0 and file.read_bytes().startswith(b"<?xml")
    imported = run_sla("translations", "import", str(path), str(file))
    assert imported.returncode == 0 and "nothing to change in pt" in imported.stdout
    wrong = run_sla("translations", "export", str(path), "--lang", "en")
    assert wrong.returncode == 1 and "source language" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_an_agreement_behind_a_link_is_written_through_it(tmp_path: Path) -> None:
    real = copy_of(tmp_path)
    link = tmp_path / "linked.yaml"
    link.symlink_to(real)
    file = tmp_path / "it.po"
    file.write_bytes(edited_po(exported(link, "it"), {"rewards": "Premio di squadra."}))
    import_translations(link, file)
    assert link.is_symlink() and load_file(real).data["rewards"]["it"] == "Premio di squadra."


def test_export_never_writes_over_the_agreement_or_any_yaml(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    before = path.read_bytes()
    (tmp_path / "link.po").symlink_to(path)
    os.link(path, tmp_path / "hard.po")
    other = copy_of(tmp_path, "globex.yaml")
    for output in (path, tmp_path / "." / "acme.yaml", tmp_path / "link.po",
                   tmp_path / "hard.po", other, tmp_path / "new.yml", tmp_path / "NEW.YAML"):
        with pytest.raises(SlaError) as raised:
            export_translations(path, "it", "po", output)
        assert raised.value.format_message().startswith(f"{output}: refusing to write")
    assert path.read_bytes() == before and other.read_bytes() == (
        ROOT / "agreements/globex.yaml").read_bytes()
    assert not (tmp_path / "new.yml").exists() and not (tmp_path / "NEW.YAML").exists()
    relative = run_sla("translations", "export", "acme.yaml", "--lang", "it", "-o",
                       "./acme.yaml", cwd=tmp_path)
    assert relative.returncode == 1 and "acme.yaml: refusing" in relative.stderr
    assert path.read_bytes() == before
    dash = run_sla("translations", "export", "acme.yaml", "--lang", "it", "-o", "-",
                   cwd=tmp_path)
    assert dash.returncode == 0 and 'msgctxt "title"' in dash.stdout
    assert not (tmp_path / "-").exists()
    empty = run_sla("translations", "export", "acme.yaml", "--lang", "it", "-o", "",
                    cwd=tmp_path)
    assert empty.returncode == 2 and "an empty file name" in empty.stderr


def test_an_xliff_with_a_second_file_element_is_refused_at_its_line(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    text = exported(path, "it", "xliff").decode()
    start, end = text.index("<file "), text.index("</file>") + len("</file>")
    french = text[start:end].replace('target-language="it"', 'target-language="fr"')
    french = french.replace("Accordo sul livello di servizio", "Accord de niveau")
    joined = text[:end] + "\n" + french + text[end:]
    file = tmp_path / "two.xlf"
    file.write_text(joined, "utf-8")
    line = joined[:joined.index("<file ", start + 1)].count("\n") + 1
    assert refusal(path, file) == (f"{file}:{line}:1: a second <file> element: export one "
                                   "file per agreement and language")


def test_an_xliff_unit_not_to_translate_is_not_imported(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    text = exported(path, "it", "xliff").decode()
    text = text.replace('id="title"', 'id="title" translate="no"').replace(
        "Accordo sul livello di servizio", "Da non importare")
    file = tmp_path / "it.xlf"
    file.write_text(text, "utf-8")
    assert "nothing to change in it" in import_translations(path, file)
    assert path.read_bytes() == (ROOT / "agreements/acme.yaml").read_bytes()


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\r", "\x7f", "\x85"])
def test_a_control_character_is_refused_at_its_entry(control: str, tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    file = tmp_path / "it.po"
    for context in ("rewards", "title"):  # a folded block, a plain scalar
        file.write_bytes(edited_po(exported(path, "it"), {context: f"Premio{control}x"}))
        assert refusal(path, file) == (
            f"{file}:{po_line(file.read_bytes(), context)}:1: `{context}`: the translation "
            f"holds the control character U+{ord(control):04X}, which has no place in a "
            "contract's text (a stray key press, or text pasted from a terminal?)")


def test_exporting_a_text_with_a_control_character_is_an_error_at_it(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    path.write_text(path.read_text("utf-8").replace(  # YAML writes an ESC as `\e`
        "it: Accordo sul livello di servizio tra Marketing e Vendite di Acme",
        'it: "Accordo sul livello di servizio tra Marketing e Vendite\\e di Acme"'), "utf-8")
    for form in ("po", "xliff"):  # XML cannot carry it; validation may refuse it first
        with pytest.raises(SlaError) as raised:
            export_translations(path, "it", form, None)  # type: ignore[arg-type]
        assert raised.value.format_message().startswith(f"{path}:12:")


def test_a_text_its_style_cannot_hold_is_written_double_quoted(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    file = tmp_path / "it.po"
    edits = {"rewards": "\tPremio di squadra", "summary": "Riga\u2028separata, "
             "{{ targets.leads }} lead e {{ inputs.sales_quota }}."}
    file.write_bytes(edited_po(exported(path, "it"), dict(edits)))
    import_translations(path, file)
    data = load_file(path).data
    assert data["rewards"]["it"] == edits["rewards"]
    assert data["summary"]["it"] == edits["summary"]


def test_a_text_the_file_cannot_hold_is_refused_at_its_entry(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    file = tmp_path / "it.po"
    file.write_bytes(edited_po(exported(path, "it"), {"rewards": "parola " * 160_000}))
    assert refusal(path, file) == (
        f"{file}:{po_line(file.read_bytes(), 'rewards')}:1: `rewards`: the translation "
        "cannot be written into the YAML: with this translation the agreement would be "
        "larger than 1024 KiB")


def test_a_comment_on_a_block_header_stays(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    text = path.read_text("utf-8")
    head = text.index("rewards:")
    at = text.index("  it: >-\n", head) + len("  it: >-")
    path.write_text(text[:at] + "  # reviewed by legal" + text[at:], "utf-8")
    file = tmp_path / "it.po"
    file.write_bytes(edited_po(exported(path, "it"), {"rewards": "Premio nuovo."}))
    import_translations(path, file)
    assert "  it: >-  # reviewed by legal\n    Premio nuovo.\n" in path.read_text("utf-8")
    assert load_file(path).data["rewards"]["it"] == "Premio nuovo."
    file.write_bytes(edited_po(exported(path, "it"), {"rewards": "\tPremio."}))
    import_translations(path, file)  # a leading tab: double-quoted, the comment after it
    assert '  it: "\\tPremio."  # reviewed by legal\n' in path.read_text("utf-8")
    assert load_file(path).data["rewards"]["it"] == "\tPremio."


def test_yaml_1_1_words_are_quoted_and_wrapped_lines_end_clean(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    file = tmp_path / "it.po"
    long_title = "Accordo " + "sul livello di servizio tra Marketing e Vendite " * 4
    for word in ("yes", "Off", "n", "ON", long_title.strip()):
        file.write_bytes(edited_po(exported(path, "it"), {"title": word}))
        import_translations(path, file)
        assert load_file(path).data["title"]["it"] == word
    text = path.read_text("utf-8")
    assert all(not line.endswith(" ") for line in text.split("\n"))
    for word in ("yes", "Off", "n", "ON"):
        file.write_bytes(edited_po(exported(path, "it"), {"title": word}))
        import_translations(path, file)
        assert f"  it: '{word}'\n" in path.read_text("utf-8")


def test_a_file_with_cr_line_ends_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_bytes((ROOT / "agreements/acme.yaml").read_bytes().replace(b"\n", b"\r"))
    file = tmp_path / "it.po"
    new = "Nuovo testo dei premi, " + "abbastanza lungo da andare a capo " * 4 + "fine."
    file.write_bytes(edited_po(exported(path, "it"), {"rewards": new, "title": new}))
    import_translations(path, file)
    assert b"\n" not in path.read_bytes()
    assert load_file(path).data["rewards"]["it"] == new


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is "
                    "not installed")
def test_a_file_name_cannot_inject_po_entries(tmp_path: Path) -> None:
    name = 'x\nmsgctxt "title"\nmsgid "Service level agreement"\nmsgstr "INJECTED"\n#.yaml'
    path = copy_of(tmp_path)
    path = path.rename(tmp_path / name)
    content = exported(path, "it")
    assert b'\nmsgstr "INJECTED"' not in content and b"x\\nmsgctxt" in content
    file = tmp_path / "it.po"
    file.write_bytes(content)
    checked = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(file)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert b"x\\nmsgctxt" in exported(path, "it", "xliff")


def test_standard_output_refusing_a_write_is_a_clear_error(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    command = [sys.executable, "-m", "sla_docs", "translations", "export", str(path),
               "--lang", "it"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 1
    assert done.stderr == "sla: cannot write to standard output: No space left on device\n"
    closed = subprocess.run(command, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: os.close(1))
    assert closed.returncode == 1
    assert closed.stderr == "sla: cannot write to standard output: Bad file descriptor\n"
