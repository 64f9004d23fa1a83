"""The pack's PDF structure made PDF/UA-1 correct after WeasyPrint has tagged it.

WeasyPrint builds the structure tree page by page, so an element that runs over a page break
(a table, a section) becomes one element per page; it tags the running heads and "Page N"
footers as content but leaves them out of the tree; its table headers have no /Scope; and its
link annotations are described by their anchor names ("item-4"). Each is put right here, on
the PDF objects before they are written:

- margin-box content becomes artifacts, and its structure elements go;
- every TH gets a /Scope from its HTML scope attribute (Column unless it says row);
- a link's /Contents is its title, its aria-label or its text;
- a figure (a chart's SVG, an image) gets its /Alt from its aria-label or alt text;
- elements split by a page break are joined again, so each HTML element is one structure
  element; a table's header row repeated on each page is an artifact after the first.

To know which HTML element each structure element comes from, the tree building is
recorded during the write (`recording_structure`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pydyf

Finisher = Callable[[Any, Any], None]

# WeasyPrint's tree building is a module global, so one recorded write at a time.
_RECORDING = threading.Lock()
NULL = b"null"


@dataclass
class RecordedStructure:
    """Which HTML element each structure element of one write was built from."""

    sources: dict[int, tuple[Any, Any]] = field(default_factory=dict)

    def source(self, element: Any) -> Any:
        entry = self.sources.get(id(element))
        return entry[1] if entry is not None and entry[0] is element else None

    def finisher(self, then: Finisher | None = None) -> Finisher:
        """A WeasyPrint finisher: `then` first, then the PDF/UA fixes."""

        def finish(document: Any, pdf: Any) -> None:
            if then is not None:
                then(document, pdf)
            make_pdfua(document, pdf, self)

        return finish


@contextmanager
def recording_structure() -> Iterator[RecordedStructure]:
    """Record each structure element's HTML element while WeasyPrint tags a document."""
    # WeasyPrint is slow to import and only needed when a PDF is written.
    from weasyprint.pdf import tags

    recorded = RecordedStructure()
    with _RECORDING:
        original = tags._build_box_tree

        def recording(box: Any, *args: Any) -> Iterator[Any]:
            # The recursion goes through this wrapper, so the innermost call records first.
            html = getattr(box, "element", None)
            for element in original(box, *args):
                recorded.sources.setdefault(id(element), (element, html))
                yield element

        tags._build_box_tree = recording
        try:
            yield recorded
        finally:
            tags._build_box_tree = original


class _Tree:
    """The PDF's structure objects, looked up by reference."""

    def __init__(self, pdf: Any, recorded: RecordedStructure) -> None:
        self.pdf = pdf
        self.recorded = recorded
        self.objects = {obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Object)}
        self.pages = list(pdf.page_references)
        root = self.objects[pdf.catalog["StructTreeRoot"]]
        self.parent_tree = self.objects[root["ParentTree"]]["Nums"]
        self.document = self.objects[root["K"][0]]
        self.replaced: dict[bytes, bytes] = {}
        self.artifacts: dict[int, set[int]] = {}  # page index → MCIDs

    def element(self, kid: Any) -> Any:
        """The structure element a /K entry refers to, or None (an MCID, MCR or OBJR)."""
        if isinstance(kid, bytes):
            obj = self.objects.get(kid)
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem":
                return obj
        return None

    def elements(self, root: Any) -> Iterator[Any]:
        yield root
        for kid in root.get("K", ()):
            child = self.element(kid)
            if child is not None:
                yield from self.elements(child)

    def mark_artifact(self, root: Any) -> None:
        """Make the content of a subtree artifacts and drop its structure elements."""
        for element in list(self.elements(root)):
            for kid in element.get("K", ()):
                if isinstance(kid, int):
                    self.artifacts.setdefault(self.pages.index(element["Pg"]), set()).add(kid)
                elif isinstance(kid, bytes) and self.element(kid) is None:
                    mcr = self.objects.get(kid)
                    if isinstance(mcr, pydyf.Dictionary) and mcr.get("Type") == "/MCR":
                        page = self.pages.index(mcr["Pg"])
                        self.artifacts.setdefault(page, set()).add(mcr["MCID"])
            element.clear()


def make_pdfua(document: Any, pdf: Any, recorded: RecordedStructure) -> None:
    """Put right what WeasyPrint's tagging leaves short of PDF/UA-1."""
    tree = _Tree(pdf, recorded)
    _margin_content_as_artifacts(tree)
    _table_header_scopes(tree)
    _figure_alternatives(tree)
    _link_descriptions(document)
    header_ids: dict[str, Any] = {}
    _join_split_elements(tree, tree.document, header_ids)
    _repoint_cell_headers(tree, header_ids)
    _repoint_parent_tree(tree)
    _rewrite_artifact_content(tree)


def _margin_content_as_artifacts(tree: _Tree) -> None:
    """Running heads and footers are tagged outside the tree: make them artifacts."""
    in_tree = set(tree.document["K"])
    reference = tree.document.reference
    for obj in list(tree.objects.values()):
        if (
            isinstance(obj, pydyf.Dictionary)
            and obj.get("Type") == "/StructElem"
            and obj.get("P") == reference
            and obj.reference not in in_tree
        ):
            tree.mark_artifact(obj)


def _table_header_scopes(tree: _Tree) -> None:
    for element in tree.elements(tree.document):
        if element.get("S") == "/TH":
            html = tree.recorded.source(element)
            scope = html.get("scope", "") if html is not None else ""
            attributes = element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
            attributes["Scope"] = "/Row" if scope.lower() in ("row", "rowgroup") else "/Column"


def _figure_alternatives(tree: _Tree) -> None:
    """WeasyPrint tags an SVG or image as a /Figure with no /Alt: give it the text alternative
    the HTML gives (a chart's aria-label states its title and what it shows)."""
    for element in tree.elements(tree.document):
        if element.get("S") != "/Figure" or "Alt" in element:
            continue
        html = tree.recorded.source(element)
        label = (html.get("aria-label") or html.get("alt") or "") if html is not None else ""
        if label.strip():
            element["Alt"] = pydyf.String(" ".join(label.split()))


def _link_descriptions(document: Any) -> None:
    """A link annotation is described by the link's title, aria-label or text."""
    for page in document.pages:
        for box in page._page_box.descendants(placeholders=True):
            annotation = getattr(box, "link_annotation", None)
            link = box.element
            if annotation is None or link is None:
                continue
            text = " ".join("".join(link.itertext()).split())
            label = link.get("title") or link.get("aria-label") or text
            if label:
                annotation["Contents"] = pydyf.String(label)


def _join_split_elements(tree: _Tree, parent: Any, header_ids: dict[str, Any]) -> None:
    """Join sibling elements that one HTML element became on consecutive pages."""
    kids = parent.get("K")
    if kids is None:
        return
    if parent.get("S") == "/Table":
        kids = _drop_repeated_groups(tree, kids, header_ids)
    joined: list[Any] = []
    for kid in kids:
        element = tree.element(kid)
        previous = tree.element(joined[-1]) if joined else None
        if (
            element is not None
            and previous is not None
            and element.get("Pg") != previous.get("Pg")
            and tree.recorded.source(element) is not None
            and tree.recorded.source(element) is tree.recorded.source(previous)
        ):
            _absorb(tree, previous, element)
        else:
            joined.append(kid)
    parent["K"] = pydyf.Array(joined)
    for kid in joined:
        element = tree.element(kid)
        if element is not None:
            _join_split_elements(tree, element, header_ids)


def _absorb(tree: _Tree, into: Any, element: Any) -> None:
    """Move `element`'s kids into `into`, MCIDs as references to their own page."""
    for kid in element["K"]:
        if isinstance(kid, int):
            mcr = pydyf.Dictionary({"Type": "/MCR", "Pg": element["Pg"], "MCID": kid})
            tree.pdf.add_object(mcr)
            tree.objects[mcr.reference] = mcr
            into["K"].append(mcr.reference)
        else:
            child = tree.element(kid)
            if child is not None:
                child["P"] = into.reference
            into["K"].append(kid)
    tree.replaced[element.reference] = into.reference
    element.clear()


def _drop_repeated_groups(tree: _Tree, kids: list[Any], header_ids: dict[str, Any]) -> list[Any]:
    """A header (or footer) row group printed on each page is structure once, first (last)."""
    groups: dict[int, list[Any]] = {}
    for kid in kids:
        element = tree.element(kid)
        if element is not None and element.get("S") in ("/THead", "/TFoot"):
            groups.setdefault(id(tree.recorded.source(element)), []).append(element)
    dropped: set[bytes] = set()
    for copies in groups.values():
        if len(copies) < 2:
            continue
        keep = copies[0] if copies[0]["S"] == "/THead" else copies[-1]
        kept_ids = {
            id(tree.recorded.source(th)): th["ID"]
            for th in tree.elements(keep)
            if th.get("S") == "/TH" and "ID" in th
        }
        for copy in copies:
            if copy is keep:
                continue
            for th in tree.elements(copy):
                kept = kept_ids.get(id(tree.recorded.source(th)))
                if th.get("S") == "/TH" and "ID" in th and kept is not None:
                    header_ids[str(th["ID"].string)] = kept
            dropped.add(copy.reference)
            tree.mark_artifact(copy)
    return [kid for kid in kids if kid not in dropped]


def _repoint_cell_headers(tree: _Tree, header_ids: dict[str, Any]) -> None:
    if not header_ids:
        return
    for element in tree.elements(tree.document):
        headers = element.get("A", {}).get("Headers") if element.get("S") == "/TD" else None
        if headers:
            element["A"]["Headers"] = pydyf.Array(
                header_ids.get(str(header.string), header) for header in headers
            )


def _repoint_parent_tree(tree: _Tree) -> None:
    """Point the parent tree at the joined elements, and nowhere for artifacts."""

    def target(reference: Any) -> Any:
        while reference in tree.replaced:
            reference = tree.replaced[reference]
        return reference

    nums = tree.parent_tree
    for index in range(0, len(nums), 2):
        key, value = nums[index], nums[index + 1]
        if isinstance(value, pydyf.Array):
            page_artifacts = tree.artifacts.get(key, set()) if key < len(tree.pages) else set()
            for mcid, reference in enumerate(value):
                value[mcid] = NULL if mcid in page_artifacts else target(reference)
        else:
            nums[index + 1] = target(value)


MARKED = re.compile(r"^/\w+$")


def _rewrite_artifact_content(tree: _Tree) -> None:
    """`/Span <</MCID n>> BDC` becomes `/Artifact BMC` for each artifact's MCID."""
    for page_index, mcids in tree.artifacts.items():
        page = tree.objects[tree.pages[page_index]]
        stream = tree.objects[page["Contents"]]
        items = stream.stream
        rewritten: list[Any] = []
        index = 0
        while index < len(items):
            item = items[index]
            if (
                isinstance(item, pydyf.Dictionary)
                and item.get("MCID") in mcids
                and index + 1 < len(items)
                and items[index + 1] == b"BDC"
                and rewritten
                and isinstance(rewritten[-1], str)
                and MARKED.match(rewritten[-1])
            ):
                rewritten[-1] = "/Artifact"
                rewritten.append(b"BMC")
                index += 2
                continue
            rewritten.append(item)
            index += 1
        stream.stream = rewritten
