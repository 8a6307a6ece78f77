"""Speed of the invoice PDF renderer against the least reportlab can do (prints numbers; asserts nothing).

The requirement: 1,000 invoice PDFs in at most 1.5× the time of a minimal reportlab script that draws the same
text with the same embedded font. The minimal script here replays exactly the strings `render()` draws (same
positions, sizes and font; one canvas per document, drawString only, no lines, boxes or seal image).

Run: .venv/bin/python bench/invoice_pdf.py [--count 1000]
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from tama_desk.documents import invoice, pool  # noqa: E402
from tama_desk.documents.fonts import register_fonts  # noqa: E402
from tama_desk.domain.invoice import DocumentSnapshot, Issuer, Recipient  # noqa: E402
from tama_desk.domain.tax import Line  # noqa: E402


def seal_png() -> bytes:
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle([6, 6, 233, 233], outline=(205, 30, 35, 215), width=10)
    draw.rectangle([60, 60, 180, 180], fill=(205, 30, 35, 215))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def snapshot() -> DocumentSnapshot:
    """A realistic dues-and-seminar invoice: three lines, three tax categories, seal, bank account, notes."""
    issuer = Issuer(
        name="一般社団法人 多摩産業ネットワーク協会", representative_title="代表理事", representative="山田 太郎",
        postal_code="190-0012", address="東京都立川市曙町二丁目1番1号 ルミネ立川ビル10階", phone="042-500-1234",
        email="info@tama-net.example.jp", registration_number="T1234567890123", bank_name="多摩信用金庫",
        bank_branch="立川支店", bank_account_type="普通", bank_account_number="1234567",
        bank_account_holder="ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳﾈﾂﾄﾜ-ｸｷﾖｳｶｲ", seal_png=seal_png(),
    )
    recipient = Recipient(
        name="株式会社サンプル精機", postal_code="192-0083", address="東京都八王子市旭町9番1号 八王子スクエアビル3階",
        contact="総務部 経理課 田中 花子 様", member_number="M-0123",
    )
    return DocumentSnapshot.build(
        kind="invoice", number="INV-2026-0001", issue_date=date(2026, 4, 1), issuer=issuer, recipient=recipient,
        lines=[Line("2026年度 年会費（正会員）", 1, 70000, "out_of_scope"),
               Line("技術セミナー参加費（4月15日）", 3, 105, "standard_10"),
               Line("会議用お茶・菓子", 2, 1080, "reduced_8")],
        subject="2026年度 年会費及びセミナー参加費", transaction_date=date(2026, 4, 1), due_date=date(2026, 4, 30),
        notes="ご不明な点は事務局（担当: 佐藤）までお問い合わせください。",
    )


def drawn_strings(document: DocumentSnapshot) -> list[tuple[float, float, float, str]]:
    """(x, y, size, text) of every string render() draws, recorded from one rendering (the size from the
    canvas's setFont calls: only public methods are wrapped)."""
    recorded: list[tuple[float, float, float, str]] = []
    size = [9.0]  # the canvas's initial font size (layout.new_canvas)
    names = ("drawString", "drawRightString", "drawCentredString", "setFont")
    originals = {name: getattr(Canvas, name) for name in names}

    def recorder(original):
        def record(self, x, y, text, *args, **kwargs):
            recorded.append((x, y, size[0], text))
            return original(self, x, y, text, *args, **kwargs)
        return record

    def font_recorder(self, name, font_size, *args, **kwargs):
        size[0] = font_size
        return originals["setFont"](self, name, font_size, *args, **kwargs)

    try:
        for name in names[:3]:
            setattr(Canvas, name, recorder(originals[name]))
        Canvas.setFont = font_recorder
        invoice.render(document)
    finally:
        for name, original in originals.items():
            setattr(Canvas, name, original)
    return recorded


def minimal_pdf(strings: list[tuple[float, float, float, str]], font: str) -> bytes:
    """The least reportlab can do: one canvas, the same strings with drawString, save."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, initialFontName=font)
    size = 0.0
    for x, y, string_size, text in strings:
        if string_size != size:
            canvas.setFont(font, string_size)
            size = string_size
        canvas.drawString(x, y, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def interleaved(first, second, count: int, chunk: int = 50) -> tuple[float, float]:
    """Run both `count` times, alternating in chunks, so a busy machine slows both alike; seconds each."""
    times = [0.0, 0.0]
    done = 0
    while done < count:
        step = min(chunk, count - done)
        for index, action in enumerate((first, second)):
            start = time.perf_counter()
            for _ in range(step):
                action()
            times[index] += time.perf_counter() - start
        done += step
    return times[0], times[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="report the best round of each")
    args = parser.parse_args()
    font = register_fonts()
    document = snapshot()
    strings = drawn_strings(document)
    invoice.render(document)  # warm-up: font tables, width and image caches
    minimal_pdf(strings, font)
    rounds = []
    for number in range(1, args.rounds + 1):
        minimal, rendered = interleaved(lambda: minimal_pdf(strings, font), lambda: invoice.render(document),
                                        args.count)
        rounds.append((minimal, rendered))
        print(f"round {number}: minimal {minimal:7.3f} s, render() {rendered:7.3f} s, ratio {rendered / minimal:5.2f}")
    best_minimal = min(minimal for minimal, _ in rounds)
    best_render = min(rendered for _, rendered in rounds)
    ratios = sorted(rendered / minimal for minimal, rendered in rounds)
    size = len(invoice.render(document))
    count = args.count
    print(f"strings per invoice                     {len(strings):8d}")
    print(f"invoice PDF size                        {size / 1024:8.1f} KiB")
    print(f"minimal reportlab script, {count} PDFs  {best_minimal:8.3f} s  ({best_minimal / count * 1000:.2f} ms each)")
    print(f"render(), {count} invoices              {best_render:8.3f} s  ({best_render / count * 1000:.2f} ms each)")
    print(f"ratio render / minimal (best times)     {best_render / best_minimal:8.2f}  (limit 1.50)")
    print(f"ratio, median of the rounds             {ratios[len(ratios) // 2]:8.2f}")
    pooled(document, best_minimal, count)


def pooled(document: DocumentSnapshot, minimal: float, count: int) -> None:
    """The batch as printing.write_pdfs renders it: one process, then the process pool (worker start included).
    CPU seconds are printed too: Linux groups a session's processes (autogroup), so on a machine busy with other
    sessions the pool's workers share one process's slice and only the CPU figures compare fairly."""
    documents = [(document, None)] * count
    wall, cpu = {}, {}
    for workers in (1, pool.workers_for(count)):
        start, before = time.perf_counter(), cpu_seconds()
        with pool.Batch(documents, workers=workers) as batch:
            for _data in batch.files():
                pass
        wall[workers], cpu[workers] = time.perf_counter() - start, cpu_seconds() - before
    cores = max(wall)
    print(f"one process, {count} invoices            {wall[1]:8.3f} s  ({cpu[1]:.3f} s CPU)")
    print(f"process pool ({cores} workers), {count}     {wall[cores]:8.3f} s  ({cpu[cores]:.3f} s CPU)")
    print(f"ratio pool / one process                {wall[cores] / wall[1]:8.2f}  (limit 0.60)")
    print(f"ratio pool per core / minimal           {wall[cores] * cores / minimal:8.2f}  (limit 1.50)")
    print(f"ratio pool CPU / one process CPU        {cpu[cores] / cpu[1]:8.2f}  (on {cores} free cores: "
          f"≈ {cpu[cores] / cores / cpu[1]:.2f} of the one-process time)")


def cpu_seconds() -> float:
    """CPU seconds of this process and of its ended children (the pool's workers, once shut down)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
