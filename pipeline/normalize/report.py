"""Decisions the normalizer made, with a confidence, for `normalize --report`."""
from __future__ import annotations

from dataclasses import dataclass, field

LOW = 0.8  # decisions below this confidence are listed by --report


@dataclass(frozen=True)
class Decision:
    line: int | None
    confidence: float
    message: str


@dataclass
class Report:
    decisions: list[Decision] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, line: int | None, confidence: float, message: str) -> None:
        self.decisions.append(Decision(line, confidence, message))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def low(self) -> list[Decision]:
        return [d for d in self.decisions if d.confidence < LOW]
