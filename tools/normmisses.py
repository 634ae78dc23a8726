"""The normalizer's misses on the generated set (tests/newspaper.py), one by one: each
wrong paragraph boundary with the raw lines around it, each paragraph whose text
differs, each misplaced section; then the count by layout kind and class. A boundary
after a line that ends a sentence as wide as a full line is class "fullstop" (where
the paper does not indent, nothing in the text tells those apart); "+blank" when a
blank line follows it. For finding what to fix; tools/normeval.py gives the figures.

    .venv/bin/python tools/normmisses.py [--seed N] [--layout I ...] [--heldout] [--context N]
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from newspaper import STYLES, extract, load_corpus, load_heldout  # noqa: E402
from newsscore import opening_lines, paragraphs_of, squash  # noqa: E402
from pipeline.manifest import parse_manifest  # noqa: E402
from pipeline.model import to_json  # noqa: E402
from pipeline.normalize import normalize  # noqa: E402
from pipeline.normalize.lines import display_width, ends_sentence, latin_slack  # noqa: E402


def classify(rows: list[str], number: int, column: int) -> str:
    k = number - 1
    while k >= 1 and not rows[k - 1].strip():
        k -= 1
    before = rows[k - 1].strip() if k >= 1 else ""
    tolerance = max(4, round(column * 0.08))
    full = ends_sentence(before) and display_width(before) + latin_slack(before) >= column - tolerance
    return ("fullstop" if full else "other") + ("+blank" if k != number - 1 else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--layout", type=int, nargs="*", help="indexes into STYLES")
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--context", type=int, default=3)
    args = parser.parse_args()
    corpus = load_heldout() if args.heldout else load_corpus()
    counts: Counter = Counter()
    for index, style in enumerate(STYLES):
        if args.layout and index not in args.layout:
            continue
        for number, article in enumerate(corpus):
            seed = 1000 * index + number + args.seed
            raw, manifest, truth = extract(article, style, seed)
            parsed = parse_manifest(tomllib.loads(manifest), "generated.toml") if manifest else None
            result = normalize(raw, parsed)
            tree = to_json(result.article)
            want = [p for s in truth["sections"] for p in s["paragraphs"]]
            expected, got = opening_lines(raw, truth), {line for s in result.sources for line in s}
            texts = [t for t in paragraphs_of(tree) if t not in want and squash(t) in set(map(squash, want))]
            heads = {(s["heading"], s["subheading"]): (s["blocks"][0]["text"] if s["blocks"] else None)
                     for s in tree["sections"]}
            misplaced = [s for s in truth["sections"] if (s["heading"] or s["subheading"])
                         and heads.get((s["heading"], s["subheading"])) != s["paragraphs"][0]]
            misses = [("missed break", n) for n in sorted(expected - got)] + \
                     [("false break", n) for n in sorted(got - expected)]
            if not (misses or texts or misplaced):
                continue
            print(f"=== layout {index} [{style.label}] article {number} seed {seed}")
            rows = raw.split("\n")
            for kind, line in misses:
                label = classify(rows, line, 2 * style.column)
                counts[(style.label, f"{kind}: {label}")] += 1
                print(f"  -- {kind} before line {line} ({label})")
                for k in range(max(1, line - args.context), min(len(rows), line + args.context) + 1):
                    print(f"   {'>' if k == line else ' '}{k:4d} w{display_width(rows[k - 1].strip()):3d} |{rows[k - 1]}|")
            for text in texts:
                counts[(style.label, "text")] += 1
                print(f"  -- text {text!r}\n     want {[w for w in want if squash(w) == squash(text)][0]!r}")
            for section in misplaced:
                counts[(style.label, "section")] += 1
                title = section["heading"] or section["subheading"]
                found = heads.get((section["heading"], section["subheading"]))
                print(f"  -- section {title!r} opens {section['paragraphs'][0][:24]!r}, got {str(found)[:24]!r}")
    print("\ncount by layout and class:")
    for (label, kind), n in sorted(counts.items()):
        print(f"  {n:4d}  {label}: {kind}")


if __name__ == "__main__":
    main()
