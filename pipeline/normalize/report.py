"""Decisions the normalizer made, with a confidence, for `normalize --report`."""
from __future__ import annotations

from dataclasses import dataclass, field

LOW = 0.8  # decisions below this confidence are listed by --report


# What a decision is about, for the proof page (pipeline/proof.py) to show it:
KINDS = ("break", "join", "heading", "displaced", "manifest", "lead", "front", "note")


@dataclass(frozen=True)
class Decision:
    line: int | None         # the source line it concerns (1-based), None: the whole article
    confidence: float
    message: str             # one line: what was decided and why
    kind: str = "note"       # one of KINDS


@dataclass
class Report:
    decisions: list[Decision] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, line: int | None, confidence: float, message: str, kind: str = "note") -> None:
        self.decisions.append(Decision(line, confidence, message, kind))

    def retract(self, line: int, kinds: tuple[str, ...] = KINDS) -> None:
        """Take back the latest decision about this line (of one of these kinds): a
        later one overrules it."""
        for index in range(len(self.decisions) - 1, -1, -1):
            if self.decisions[index].line == line and self.decisions[index].kind in kinds:
                del self.decisions[index]
                return

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def low(self) -> list[Decision]:
        return [d for d in self.decisions if d.confidence < LOW]
