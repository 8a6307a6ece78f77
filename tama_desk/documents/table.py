"""One ruled table for every document: columns (heading, width, alignment, format), rows, subtotals and
totals, the header repeated at the top of each page the table continues on, and keep-together.

A table is a list of `Block`s (see `layout.paginate`): build a `Table`, ask it for rows, hand the blocks to
`letter.draw_pages` (or `layout.paginate`). Text cells wrap with the CJK rules of `layout.break_lines` (a date,
a number or a katakana word is never split, 、。）」ー ッ never begin a line); right-aligned and centred cells
(amounts, dates, rates) stay on one line and shrink to fit.

Building a new document's table, e.g. the 精算書 of a contract::

    columns = [Column("費目", 40), Column("契約額", 30, "right", yen), Column("実績額", 30, "right", yen),
               Column("備考", 70)]
    table = Table(pen, columns, x=LEFT, width=RIGHT - LEFT)
    blocks = [table.row([item.name, item.budget, item.actual, item.note]) for item in items]
    blocks.append(table.total(["合計", total_budget, total_actual, ""]))
    blocks = together([heading_block, *blocks])      # never split a short table from its heading

A cell is a value (formatted by its column) or a `Cell` for a colour, bold text, a span over the following
columns, or a drawing of its own (a progress bar). Headings may carry a second line (`sub`) and a `group`
heading over consecutive columns (「補助金」 over 交付決定額 and 実績額).

Rows are plain draws on the pen (no platypus): the bulk invoice run draws thousands of rows a second.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tama_desk.documents.layout import Block, Pen, break_lines

__all__ = ["BLACK", "Cell", "Column", "RULE_GRAY", "SHADE", "SHADE_DARK", "TEXT_GRAY", "Table", "break_lines",
           "spacer", "together", "yen", "yen_signed"]

BLACK = (0.0, 0.0, 0.0)
TEXT_GRAY = (0.33, 0.33, 0.33)
RULE_GRAY = (0.55, 0.55, 0.55)
SHADE = (0.915, 0.925, 0.94)
SHADE_DARK = (0.84, 0.86, 0.89)

Colour = tuple[float, float, float]


def yen(value: object) -> str:
    """70000 → 70,000; None or "" → ""; text as it is."""
    return f"{value:,}" if isinstance(value, int) else "" if value is None else str(value)


def yen_signed(value: object) -> str:
    """A decrease as Japanese accounts print it: -1234 → △1,234."""
    return f"△{-value:,}" if isinstance(value, int) and value < 0 else yen(value)


@dataclass(frozen=True)
class Column:
    """`width` in mm (scaled to the table's width when they do not add up); `align` left (text, wraps),
    right (amounts) or center (dates, codes); `format` turns a value that is not text into text (default:
    `yen`); None and text are printed as they are."""

    heading: str
    width: float
    align: str = "left"
    format: Callable[[object], str] | None = None
    sub: str = ""  # a second heading line, e.g. "(A)+(B)"
    group: str = ""  # a heading spanning consecutive columns with the same group
    fill: Colour | None = None  # a shaded label column
    wrap: bool = True  # False: left-aligned text stays on one line and shrinks to fit


@dataclass(frozen=True)
class Cell:
    """One cell with its own look: `span` covers the next columns too; `draw(pen, left, top, right, bottom)`
    draws instead of text."""

    text: str = ""
    color: Colour = BLACK
    bold: bool | None = None
    align: str | None = None
    span: int = 1
    size: float | None = None
    draw: Callable[[Pen, float, float, float, float], None] | None = None


@dataclass
class Table:
    """A ruled table at `x` mm, `width` mm wide. Sizes in points, heights in mm."""

    pen: Pen
    columns: Sequence[Column]
    x: float
    width: float
    size: float = 9.0  # body text
    step: float = 4.3  # line pitch of wrapped text
    row_height: float = 7.0  # the least height of a row
    heading_size: float = 8.5
    header_height: float = 7.0
    header_fill: Colour = SHADE_DARK
    outer: float = 0.5  # the side rules' width
    show_header: bool = True
    padding: float = 1.8
    edges: list[float] = field(init=False)
    header: Block | None = field(init=False)

    def __post_init__(self) -> None:
        total = sum(column.width for column in self.columns)
        scale = self.width / total if total else 1.0
        self.edges = [self.x]
        for column in self.columns:
            self.edges.append(self.edges[-1] + column.width * scale)
        self.edges[-1] = self.x + self.width
        self.header = Block(self.header_height, self._draw_header) if self.show_header else None

    @property
    def right(self) -> float:
        return self.x + self.width

    # --- rows ------------------------------------------------------------------------------------------

    def row(self, values: Sequence[object], *, bold: bool = False, fill: Colour | None = None,
            rule: str = "thin", min_height: float | None = None, keep_with_previous: bool = False,
            size: float | None = None) -> Block:
        """One row; `rule` above it: "thin" (none of its own), "single" or "double" (a total)."""
        size = size or self.size
        cells = self._cells(values, size, bold)
        lines = max((len(lines) for _c, _l, _r, lines, _s in cells), default=1)
        height = max(min_height or self.row_height, 2.9 + self.step * lines if lines > 1 else 0)
        return Block(height, lambda pen, y: self._draw_row(pen, y, height, cells, fill, rule, bold),
                     table=self.header, keep_with_previous=keep_with_previous)

    def subtotal(self, values: Sequence[object], fill: Colour = SHADE) -> Block:
        """A shaded bold row kept with the rows above it."""
        return self.row(values, bold=True, fill=fill, rule="single", keep_with_previous=True)

    def total(self, values: Sequence[object], fill: Colour | None = SHADE, min_height: float | None = None
              ) -> Block:
        """The grand total under a double rule, kept with the rows above it."""
        return self.row(values, bold=True, fill=fill, rule="double", keep_with_previous=True,
                        min_height=min_height)

    def empty(self, text: str = "", filler: bool = False) -> Block:
        """An empty ruled row (with a grey note such as 「（明細なし）」); a `filler` row is dropped when the
        document needs more than one page."""
        height = self.row_height

        def draw(pen: Pen, y: float) -> None:
            self._draw_row(pen, y, height, [], None, "thin", False)
            if text:
                pen.text(self.x + self.padding, y + height / 2 + 1.5, text, size=self.size - 0.5, color=TEXT_GRAY)

        block = Block(height, draw, table=self.header)
        block.filler = filler
        return block

    # --- drawing ---------------------------------------------------------------------------------------

    def _cells(self, values: Sequence[object], size: float, bold: bool):
        """(cell, left, right, lines, size) per drawn cell, text already wrapped or fitted."""
        pen = self.pen
        cells = []
        index = 0
        for value in values:
            if index >= len(self.columns):
                break
            column = self.columns[index]
            cell = value if isinstance(value, Cell) else Cell(self._text(column, value))
            span = max(1, min(cell.span, len(self.columns) - index))
            left, right = self.edges[index], self.edges[index + span]
            align = cell.align or column.align
            cell_size = cell.size or size
            room = right - left - 2 * self.padding
            if cell.draw is not None or not cell.text:
                lines = [""]
            elif align == "left" and column.wrap:
                lines = pen.wrap(cell.text, cell_size, room)
            else:
                lines = [cell.text]
                cell_size = pen.fit_size(cell.text, cell_size, room, 5.5)
            cells.append((cell, left, right, lines, cell_size))
            index += span
        return cells

    @staticmethod
    def _text(column: Column, value: object) -> str:
        if value is None or isinstance(value, str):
            return value or ""
        return column.format(value) if column.format is not None else yen(value)

    def _rules(self, pen: Pen, y: float, height: float, cells) -> None:
        """Column rules (not inside a spanned cell) and the side rules."""
        starts = {left for _c, left, _r, _l, _s in cells} if cells else set(self.edges[:-1])
        for edge in self.edges[1:-1]:
            if edge in starts or not cells:
                pen.line(edge, y, edge, y + height, width=0.3, color=RULE_GRAY)
        pen.line(self.x, y, self.x, y + height, width=self.outer)
        pen.line(self.right, y, self.right, y + height, width=self.outer)

    def _draw_row(self, pen: Pen, y: float, height: float, cells, fill: Colour | None, rule: str,
                  bold: bool) -> None:
        if fill is not None:  # the fill covers the rule above: drawn again
            pen.rect(self.x, y, self.width, height, stroke=0, fill=fill)
            pen.line(self.x, y, self.right, y, width=0.3, color=RULE_GRAY)
        for cell, left, right, _lines, _size in cells:
            if cell.draw is None and self._fill_of(left) is not None and fill is None:
                pen.rect(left, y, right - left, height, stroke=0, fill=self._fill_of(left))
        if rule in ("single", "double"):
            pen.line(self.x, y, self.right, y, width=0.5)
        if rule == "double":
            pen.line(self.x, y + 0.6, self.right, y + 0.6, width=0.5)
        strong = rule != "thin"
        pen.line(self.x, y + height, self.right, y + height, width=0.5 if strong else 0.3,
                 color=BLACK if strong else RULE_GRAY)
        self._rules(pen, y, height, cells)
        wrapped = any(len(lines) > 1 for _c, _l, _r, lines, _s in cells)
        first = y + (2.9 + self.step * 0.45 if wrapped else height / 2 + 1.5)  # top-aligned when wrapped
        for cell, left, right, lines, size in cells:
            if cell.draw is not None:
                cell.draw(pen, left, y, right, y + height)
                continue
            strong_text = bold if cell.bold is None else cell.bold
            align = cell.align or self.columns[self.edges.index(left)].align
            baselines = [first + number * self.step for number in range(len(lines))]
            for line, baseline in zip(lines, baselines, strict=False):
                if align == "right":
                    pen.text(right - self.padding, baseline, line, size=size, align="right", bold=strong_text,
                             color=cell.color)
                elif align == "center":
                    pen.text((left + right) / 2, baseline, line, size=size, align="center", bold=strong_text,
                             color=cell.color)
                else:
                    pen.text(left + self.padding, baseline, line, size=size, bold=strong_text, color=cell.color)

    def _fill_of(self, left: float) -> Colour | None:
        index = self.edges.index(left)
        return self.columns[index].fill if index < len(self.columns) else None

    def _draw_header(self, pen: Pen, y: float) -> None:
        height = self.header_height
        pen.rect(self.x, y, self.width, height, stroke=0, fill=self.header_fill)
        has_sub = any(column.sub for column in self.columns)
        grouped = [column.group for column in self.columns]
        index = 0
        while index < len(self.columns):
            column = self.columns[index]
            left, right = self.edges[index], self.edges[index + 1]
            if column.group:
                end = index
                while end + 1 < len(self.columns) and grouped[end + 1] == column.group:
                    end += 1
                group_right = self.edges[end + 1]
                pen.text((left + group_right) / 2, y + height * 0.38, column.group, size=self.heading_size,
                         align="center", bold=True)
                pen.line(left, y + height / 2, group_right, y + height / 2, width=0.3, color=RULE_GRAY)
                for inner in range(index, end + 1):
                    a, b = self.edges[inner], self.edges[inner + 1]
                    text = self.columns[inner].heading
                    pen.text((a + b) / 2, y + height * 0.85, text, size=pen.fit_size(text, self.heading_size - 0.4,
                             b - a - 2, 6), align="center", bold=True)
                index = end + 1
                continue
            centre = (left + right) / 2
            size = pen.fit_size(column.heading, self.heading_size, right - left - 2, 6)
            if has_sub and column.sub:
                pen.text(centre, y + height * 0.45, column.heading, size=size, align="center", bold=True)
                pen.text(centre, y + height * 0.84, column.sub, size=7, align="center", color=TEXT_GRAY)
            else:
                pen.text(centre, y + height / 2 + size * 0.13, column.heading, size=size, align="center", bold=True)
            index += 1
        pen.line(self.x, y, self.right, y, width=0.9)
        pen.line(self.x, y + height, self.right, y + height, width=0.5)
        for index, edge in enumerate(self.edges[1:-1], start=1):
            inside_group = self.columns[index].group and self.columns[index].group == self.columns[index - 1].group
            pen.line(edge, y + (height / 2 if inside_group else 0), edge, y + height, width=0.3, color=RULE_GRAY)
        pen.line(self.x, y, self.x, y + height, width=self.outer)
        pen.line(self.right, y, self.right, y + height, width=self.outer)


def spacer(height: float) -> Block:
    return Block(height, lambda pen, y: None)


def together(blocks: Sequence[Block], limit: float = 252.0) -> list[Block]:
    """Blocks drawn as one, so a short table with its heading and notes is never split across pages (left as
    they are when together they would be taller than `limit` mm). A table's header is drawn before its first
    row."""
    parts: list[tuple[Block, float]] = []
    offset = 0.0
    previous: Block | None = None
    for block in blocks:
        if block.table is not None and (previous is None or previous.table is not block.table):
            parts.append((block.table, offset))
            offset += block.table.height
        parts.append((block, offset))
        offset += block.height
        previous = block
    if offset > limit or not blocks:
        return list(blocks)

    def draw(pen: Pen, y: float) -> None:
        for block, at in parts:
            block.draw(pen, y + at)

    return [Block(offset, draw, keep_with_previous=blocks[0].keep_with_previous)]
