"""Read YAML into plain Python values while keeping the line of every key and list item.

:func:`parse_yaml` composes the YAML node tree (PyYAML's composer keeps a start mark on every node) and builds the
Python value from it, recording ``path -> line`` for each mapping key and sequence item. A path is a tuple of keys
and list indices from the document root, e.g. ``(3, "amount", "low")`` for the ``low:`` key of the fourth item.
Problems (malformed YAML, bad bytes, duplicate keys, unsupported tags, alias bombs) are returned as
:class:`~junkan.errors.InputProblem` with the file and line, never raised as YAML exceptions.

Scalars are resolved as in YAML 1.2's core schema where YAML 1.1 surprises people: only ``true``/``false`` are
booleans (``NO``, the ISO code of Norway, stays a string) and dates stay strings (so that an impossible date such
as ``2025-02-30`` is reported by the schema with its field instead of crashing the parser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from junkan.errors import InputProblem

Path = tuple[str | int, ...]

#: Most nodes (after expanding aliases) one file may hold; guards against "billion laughs" alias bombs.
MAX_NODES = 500_000
#: Deepest nesting accepted.
MAX_DEPTH = 60

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-style booleans and no implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

_CLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLoaderImpl(yaml.CSafeLoader):
        """libyaml's parser with the same resolvers: about ten times faster on large files."""

    _CLoaderImpl.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _CLoader = _CLoaderImpl


def _compose_fast(text: str) -> tuple[Any, Node | None] | None:
    """``(loader, root)`` composed by libyaml, or ``None`` (no libyaml, a character YAML forbids, or any error:
    then the pure-Python parser reads the file again and words the problem)."""
    if _CLoader is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    loader = _CLoader(text)
    try:
        return loader, loader.get_single_node()
    except Exception:
        loader.dispose()
        return None


@dataclass
class YamlDoc:
    """A parsed YAML file: its value, the line of every path, and the problems met while reading it.

    ``value`` is ``None`` for an empty file (or one that failed to parse; then ``problems`` says why).
    """

    file: str
    value: Any = None
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[InputProblem] = field(default_factory=list)
    empty: bool = False

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its longest prefix that has one (1-based)."""
        p = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]


def decode_utf8(data: bytes, file: str) -> tuple[str | None, InputProblem | None]:
    """Decode ``data`` as UTF-8 (a byte-order mark is dropped); on failure, a problem naming the line and byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, InputProblem("file is UTF-16 encoded; save it as UTF-8", file=file, line=1)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1]
        return None, InputProblem(
            f"file is not valid UTF-8: byte 0x{bad.hex()} at column {col} cannot be decoded (save the file as UTF-8)",
            file=file,
            line=line,
        )


def compose(text: str) -> Node | None:
    """The node tree of one YAML document, composed by the pure-Python parser (its marks' ``index`` is a character
    offset into ``text``, as editors need); ``None`` for an empty document. Raises PyYAML's errors."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def parse_yaml(data: bytes | str, file: str) -> YamlDoc:
    """Parse one YAML document, keeping line numbers.

    Parameters
    ----------
    data
        The file's bytes (decoded as UTF-8) or text.
    file
        The file name used in problems.

    Returns
    -------
    YamlDoc
        The value, the ``path -> line`` map and any problems (if there are problems, ``value`` may be partial).
    """
    doc = YamlDoc(file=file)
    if isinstance(data, bytes):
        text, problem = decode_utf8(data, file)
        if problem is not None:
            doc.problems.append(problem)
            return doc
        assert text is not None
    else:
        text = data
    loader: Any = None
    try:
        fast = _compose_fast(text)
        if fast is not None:
            loader, root = fast
        else:
            loader = _Loader(text)  # checks for characters YAML forbids
            root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        doc.problems.append(_marked_problem(exc, file))
        return doc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        doc.problems.append(
            InputProblem(
                f"file contains a control character YAML does not allow ({_char_code(exc.character)})",
                file=file,
                line=line,
            )
        )
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(InputProblem(f"malformed YAML: {exc}", file=file))
        return doc
    except RecursionError:
        doc.problems.append(InputProblem("malformed YAML: nested too deeply", file=file))
        return doc
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        doc.empty = True
        return doc
    doc.lines[()] = root.start_mark.line + 1
    builder = _Builder(loader, doc)
    doc.value = builder.build(root, (), 0)
    return doc


def _marked_problem(exc: yaml.MarkedYAMLError, file: str) -> InputProblem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or exc.context or "cannot parse"
    if exc.context and exc.problem:
        at = ""
        if exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
            at = f" (line {exc.context_mark.line + 1})"
        what = f"{exc.context}{at}, {exc.problem}"
    return InputProblem(f"malformed YAML: {what}", file=file, line=mark.line + 1 if mark is not None else None)


class _Builder:
    """Builds Python values from nodes, recording lines and collecting problems."""

    def __init__(self, loader: _Loader, doc: YamlDoc) -> None:
        self.loader = loader
        self.doc = doc
        self.count = 0
        self.active: set[int] = set()
        self.exhausted = False

    def problem(self, message: str, node: Node, path: Path) -> None:
        if path and isinstance(path[0], int):
            path = path[1:]  # files are lists of records: name fields within the record
        self.doc.problems.append(
            InputProblem(message, file=self.doc.file, line=node.start_mark.line + 1, field=dotted(path) or None)
        )

    def build(self, node: Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if not self.exhausted:
                self.exhausted = True
                self.problem(f"YAML expands to more than {MAX_NODES} values (aliases nested in aliases?)", node, path)
            return None
        if depth > MAX_DEPTH:
            self.problem(f"YAML nested more than {MAX_DEPTH} levels deep", node, path)
            return None
        if id(node) in self.active:
            self.problem("recursive alias: a value contains itself", node, path)
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if node.tag != _SEQ_TAG:
                    self.problem(f"unsupported YAML tag {node.tag!r}", node, path)
                out_list = []
                for i, child in enumerate(node.value):
                    self.doc.lines.setdefault((*path, i), child.start_mark.line + 1)
                    out_list.append(self.build(child, (*path, i), depth + 1))
                return out_list
            if isinstance(node, MappingNode):
                return self._mapping(node, path, depth)
            self.problem(f"unsupported YAML node {type(node).__name__}", node, path)
            return None
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            if isinstance(exc, yaml.MarkedYAMLError):
                message = exc.problem or str(exc)
            else:
                message = f"cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]} ({exc})"
            self.problem(message, node, path)
            return node.value

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[Any, Any]:
        if node.tag != _MAP_TAG:
            self.problem(f"unsupported YAML tag {node.tag!r}", node, path)
        try:
            self.loader.flatten_mapping(node)  # merge keys (<<: *anchor)
        except yaml.MarkedYAMLError as exc:
            self.problem(f"malformed YAML: {exc.problem}", node, path)
        except RecursionError:
            self.problem("recursive merge key", node, path)
            return {}
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem("a key must be a plain value, not a list or mapping", key_node, path)
                continue
            key = self._scalar(key_node, path)
            if not isinstance(key, str):
                key = str(key_node.value)  # keys are field names: keep them as written
            key_path = (*path, key)
            if key in out:
                self.problem(
                    f"duplicate key {key!r} (first at line {self.doc.lines.get(key_path, '?')})", key_node, key_path
                )
                continue
            self.doc.lines[key_path] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, key_path, depth + 1)
        return out


def _char_code(c: object) -> str:
    if isinstance(c, str) and len(c) == 1:
        return f"U+{ord(c):04X}"
    if isinstance(c, int):
        return f"U+{c:04X}"
    return repr(c)


def dotted(path: Path) -> str:
    """Render a path as a field name: ``("sources", 0, "url")`` -> ``"sources[0].url"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
