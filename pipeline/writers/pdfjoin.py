"""Two tagged PDFs of one book, its earlier and its later pages, made one
(writers/bookhalves.py): the later half's pages after the earlier's, its structure
elements after theirs under the one Document element, its ParentTree keys moved
past theirs, its named destinations and bookmarks added. Both halves come from
WeasyPrint 70 with tags (pdf/ua-1): one Document element under the
StructTreeRoot, a flat ParentTree, a flat name tree of destinations, the earlier
half's links to the later half's anchors already named (writers/weasy_halves.py)."""
from __future__ import annotations

from io import BytesIO


def join_halves(first: bytes, second: bytes, shared_fonts: set[str] = frozenset()) -> bytes:
    """`shared_fonts`: WeasyPrint's names of the faces whose subset in `first` holds
    the glyphs of `second` too (writers/weasy_halves.py): the later pages use it,
    and the later half's own subset of them is left out."""
    import pikepdf

    with pikepdf.open(BytesIO(first)) as book, pikepdf.open(BytesIO(second)) as later:
        root, other = book.Root.StructTreeRoot, later.Root.StructTreeRoot
        offset = _renumber(later, other, _next_key(root))
        count = len(book.pages)
        book.pages.extend(later.pages)
        _share_fonts(book, count, shared_fonts)
        document = root.K[0]
        kids = list(other.K[0].K)
        for kid in kids:
            del kid.P  # copied without the other document above it
        for kid in kids:
            copied = book.copy_foreign(kid)
            copied.P = document
            document.K.append(copied)
        nums = root.ParentTree.Nums
        theirs = other.ParentTree.Nums
        for index in range(0, len(theirs), 2):
            value = theirs[index + 1]
            nums.append(int(theirs[index]))
            nums.append(book.copy_foreign(value) if value.is_indirect else
                        pikepdf.Array([book.copy_foreign(item) for item in value]))
        if "/ParentTreeNextKey" in root:
            root.ParentTreeNextKey = offset
        _join_destinations(book, later)
        _join_outlines(book, later)
        out = BytesIO()
        book.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _share_fonts(book, count: int, shared: set[str]) -> None:
    """The pages from `count` on use the earlier pages' fonts of the faces `shared`."""
    if not shared or count == len(book.pages):
        return
    ours = book.pages[0].Resources.Font
    done = set()
    for page in book.pages[count:]:
        fonts = page.Resources.Font
        if fonts.objgen in done and fonts.is_indirect:
            continue
        for name in list(fonts.keys()):
            if name[1:] in shared and name in ours:
                fonts[name] = ours[name]
        done.add(fonts.objgen)


def _next_key(root) -> int:
    nums = root.ParentTree.Nums
    keys = [int(nums[index]) for index in range(0, len(nums), 2)]
    return max(keys, default=-1) + 1


def _renumber(later, root, offset: int) -> int:
    """The later half's ParentTree keys, and its pages' and annotations' references
    to them, moved on by `offset`; returns the key after the last."""
    for page in later.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    nums = root.ParentTree.Nums
    for index in range(0, len(nums), 2):
        nums[index] = int(nums[index]) + offset
    return _next_key(root)


def _names(pdf) -> list:
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    return list(dests.Names) if dests is not None else []


def _join_destinations(book, later) -> None:
    import pikepdf

    theirs = _names(later)
    if not theirs:
        return
    entries = {}
    ours = _names(book)
    for index in range(0, len(ours), 2):
        entries[bytes(ours[index])] = (ours[index], ours[index + 1])
    for index in range(0, len(theirs), 2):
        name, dest = theirs[index], theirs[index + 1]
        copied = pikepdf.Array([book.copy_foreign(dest[0]), *list(dest)[1:]])
        entries.setdefault(bytes(name), (pikepdf.String(bytes(name)), copied))
    flat = [item for key in sorted(entries) for item in entries[key]]
    if "/Names" not in book.Root:
        book.Root.Names = pikepdf.Dictionary()
    book.Root.Names.Dests = book.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(flat)))


def _join_outlines(book, later) -> None:
    if "/Outlines" not in later.Root:
        return
    theirs = later.Root.Outlines
    items, item = [], theirs.get("/First")
    while item is not None:
        items.append(item)
        item = item.get("/Next")
    if not items:
        return
    for item in items:  # copied without their neighbours in the other half
        for key in ("/Parent", "/Prev", "/Next"):
            if key in item:
                del item[key]
    copied = [book.copy_foreign(item) for item in items]
    if "/Outlines" not in book.Root:
        import pikepdf

        book.Root.Outlines = book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines, Count=0))
    outlines = book.Root.Outlines
    previous = outlines.get("/Last")
    for item in copied:
        item.Parent = outlines
        if previous is not None:
            item.Prev, previous.Next = previous, item
        else:
            outlines.First = item
        previous = item
    outlines.Last = previous
    outlines.Count = int(outlines.get("/Count", 0)) + int(theirs.get("/Count", len(items)))
