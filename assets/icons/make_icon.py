"""Draws the TAMA Desk icon: a dark-blue rounded square with a white "T".

The mark is drawn geometrically (no font needed) at 1024 px and scaled down, so
it is reproducible anywhere Pillow runs:

    python assets/icons/make_icon.py

writes tamadesk.ico (16-256 px, for the Windows exe and installer),
tamadesk.png (256 px, usable with Tk's iconphoto) and installer-welcome.bmp (the
164x314 picture of the installer's welcome and finish pages) next to this file.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
BLUE = (23, 52, 110, 255)  # dark blue (#17346E)
ACCENT = (86, 156, 230, 255)  # light-blue underline accent
WHITE = (255, 255, 255, 255)
ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 96, 128, 256]


def draw(size: int = 1024) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / 1024
    margin = round(40 * s)
    d.rounded_rectangle((margin, margin, size - margin, size - margin), radius=round(190 * s), fill=BLUE)
    # The "T": a bar and a stem, thick enough to stay legible at 16 px.
    d.rectangle((round(230 * s), round(250 * s), round(794 * s), round(394 * s)), fill=WHITE)
    d.rectangle((round(440 * s), round(250 * s), round(584 * s), round(780 * s)), fill=WHITE)
    # A small accent bar under the stem (a "desk").
    d.rounded_rectangle((round(300 * s), round(820 * s), round(724 * s), round(880 * s)), radius=round(30 * s), fill=ACCENT)
    return img


def main() -> None:
    master = draw(1024)
    frames = [master.resize((n, n), Image.LANCZOS) for n in ICO_SIZES]
    # Pillow writes one ICO entry per requested size, taken from the largest frame
    # given; passing each pre-scaled frame keeps the small sizes sharp.
    frames[-1].save(HERE / "tamadesk.ico", format="ICO", sizes=[(n, n) for n in ICO_SIZES], append_images=frames[:-1])
    master.resize((256, 256), Image.LANCZOS).save(HERE / "tamadesk.png")
    # NSIS wants a plain 24-bit BMP for the welcome/finish page picture.
    # The mark's square is the background colour, so only the "T" and its accent show.
    welcome = Image.new("RGB", (164, 314), BLUE[:3])
    mark = master.resize((112, 112), Image.LANCZOS)
    welcome.paste(mark.convert("RGB"), (26, 48), mark)
    welcome.save(HERE / "installer-welcome.bmp")


if __name__ == "__main__":
    main()
