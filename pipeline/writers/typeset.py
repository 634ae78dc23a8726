"""Line breaking and justification for the print edition, done here because
WeasyPrint 70 does not justify CJK text (text-align: justify stretches only spaces).

Each body paragraph is measured with the fonts' own advances (HarfBuzz), broken
by the clreq rules, and every line but the last is spread to the full measure
with letter-spacing. WeasyPrint then only places the lines we give it.

clreq rules applied:
- 3.1.6  a full line ends flush with the text block (remainder spread between characters);
- 3.1.7  line-start prohibition (no ，。、；：？！）》」』〉 or closing quote at a line start),
         line-end prohibition (no opening bracket or quote at a line end);
- 3.1.8  —— and …… are never split;
- 3.2.2  where two punctuation marks meet, the first is set half width (the fonts' halt);
- 3.2.3  a quarter em between Han and Latin letters or digits.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..model import Code, Emph, FootnoteRef, Inline, LineBreak, Link, Paragraph, Strong, Text
from .fonts import FAMILIES, advances, covers

NO_LINE_START = set("，。、；：？！）》」』〉】〕”’…—·%,.;:!?)]}")
NO_LINE_END = set("（《「『〈【〔“‘([{")
FULL_PUNCT = set("，。、；：？！（）《》「」『』〈〉【】〔〕“”‘’")
QUARTER = 0.25   # em between Han and Latin or digits
NOTE_CALL_PT = 6.0  # size of the footnote call (print.css)
CODE_SIZE = 0.9  # size of inline code, relative to the text (base.css)


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass
class Atom:
    """The smallest piece a line holds: one character cluster, a word space, a
    quarter-em gap, or a footnote."""
    text: str
    width: float                       # em
    wraps: tuple = ()                  # ("strong",), ("em",), ("a", href), ("code",), ("runin",)
    halt: bool = False
    kind: str = "char"                 # char | space | quarter | note
    note: FootnoteRef | None = None
    full: float = 0.0                  # width when not halted
    face: tuple = ()                   # (family, bold, size relative to the body)


@dataclass
class Run:
    text: str
    wraps: tuple
    halt: bool = False
    kind: str = "char"                 # char | quarter | note
    note: FootnoteRef | None = None
    face: tuple = ()
    width: float = 0.0                 # em, for quarter and note runs


@dataclass
class SetLine:
    """One line: its runs, spread by `spacing` pt between characters. The spread
    is letter-spacing on the whole line (so —— and …… keep their ligatures, which
    need their neighbours) minus the same after the last character."""
    runs: list[Run]
    spacing: float = 0.0


@dataclass
class SetParagraph:
    lines: list[SetLine] = field(default_factory=list)


def _segments(inlines: tuple[Inline, ...], wraps: tuple = ()):
    """(text, wraps) for every run of text; footnote references as (None, ref)."""
    for node in inlines:
        if isinstance(node, Text):
            yield node.text, wraps
        elif isinstance(node, Code):
            yield node.text, wraps + (("code",),)
        elif isinstance(node, Emph):
            yield from _segments(node.children, wraps + (("em",),))
        elif isinstance(node, Strong):
            yield from _segments(node.children, wraps + (("strong",),))
        elif isinstance(node, Link):
            yield from _segments(node.children, wraps + (("a", node.href),))
        elif isinstance(node, FootnoteRef):
            yield None, node
        elif isinstance(node, LineBreak):
            yield "\n", wraps


# The (role, bold) faces lines are measured in, as _face picks them.
MEASURED_FACES = (("serif", False), ("sans", True), ("mono", False), ("kai", False))


def _face(wraps: tuple, families: dict, base: str = "serif") -> tuple[str, bool, float]:
    """Family, bold, and size relative to the body, as the stylesheets set them
    (emphasis keeps the body face: it is marked with dots, print.css)."""
    names = {w[0] for w in wraps}
    if "code" in names:
        return families["mono"], False, CODE_SIZE
    if names & {"strong", "runin"}:
        return families["sans"], True, 1.0
    if base == "heading":  # table headers: Hei bold
        return families["sans"], True, 1.0
    return families[base], False, 1.0


def _covered_runs(text: str, family: str, fallback: str):
    """(run, family) pieces of `text`: a character the face lacks is set in the
    fallback face, as the stylesheet's font-family list makes WeasyPrint do."""
    if family == fallback:
        yield text, family
        return
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or _has(family, text[i]) != _has(family, text[start]):
            yield text[start:i], family if _has(family, text[start]) else fallback
            start = i


def _has(family: str, ch: str) -> bool:
    return ch.isspace() or covers(family, False, ord(ch))


def atoms_of(paragraph: Paragraph, lang: str, size: float, base: str = "serif") -> list[Atom] | None:
    """The paragraph as measured atoms, or None when it holds something we do not set
    ourselves (a hard line break). `base`: the block's face role (serif, or kai for
    quotations and captions)."""
    families = FAMILIES[lang]
    if paragraph.inlines:
        segments = list(_segments(paragraph.inlines))
    elif paragraph.runin and paragraph.text.startswith(paragraph.runin):
        segments = [(paragraph.runin, (("runin",),)), (paragraph.text[len(paragraph.runin):], ())]
    else:
        segments = [(paragraph.text, ())]
    plain = "".join(s for s, _ in segments if s)
    if "\n" in plain:
        return None
    # Where two full-width marks meet, the first one is set half width.
    halt_at = {i for i in range(len(plain) - 1) if plain[i] in FULL_PUNCT and plain[i + 1] in FULL_PUNCT}
    atoms: list[Atom] = []
    offset = 0
    for text, wraps in segments:
        if text is None:
            digits = str(wraps.number)
            width = sum(a for _, a in advances(digits, families["serif"], False, lang)) * NOTE_CALL_PT / size
            atoms.append(Atom(digits, width, kind="note", note=wraps))
            continue
        if not text:
            continue
        face, bold, scale = _face(wraps, families, base)
        for piece, family in (_covered_runs(text, face, families["serif"]) if not bold else [(text, face)]):
            atoms.extend(_measure(piece, family, bold, scale, wraps, lang, offset, halt_at))
            offset += len(piece)
    return _quarter_spaces(atoms)


def _measure(text: str, family: str, bold: bool, scale: float, wraps: tuple, lang: str,
             offset: int, halt_at: set) -> list[Atom]:
    atoms = []
    normal = dict(advances(text, family, bold, lang))
    starts = sorted(normal)
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        cluster = text[start:end]
        halt = offset + start in halt_at
        # A halted mark is set in a span of its own: measure it alone, as it is shaped.
        width = (advances(cluster, family, bold, lang, halt=True)[0][1] if halt else normal[start]) * scale
        kind = "space" if cluster.isspace() else "char"
        atoms.append(Atom(cluster, width, wraps, halt, kind, full=normal[start] * scale,
                          face=(family, bold, scale)))
    return atoms


def _quarter_spaces(atoms: list[Atom]) -> list[Atom]:
    out: list[Atom] = []
    for atom in atoms:
        if out and atom.kind == "char" and out[-1].kind == "char":
            a, b = out[-1].text[-1], atom.text[0]
            if (_is_han(a) and _is_latin(b)) or (_is_latin(a) and _is_han(b)):
                out.append(Atom("", QUARTER, kind="quarter"))
        out.append(atom)
    return out


def _can_break_before(atoms: list[Atom], i: int) -> bool:
    prev, cur = atoms[i - 1], atoms[i]
    if cur.kind in ("space", "note"):
        return False
    if prev.kind == "space":
        return True
    if cur.kind == "quarter" or prev.kind == "quarter":
        return cur.kind == "quarter"  # break before the gap; it vanishes at the line end
    a, b = prev.text[-1], cur.text[0]
    if b in NO_LINE_START or a in NO_LINE_END:
        return False
    if (a == b == "—") or (a == b == "…"):
        return False
    if not (a.isascii() and b.isascii()):
        return True
    return False  # inside a Latin word or number


def _trim(line: list[Atom]) -> list[Atom]:
    while line and line[-1].kind in ("space", "quarter"):
        line.pop()
    while line and line[0].kind in ("space", "quarter"):
        line.pop(0)
    return line


def break_lines(atoms: list[Atom], measure: float, indent: float) -> list[list[Atom]]:
    """First-fit breaking in em; a line that cannot end where the text overflows
    backs up to its last legal break (the characters go down to the next line)."""
    lines: list[list[Atom]] = []
    start, available = 0, measure - indent
    while start < len(atoms):
        width, i, last_break = 0.0, start, None
        while i < len(atoms):
            if i > start and _can_break_before(atoms, i):
                last_break = i
            if atoms[i].kind != "space" and width + atoms[i].width > available + 1e-6:
                break
            width += atoms[i].width
            i += 1
        if i >= len(atoms):
            lines.append(_trim(atoms[start:]))
            break
        end = last_break if last_break is not None and last_break > start else max(i, start + 1)
        lines.append(_trim(atoms[start:end]))
        start, available = end, measure
    return [line for line in lines if line]


def justify(lines: list[list[Atom]], measure: float, indent: float, size: float,
            lang: str) -> list[SetLine]:
    """Every line but the last spread to the measure (letter-spacing in pt)."""
    out = []
    for number, line in enumerate(lines):
        if line[-1].halt:
            # The mark that met its neighbour across the break is set full width.
            line[-1] = replace(line[-1], width=line[-1].full, halt=False)
        available = measure - (indent if number == 0 else 0)
        chars = sum(len(a.text) for a in line if a.kind in ("char", "space"))
        runs: list[Run] = []
        for atom in line:
            kind = "char" if atom.kind == "space" else atom.kind
            if runs and kind == "char" and runs[-1].kind == "char" and \
                    runs[-1].wraps == atom.wraps and runs[-1].halt == atom.halt and runs[-1].face == atom.face:
                runs[-1].text += atom.text
            else:
                runs.append(Run(atom.text, atom.wraps, atom.halt, kind, atom.note, atom.face, atom.width))
        spacing = 0.0
        if number < len(lines) - 1 and chars > 1:
            natural = sum(_rendered_width(run, lang) for run in runs)
            spacing = round((available - natural) * size / (chars - 1), 4)
        out.append(SetLine(runs, spacing))
    return out


def _rendered_width(run: Run, lang: str) -> float:
    """A run's width as WeasyPrint will shape it: each run is a text box of its own,
    so characters at its edges lose their neighbours (a dash after digits at a line
    start is shaped as Latin, not as Han)."""
    if run.kind != "char":
        return run.width
    family, bold, scale = run.face
    return sum(a for _, a in advances(run.text, family, bold, lang, halt=run.halt)) * scale


def typeset(paragraph: Paragraph, lang: str, measure_em: float, size: float,
            indent_em: float = 2.0, base: str = "serif") -> SetParagraph | None:
    atoms = atoms_of(paragraph, lang, size, base)
    if atoms is None:
        return None
    lines = break_lines(atoms, measure_em, indent_em)
    return SetParagraph(justify(lines, measure_em, indent_em, size, lang))
