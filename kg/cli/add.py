"""``kg add resource|topic|kind``: grow the list and the ontology through checked extensions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli.common import BaseIriOption, out, run
from kg.model.vocab import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    from kg.read.additions import Addition, Workspace

__all__ = ["add_app"]

add_app = typer.Typer(
    name="add",
    help="Extend the ontology and the list: a new resource, topic or kind, checked, then "
    "written to ontology/extensions/ (the next `kg build` includes it).",
    no_args_is_help=True,
)

_ListOption = Annotated[
    Path | None,
    typer.Option("--list", help="The reading list the entry extends. Default: the shipped list."),
]
_ExtensionsOption = Annotated[
    Path | None,
    typer.Option("--extensions", help="Directory of extension files (created if missing). Default: ontology/extensions."),
]


def _add(
    action: Callable[[Workspace], Addition], reading_list: Path | None, extensions: Path | None, base_iri: str
) -> None:
    from kg.read.additions import Workspace
    from kg.read.extensions import EXTENSIONS_DIR
    from kg.read.markdown import read_reading_list
    from kg.resources import DEFAULT_LIST

    def add() -> Addition:
        ws = Workspace(extensions or EXTENSIONS_DIR, read_reading_list(reading_list or DEFAULT_LIST), base_iri)
        return action(ws)

    added = run(add)
    out.print(
        f"added <{added.iri}> to {added.path} (line {added.line}); `kg build` includes it",
        highlight=False, markup=False,
    )
    out.print(added.turtle, highlight=False, markup=False, end="")


@add_app.command("resource")
def add_resource(
    ref: Annotated[str, typer.Argument(help="The resource's URL, arXiv id (2106.10165) or DOI.")],
    title: Annotated[str, typer.Option(help="Its title.")],
    topic: Annotated[str, typer.Option(help="The topic it goes under: a label, the end of a path (\"Optimization / SGD\") or an IRI.")],
    kind: Annotated[str | None, typer.Option(help="Its kind (Preprint, Book, Course, … or a kind you added). Default: guessed like the list's own.")] = None,
    note: Annotated[str | None, typer.Option(help="The curator's note.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the note (en, zh…). Default: from its script.")] = None,
    year: Annotated[int | None, typer.Option(help="The year to show beside it.")] = None,
    reading_list: _ListOption = None,
    extensions: _ExtensionsOption = None,
    base_iri: BaseIriOption = DEFAULT_BASE_IRI,
) -> None:
    """Add a resource to the list (written to ontology/extensions/resources.ttl)."""
    from kg.read.additions import add_resource as add

    _add(lambda ws: add(ws, ref, title=title, topic=topic, kind=kind, note=note, note_lang=lang, year=year),
         reading_list, extensions, base_iri)


@add_app.command("topic")
def add_topic(
    label: Annotated[str, typer.Argument(help="The new topic's label.")],
    broader: Annotated[str | None, typer.Option(help="The topic it goes under (label, end of a path, or IRI). Default: the top of the list.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the label. Default: from its script.")] = None,
    reading_list: _ListOption = None,
    extensions: _ExtensionsOption = None,
    base_iri: BaseIriOption = DEFAULT_BASE_IRI,
) -> None:
    """Add a topic to the list (written to ontology/extensions/topics.ttl)."""
    from kg.read.additions import add_topic as add

    _add(lambda ws: add(ws, label, broader=broader, lang=lang), reading_list, extensions, base_iri)


@add_app.command("kind")
def add_kind(
    name: Annotated[str, typer.Argument(help="The new kind's name, one CamelCase word (LectureNotes).")],
    parent: Annotated[str, typer.Option(help="The existing kind it is a kind of (Book, Paper, Course…).")],
    label: Annotated[str | None, typer.Option(help="Its label. Default: from the name (\"Lecture notes\").")] = None,
    comment: Annotated[str | None, typer.Option(help="What it is, in a sentence.")] = None,
    reading_list: _ListOption = None,
    extensions: _ExtensionsOption = None,
    base_iri: BaseIriOption = DEFAULT_BASE_IRI,
) -> None:
    """Declare a new kind of resource, a subclass of an existing one (ontology/extensions/kinds.ttl)."""
    from kg.read.additions import add_kind as add

    _add(lambda ws: add(ws, name, parent=parent, label=label, comment=comment), reading_list, extensions, base_iri)
