"""The style set-up (ui/layout.tune_styles): the warning outline button's text is readable."""

from __future__ import annotations

import ttkbootstrap as ttk

from tama_desk.ui.layout import contrast, readable


def test_contrast_is_the_wcag_ratio():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#ffc107", "#ffffff"), 2) == 1.63  # the theme's yellow on white: unreadable


def test_readable_keeps_a_colour_that_is_enough_and_darkens_or_lightens_one_that_is_not():
    assert readable("#212529", "#ffffff") == "#212529"
    dark_text = readable("#ffc107", "#ffffff")
    assert contrast(dark_text, "#ffffff") >= 4.5
    light_text = readable("#5a4000", "#222222")
    assert contrast(light_text, "#222222") >= 4.5


def test_the_warning_outline_button_in_the_window_reads_at_4_5_to_1_and_is_not_the_error_red(window):
    button = ttk.Button(window, text="退会手続き", bootstyle="warning-outline")
    button.pack()
    window.update()
    style = ttk.Style()
    name = button.cget("style")
    foreground, background = style.lookup(name, "foreground"), style.lookup(name, "background")
    assert background == style.colors.bg
    assert contrast(foreground, background) >= 4.5
    assert foreground.lower() != style.colors.danger.lower()
    red, green, _blue = (int(foreground[i:i + 2], 16) for i in (1, 3, 5))
    assert green > red * 0.6  # still a yellow-brown, not a red
    assert style.lookup(name, "bordercolor") == style.colors.warning  # the outline stays the warning yellow
    hover = dict((tuple(state), value) for *state, value in style.map(name, "foreground"))
    hover_text = next(value for state, value in hover.items() if "hover" in state)
    assert contrast(hover_text, style.colors.warning) >= 4.5  # hovered: dark text on the yellow
