"""Command line: argument parsing and user-facing errors, nothing else."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import EXIT_BUILD, EXIT_USAGE, UserError, os_error_line

PAGES = ("A5", "A4", "B5", "16K")


class _Version(argparse.Action):
    """--version, looked up only when asked: reading the installed packages'
    metadata costs every other run 20-40 ms."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):  # noqa: A002
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("zh-pipeline")
        except PackageNotFoundError:  # run from a checkout that was never installed
            number = "unknown (not installed)"
        print(f"{parser.prog} {number}")  # on stdout, as argparse's own version action
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zh-pipeline",
                                     description="Chinese long-form text to print PDF and EPUB 3. "
                                                 "(Also run as python -m pipeline.)")
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="build PDF or EPUB files",
                           description="Build dist files from raw .txt or Markdown .md sources, "
                                       "or from books/NAME.toml book files.")
    build.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    build.add_argument("--format", choices=("pdf", "epub", "cover"), required=True,
                       help="cover: a book's press cover spread, NAME.cover.pdf (after its press PDF)")
    build.add_argument("--out", type=Path, default=Path("dist"), help="output folder (default: dist)")
    build.add_argument("--page", choices=PAGES, default="A5", help="PDF page size (default: A5)")
    build.add_argument("--manifest", type=Path, help="manifest for a raw source (default: SOURCE.toml)")
    build.add_argument("--press", action="store_true",
                       help="PDF for the printer: 3 mm bleed, crop marks, PDF/X-4 (default: tagged PDF/UA-1)")
    build.add_argument("--press-profile", type=Path, metavar="ICC",
                       help="press: the CMYK output profile (default: Ghostscript's default_cmyk.icc)")
    build.add_argument("--paper-mm", type=float, default=0.1, metavar="MM",
                       help="cover: the paper's thickness per leaf, for the spine (default: 0.1)")
    build.add_argument("--variant", choices=("zh-Hans", "zh-Hant"), default="zh-Hans",
                       help="edition: zh-Hans (default) or zh-Hant, written as NAME.zh-Hant.*")
    build.add_argument("--writing", choices=("horizontal", "vertical"), default="horizontal",
                       help="EPUB: vertical builds the vertical edition (竖排), NAME[.zh-Hant].vertical.epub")
    build.add_argument("--embed-fonts", action="store_true",
                       help="EPUB: embed the Noto fonts, subset to the characters used")
    build.add_argument("--pages-from", type=Path, metavar="PDF",
                       help="EPUB: the PDF of the same edition, whose page numbers become the page-list; "
                            "cover: the book's press PDF, whose page count gives the spine (default: OUT/NAME.pdf)")
    build.add_argument("--state", type=Path, default=Path(".build"),
                       help="the build's own folder: cache and compiled templates (default: .build)")
    build.add_argument("--quiet", action="store_true", help="no summary line")
    build.add_argument("--jobs", "-j", type=int, metavar="N",
                       help="several sources: build them in N warm worker processes (default: make's -j "
                            "when run by make, else the machine's cores)")
    build.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                       help="build the sources on this Dask cluster's workers, which need no shared files; "
                            "the outputs are written here (needs zh-pipeline[cluster])")

    norm = sub.add_parser("normalize", help="print the document tree of a source",
                          description="Read a source and print its document tree.")
    norm.add_argument("source", type=Path, metavar="FILE")
    norm.add_argument("--manifest", type=Path, help="manifest for a raw source (default: FILE.toml)")
    mode = norm.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="the tree as JSON (a stable interface)")
    mode.add_argument("--report", action="store_true", help="decisions made with low confidence")
    mode.add_argument("--summary", action="store_true", help="one summary line")

    suggest = sub.add_parser("suggest", help="draft a manifest for displaced headings",
                             description="Write a draft manifest placing the displaced headings "
                                         "of a raw source, for the editor to confirm.")
    suggest.add_argument("source", type=Path, metavar="SOURCE")
    suggest.add_argument("-o", "--output", type=Path, help="write here instead of standard output")

    proof = sub.add_parser("proof", help="an editor's proof page of a raw source",
                           description="Write a self-contained HTML page showing the raw source's lines "
                                       "beside the recovered article, with every decision made.")
    proof.add_argument("source", type=Path, metavar="SOURCE")
    proof.add_argument("--manifest", type=Path, help="manifest for the source (default: SOURCE.toml)")
    proof.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    preview = sub.add_parser("preview", help="serve live previews that rebuild as files are saved",
                             description="Serve the sources' and books' reading views, print pages and "
                                         "files on a local web server; rebuild them as their inputs change.")
    preview.add_argument("sources", nargs="+", type=Path, metavar="SOURCE",
                         help="source/NAME.txt, source/NAME.md or books/NAME.toml")
    preview.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free port)")
    preview.add_argument("--host", default="127.0.0.1",
                         help="address to listen on (default: 127.0.0.1, this machine only)")
    return parser


def main(argv: list[str] | None = None) -> int:
    import signal

    from .interrupt import install

    install()  # SIGINT -> 130, SIGTERM -> 143, temporaries removed, previous outputs kept
    # A full disk or a file size limit: the write fails (and is cleaned up) instead
    # of the process dying in the middle of it.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    args = _parser().parse_args(argv)
    try:
        return {"build": _build, "normalize": _normalize, "suggest": _suggest,
                "proof": _proof, "preview": _preview}[args.command](args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted: unfinished outputs were discarded, earlier ones kept", file=sys.stderr)
        return 130
    except OSError as exc:
        # The disk is full, the output folder is read-only...: the environment's
        # problem, not a bug; atomic writes left nothing behind.
        print(f"error: {os_error_line(exc, 'output')}", file=sys.stderr)
        return EXIT_BUILD


def _build(args) -> int:
    if (args.manifest or args.pages_from) and len(args.sources) > 1:
        raise UserError(None, "--manifest and --pages-from apply to a single source", exit_code=EXIT_USAGE)
    if args.jobs is not None and args.jobs < 1:
        raise UserError(None, f"--jobs must be at least 1, not {args.jobs}", exit_code=EXIT_USAGE)
    if args.scheduler:
        if args.jobs is not None:
            raise UserError(None, "--jobs and --scheduler: the cluster's workers set how many run at once",
                            exit_code=EXIT_USAGE)
        from .cluster import build_on_cluster

        return build_on_cluster(args)
    if len(args.sources) == 1:
        for line in build_one(args, args.sources[0], progress=True):
            print(line, file=sys.stderr)
        return 0
    from .batch import build_all  # process pools and their imports only for a batch

    return build_all(args, build_one)


def build_one(args, source: Path, progress: bool = False) -> list[str]:
    """Build one source or book as `args` say; the lines to print on stderr.
    `progress`: built alone, not in a batch: a book's PDF shows its progress
    (pipeline/progress.py) unless quiet, and may use --jobs processes."""
    from .build import build, report

    if source.suffix.lower() == ".toml":
        from .build import build_book

        from .progress import BookProgress

        notes: list[str] = []
        shown = BookProgress(str(source)) if progress and args.format == "pdf" and not args.quiet else None
        if progress:  # alone: make's -j when make runs it, else the cores
            from .batch import default_jobs

            jobs = args.jobs or default_jobs()
        else:  # in a batch the workers have the cores already
            jobs = 1
        try:
            build_book(source, args.format, args.out, args.page, args.press, args.embed_fonts, args.pages_from,
                       args.state, args.press_profile, args.paper_mm, notes, shown, jobs)
        finally:
            if shown is not None:
                shown.close()
        return [] if args.quiet else notes
    if args.format == "cover":
        raise UserError(source, "--format cover is for books (books/NAME.toml)", exit_code=EXIT_USAGE)
    built = build(source, args.format, args.out, args.page, args.manifest, args.press, args.variant,
                  args.embed_fonts, args.pages_from, args.state, args.press_profile, args.writing)
    return [] if args.quiet else report(source, built.reading)


def _normalize(args) -> int:
    from .build import load, summary
    from .model import pformat, to_json
    from .normalize.report import LOW

    reading, article = load(args.source, args.manifest)
    if args.json:
        print(json.dumps(to_json(article), ensure_ascii=False, indent=2))
    elif args.report:
        for decision in reading.decisions:
            if decision.confidence < LOW:
                where = f"{args.source}:{decision.line}:" if decision.line else f"{args.source}:"
                print(f"{where} {decision.confidence:.2f} {decision.message}")
    elif args.summary:
        print(summary(args.source, reading))
    else:
        print(pformat(article), end="")
    for warning in reading.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _suggest(args) -> int:
    from .normalize.suggest import suggest

    if args.source.suffix.lower() != ".txt":
        raise UserError(args.source, "suggest works on raw .txt sources")
    text = suggest(args.source)
    if args.output:
        from .files import atomic_write

        if args.output.exists():
            raise UserError(args.output, "exists; the draft never overwrites a manifest")
        atomic_write(args.output, text.encode("utf-8"))
    else:
        print(text, end="")
    return 0


def _proof(args) -> int:
    from .proof import proof_page

    page = proof_page(args.source, args.manifest)
    if args.output:
        from .files import atomic_write

        atomic_write(args.output, page.encode("utf-8"))
    else:
        print(page, end="")
    return 0


def _preview(args) -> int:
    from .preview.server import serve
    from .preview.targets import project

    return serve(project(args.sources), args.host, args.port)
