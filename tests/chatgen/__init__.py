"""Synthetic chat screenshot generator with ground truth (test data for OCR and layout).

from tests.chatgen import render, render_pages, variants
img, truth = render(conversation, "wechat", "light", width=1080, seed=0)
"""

from .renderer import STYLES, THEMES, page_height, render, render_pages
from .variants import scale_truth, variants

__all__ = ["render", "render_pages", "variants", "scale_truth", "STYLES", "THEMES", "page_height"]
