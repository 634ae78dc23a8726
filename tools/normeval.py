"""The normalizer and `suggest` on the generated set (tests/newspaper.py), by layout
kind: paragraph F1, headed sections placed, suggest's placements right and how often
its suggestions above 0.9 are wrong (per kind and overall), and how far the
confidence of paragraph breaks and joins can be trusted. `--seed N` shifts every
article's seed (a held-out draw of the same layouts); `--heldout` scores the
articles of tests/fixtures/heldout, never developed on, instead. Needs ../shared/corpus.

    .venv/bin/python tools/normeval.py [--seed N] [--heldout]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from newspaper import STYLES, extract, load_corpus, load_heldout  # noqa: E402
from newsscore import decisions_scored, paragraph_f1, paragraphs_of, sections_placed, suggestions_scored  # noqa: E402
from pipeline.manifest import parse_manifest  # noqa: E402
from pipeline.model import to_json  # noqa: E402
from pipeline.normalize import normalize  # noqa: E402
from pipeline.normalize.report import LOW  # noqa: E402
from pipeline.normalize.suggest import suggest  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heldout", action="store_true",
                        help="score the held-out articles (tests/fixtures/heldout) instead of the corpus")
    args = parser.parse_args()
    corpus = load_heldout() if args.heldout else load_corpus()
    totals = [0] * 5
    scored, titled_all, decided = [], 0, []
    with tempfile.TemporaryDirectory() as folder:
        for index, style in enumerate(STYLES):
            m_ = e_ = g_ = r_ = t_ = 0
            style_scored, style_titled, style_decided = [], 0, []
            for number, article in enumerate(corpus):
                raw, manifest, truth = extract(article, style, 1000 * index + number + args.seed)
                parsed = parse_manifest(tomllib.loads(manifest), "generated.toml") if manifest else None
                result = normalize(raw, parsed)
                tree = to_json(result.article)
                style_decided += decisions_scored(raw, truth, result.report.decisions)
                _, m, e, g = paragraph_f1([p for s in truth["sections"] for p in s["paragraphs"]],
                                          paragraphs_of(tree))
                r, t = sections_placed(truth, tree)
                m_, e_, g_, r_, t_ = m_ + m, e_ + e, g_ + g, r_ + r, t_ + t
                if style.headings != "inplace":
                    source = Path(folder) / f"{index}-{number}.txt"
                    source.write_text(raw, "utf-8")
                    style_scored += suggestions_scored(suggest(source), truth)
                    style_titled += t
            line = f"{style.label:72s} F1 {2 * m_ / (e_ + g_):.3f}  sections {r_}/{t_} {r_ / max(1, t_):6.1%}"
            if style_titled:
                right = sum(ok for _, ok in style_scored)
                sure = [ok for confidence, ok in style_scored if confidence > 0.9]
                line += (f"  suggest {right}/{style_titled} {right / style_titled:.1%}"
                         f"  >0.9 wrong {sum(1 for ok in sure if not ok)}/{len(sure)}")
            print(line + "  " + _decisions(style_decided))
            decided += style_decided
            totals = [a + b for a, b in zip(totals, (m_, e_, g_, r_, t_))]
            scored += style_scored
            titled_all += style_titled
    m, e, g, r, t = totals
    sure = [ok for confidence, ok in scored if confidence > 0.9]
    print(f"{'overall':72s} F1 {2 * m / (e + g):.3f}  sections {r}/{t} {r / t:6.1%}"
          f"  (paragraphs: {m} right of {e} expected, {g} recovered)")
    print(f"suggest: {sum(ok for _, ok in scored)}/{titled_all} right "
          f"({sum(ok for _, ok in scored) / titled_all:.1%}); above 0.9: "
          f"{sum(1 for ok in sure if not ok)}/{len(sure)} wrong")
    print(f"breaks and joins: {_decisions(decided)}")


def _decisions(scored: list[tuple[float, bool]]) -> str:
    """How far the confidence of paragraph breaks and joins can be trusted: how many
    of those reported at 0.95 or more are wrong, and how many of the wrong ones are
    listed as low-confidence (below report.LOW) for the editor to check."""
    sure = [ok for confidence, ok in scored if confidence >= 0.95]
    wrong = [confidence for confidence, ok in scored if not ok]
    return (f"decisions >=0.95 wrong {sure.count(False)}/{len(sure)}, "
            f"wrong listed {sum(c < LOW for c in wrong)}/{len(wrong)}")


if __name__ == "__main__":
    main()
