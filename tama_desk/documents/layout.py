"""Drawing helpers shared by the document renderers: Japanese dates and yen, a pen that measures in
millimetres from the top-left corner, line wrapping with 禁則 (no 、。）」 at a line start), a small
paginator for blocks of known height, and a cache of decoded seal images.

Everything here is deterministic: the same input draws the same PDF operators.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from tama_desk.documents.fonts import register_fonts
from tama_desk.domain.dates import format_date_ja
from tama_desk.domain.money import format_yen

# Binary streams: reportlab's ASCII85 encoder is pure Python and would re-encode each seal image and font
# subset in every document of a bulk run; binary is what every PDF reader expects anyway.
rl_config.useA85 = 0

PAGE_WIDTH = A4[0] / mm  # 210 mm
PAGE_HEIGHT = A4[1] / mm  # 297 mm

# Characters that must not begin a line (行頭禁則); they hang on the previous line instead.
NO_LINE_START = frozenset("、。，．,.・：；:;？！?!ー―‐-）)］]｝}〕〉》」』】〙〗〟’”ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々〻%％")
# Characters that must not end a line (行末禁則).
NO_LINE_END = frozenset("（(［[｛{〔〈《「『【〘〖〝‘“")
SPACES = frozenset(" \u3000")

# Runs a line never breaks inside (tried in this order at each position): dates (西暦 and 和暦, 年月日 or
# slashes), amounts and counts with their unit, katakana words (with ー and ・), Latin words, numbers and codes.
_UNIT = "(?:円|%|％|件|日間|日|か月|ヶ月|名|社|歳|号|階|番|丁目)?"
_UNBREAKABLE = re.compile(
    r"(?:令和|平成|昭和|大正|明治)(?:[0-9０-９]{1,2}|元)年[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?"
    r"|[0-9０-９]{4}年(?:[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?|度)?"
    r"|[0-9０-９]{1,2}月[0-9０-９]{1,2}日"
    r"|[¥￥]?[!-~\uff61-\uff9f]*[0-9][!-~\uff61-\uff9f]*" + _UNIT
    + r"|[¥￥]?[0-9０-９][0-9０-９,，.．]*" + _UNIT
    + r"|[\u30a1-\u30ff]+"
    r"|[!-~\uff61-\uff9f]+"
)


def atoms(text: str) -> list[str]:
    """`text` cut into the pieces a line may break between: an unbreakable run or one character, with a
    character that must not begin a line glued to the piece before it and one that must not end a line glued
    to the piece after it."""
    pieces: list[str] = []
    position = 0
    glue_next = False
    while position < len(text):
        match = _UNBREAKABLE.match(text, position)
        piece = match.group() if match else text[position]
        position += len(piece)
        if pieces and (glue_next or (piece[0] in NO_LINE_START and pieces[-1][-1] not in SPACES)):
            pieces[-1] += piece
        else:
            pieces.append(piece)
        glue_next = piece[-1] in NO_LINE_END
    return pieces


def break_lines(text: str, measure: Callable[[str], float], limits: Sequence[float],
                at_spaces: bool = False) -> list[str]:
    """Lines of `text`, each no wider than its limit (`limits[i]` for line i, the last repeated), in the
    units of `measure`. A date, a number with its unit, a katakana word or a Latin word is never split (unless
    alone it is wider than a line), and 、。）」ー ッ … never begin a line (they hang on the line before).
    Spaces at a line break are dropped; with `at_spaces` a full line breaks at its last space."""
    lines: list[str] = []
    current = ""
    used = 0.0

    def limit() -> float:
        return limits[min(len(lines), len(limits) - 1)]

    for piece in atoms(text):
        width = measure(piece)
        if current and used + width > limit() and piece not in SPACES:
            if at_spaces and any(space in current.lstrip() for space in SPACES):
                cut = max(current.rfind(" "), current.rfind("\u3000"))
                head, tail = current[:cut].rstrip(), current[cut + 1:].lstrip()
                if head:
                    lines.append(head)
                    current, used = tail, measure(tail)
            if current and used + width > limit():
                lines.append(current.rstrip())
                current, used = "", 0.0
        if not current and lines and piece in SPACES:
            continue  # no space at the start of a continued line
        if width > limit() and not current:  # longer than a line on its own: split it by characters
            for char in piece:
                char_width = measure(char)
                if current and used + char_width > limit() and char not in NO_LINE_START:
                    lines.append(current)
                    current, used = "", 0.0
                current += char
                used += char_width
            continue
        current += piece
        used += width
    if current or not lines:
        lines.append(current.rstrip())
    return lines



def format_period_ja(start: date | None, end: date | None) -> str:
    """2026年4月1日〜2027年3月31日, or the one date given."""
    if start and end:
        return f"{format_date_ja(start)}〜{format_date_ja(end)}"
    return format_date_ja(start or end)


def format_yen_box(amount: int) -> str:
    """The boxed total as written on Japanese documents: ¥70,000- (the dash closes the figure)."""
    return f"¥{amount:,}-" if amount >= 0 else f"-¥{-amount:,}-"


# --- the pen -------------------------------------------------------------------------------------


class Pen:
    """Draws on a reportlab canvas with coordinates in mm measured from the page's top-left corner.

    `y` of text is its baseline. Font size and colours are only re-emitted when they change, which keeps
    the content stream short and rendering fast.
    """

    def __init__(self, canvas: Canvas, font: str) -> None:
        self.canvas = canvas
        self.font = font
        self._size = 0.0
        self._fill: tuple[float, float, float] | None = None
        self._stroke: tuple[float, float, float] | None = None
        self._line_width = -1.0
        self._widths: dict[str, float] = _char_widths(font)

    def reset(self) -> None:
        """Forget the graphics state (reportlab resets it at every new page)."""
        self._size = 0.0
        self._fill = self._stroke = None
        self._line_width = -1.0

    # measuring
    def width(self, text: str, size: float) -> float:
        """Width of `text` in mm at `size` points."""
        widths = self._widths
        total = 0.0
        for char in text:
            width = widths.get(char)
            if width is None:
                width = widths[char] = pdfmetrics.stringWidth(char, self.font, 1000) / 1000 / mm
            total += width
        return total * size

    def fit_size(self, text: str, size: float, width: float, smallest: float) -> float:
        """The largest size ≤ `size` (down to `smallest`) at which `text` fits `width` mm."""
        natural = self.width(text, size)
        if natural <= width:
            return size
        return max(smallest, size * width / natural)

    def wrap(self, text: str, size: float, width: float | Sequence[float], at_spaces: bool = False) -> list[str]:
        """Break `text` into lines no wider than `width` mm (explicit newlines kept), by the rules of
        `break_lines`: 禁則, dates, numbers, katakana and Latin words kept whole. `width` may be a list: the
        width of each line in turn, the last one repeated (a block that narrows beside a seal). With
        `at_spaces` a line breaks at its last space when it can (an address before its building name)."""
        widths = [width] if isinstance(width, (int, float)) else list(width)
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            limits = [w / size for w in widths[min(len(lines), len(widths) - 1):]]
            if self.width(paragraph, size) <= limits[0] * size:
                lines.append(paragraph)
                continue
            lines.extend(break_lines(paragraph, self._char_width, limits, at_spaces))
        return lines

    def _char_width(self, text: str) -> float:
        """Width of `text` in mm at 1 pt."""
        return self.width(text, 1)

    # state
    def _set_size(self, size: float) -> None:
        if size != self._size:
            self.canvas.setFont(self.font, size)
            self._size = size

    def fill_color(self, rgb: tuple[float, float, float]) -> None:
        if rgb != self._fill:
            self.canvas.setFillColorRGB(*rgb)
            self._fill = rgb

    def stroke_color(self, rgb: tuple[float, float, float]) -> None:
        if rgb != self._stroke:
            self.canvas.setStrokeColorRGB(*rgb)
            self._stroke = rgb

    def line_width(self, points: float) -> None:
        if points != self._line_width:
            self.canvas.setLineWidth(points)
            self._line_width = points

    # drawing
    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 9,
        align: str = "left",
        bold: bool = False,
        color: tuple[float, float, float] = (0, 0, 0),
        char_space: float = 0,
    ) -> None:
        """Draw one line; `align` is left, right (x is the right edge) or center (x is the middle)."""
        if not text:
            return
        self._set_size(size)
        self.fill_color(color)
        canvas = self.canvas
        if bold:
            # IPAexGothic has no bold face: fill and stroke the outline (render mode 2) instead
            self.stroke_color(color)
            self.line_width(size * 0.035)
        mode = 2 if bold else None
        x_pt, y_pt = x * mm, (PAGE_HEIGHT - y) * mm
        if align == "left":
            canvas.drawString(x_pt, y_pt, text, mode=mode, charSpace=char_space)
        elif align == "right":
            canvas.drawRightString(x_pt, y_pt, text, mode=mode, charSpace=char_space)
        else:
            canvas.drawCentredString(x_pt, y_pt, text, mode=mode, charSpace=char_space)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5,
             color: tuple[float, float, float] = (0, 0, 0)) -> None:
        self.line_width(width)
        self.stroke_color(color)
        # the operators canvas.line() writes, with a cheaper number format (rendering speed)
        self.canvas.addLiteral(f"n {x1 * mm:.2f} {(PAGE_HEIGHT - y1) * mm:.2f} m "
                               f"{x2 * mm:.2f} {(PAGE_HEIGHT - y2) * mm:.2f} l S")

    def rect(self, x: float, y: float, width: float, height: float, stroke: float = 0.5,
             fill: tuple[float, float, float] | None = None, color: tuple[float, float, float] = (0, 0, 0)) -> None:
        """A rectangle whose top-left corner is (x, y); `stroke` 0 draws no border."""
        if fill is not None:
            self.fill_color(fill)
        if stroke:
            self.line_width(stroke)
            self.stroke_color(color)
        operator = ("B" if stroke else "f") if fill is not None else ("S" if stroke else "n")
        self.canvas.addLiteral(f"n {x * mm:.2f} {(PAGE_HEIGHT - y - height) * mm:.2f} {width * mm:.2f} "
                               f"{height * mm:.2f} re {operator}")

    def image(self, png: bytes, x: float, y: float, width: float, height: float) -> bool:
        """A PNG fitted into the box whose top-left corner is (x, y) mm; False when it is not an image."""
        return draw_png(self.canvas, png, x, y, width, height)


class MeasuringPen(Pen):
    """Measures like `pen` and draws nothing: run a layout function with it to learn where it ends."""

    def __init__(self, pen: Pen) -> None:
        self.canvas = pen.canvas
        self.font = pen.font
        self._widths = pen._widths
        self.reset()

    def text(self, *args, **kwargs) -> None:
        pass

    def line(self, *args, **kwargs) -> None:
        pass

    def rect(self, *args, **kwargs) -> None:
        pass

    def image(self, *args, **kwargs) -> bool:
        return True


_WIDTH_CACHE: dict[str, dict[str, float]] = {}


def _char_widths(font: str) -> dict[str, float]:
    """Per-character width in mm at 1 pt, shared by every pen of a font (filled lazily)."""
    return _WIDTH_CACHE.setdefault(font, {})


# --- blocks and pages ------------------------------------------------------------------------------


@dataclass(eq=False)
class Block:
    """A piece of a document of known height, drawn with its top edge at `y` mm.

    Consecutive blocks with the same `table` are rows of one table: its header (`table.height`, drawn by
    `table.draw`) is repeated at the top of every page the table continues on. A block with
    `keep_with_previous` never starts a page alone: the block before it moves along.
    """

    height: float
    draw: Callable[[Pen, float], None]
    table: Block | None = None
    keep_with_previous: bool = False
    filler: bool = False  # an empty ruled row, dropped when the document needs more than one page


@dataclass
class Page:
    entries: list[tuple[Block, float]] = field(default_factory=list)  # (block or table header, top y)


def paginate(blocks: Sequence[Block], first_top: float, next_top: float, bottom: float) -> list[Page]:
    """Place blocks top to bottom; a block that does not fit starts a new page (never split)."""
    pages = [Page()]
    y = first_top

    def place(block: Block, y: float, page: Page, previous: Block | None) -> float:
        if block.table is not None and (previous is None or previous.table is not block.table):
            page.entries.append((block.table, y))
            y += block.table.height
        page.entries.append((block, y))
        return y + block.height

    previous: Block | None = None
    for block in blocks:
        needs_header = block.table is not None and (previous is None or previous.table is not block.table)
        needed = block.height + (block.table.height if needs_header and block.table else 0)
        if y + needed > bottom and pages[-1].entries:
            page = pages[-1]
            carried: list[Block] = []
            if block.keep_with_previous and previous is not None:
                blocks_on_page = [entry for entry, _ in page.entries if entry is not previous.table]
                if len(blocks_on_page) > 1 or (blocks_on_page and blocks_on_page[0] is not previous):
                    while page.entries and page.entries[-1][0] is not previous:
                        page.entries.pop()
                    page.entries.pop()
                    if page.entries and page.entries[-1][0] is previous.table:
                        page.entries.pop()
                    carried.append(previous)
            pages.append(Page())
            y = next_top
            prior: Block | None = None
            for moved in carried:
                y = place(moved, y, pages[-1], prior)
                prior = moved
            y = place(block, y, pages[-1], prior)
        else:
            y = place(block, y, pages[-1], previous)
        previous = block
    return pages


# --- images ------------------------------------------------------------------------------------------


MAX_IMAGE_PIXELS = 200  # a seal of 18–22 mm at 230–280 dpi


class _ImageCache:
    """Seal images ready to embed, keyed by the PNG's digest (a few distinct seals at most): decoded once,
    scaled down when large, flattened on white and kept as JPEG, which reportlab embeds as it is (no
    re-compression per document: what the bulk invoice run needs). It is drawn in the Multiply blend mode, as
    ink on paper: its white leaves what is under it as it was, its red lets the text show through."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.lock = threading.Lock()  # documents may be rendered on a worker thread and the Tk thread at once
        self._items: OrderedDict[bytes, ImageReader | None] = OrderedDict()

    def get(self, png: bytes) -> ImageReader | None:
        key = hashlib.sha1(png).digest()
        with self.lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        item = self._build(png)
        with self.lock:
            self._items[key] = item
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return item

    @staticmethod
    def _build(png: bytes) -> ImageReader | None:
        try:
            picture = PILImage.open(BytesIO(png))
            picture.load()
            picture = picture.convert("RGBA")
            if max(picture.size) > MAX_IMAGE_PIXELS:
                picture.thumbnail((MAX_IMAGE_PIXELS, MAX_IMAGE_PIXELS), PILImage.LANCZOS)
            flat = PILImage.new("RGB", picture.size, "white")
            flat.paste(picture, mask=picture.getchannel("A"))
            jpeg = BytesIO()
            flat.save(jpeg, "JPEG", quality=92)
            reader = ImageReader(BytesIO(jpeg.getvalue()))
            reader.getRGBData()  # decoded once: reportlab names the image by a digest of its pixels
            return reader
        except Exception:  # an unreadable seal image is left out rather than failing the document
            return None


IMAGES = _ImageCache()


def draw_png(canvas: Canvas, png: bytes, x: float, y: float, width: float, height: float) -> bool:
    """Draw a PNG (a seal, stamped: see `_ImageCache`) into the box whose top-left corner
    is (x, y) mm, keeping its aspect ratio; False when the bytes are not an image."""
    image = IMAGES.get(png)
    if image is None:
        return False
    canvas.saveState()
    canvas.setBlendMode("Multiply")
    with IMAGES.lock:  # the reader's file is read when the image is first embedded in a document
        canvas.drawImage(image, x * mm, (PAGE_HEIGHT - y - height) * mm, width * mm, height * mm,
                         preserveAspectRatio=True, anchor="c")
    canvas.restoreState()
    return True


def new_canvas(buffer: BytesIO) -> tuple[Canvas, Pen]:
    """An A4 canvas that writes byte-identical output for identical drawing (invariant), whose only
    font is the bundled IPAexGothic (no Helvetica resource either)."""
    font = register_fonts()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, initialFontName=font, initialFontSize=9)
    return canvas, Pen(canvas, font)


__all__ = [
    "PAGE_HEIGHT", "PAGE_WIDTH", "Block", "MeasuringPen", "Page", "Pen", "draw_png", "format_date_ja", "format_period_ja",
    "format_yen", "format_yen_box", "new_canvas", "paginate",
]
