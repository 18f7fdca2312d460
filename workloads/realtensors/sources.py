"""Real inputs that packages ship: English sentences (Debian `fortunes-min`) and photographs (scikit-image)."""
from __future__ import annotations

import re
from pathlib import Path

FORTUNES = [Path("/usr/share/games/fortunes/fortunes"), Path("/usr/share/games/fortunes/literature")]


def english_sentences(limit: int = 300) -> list[str]:
    """The first `limit` entries of the fortunes-min quotations, whitespace-normalised, 20..400 characters."""
    out = []
    for path in FORTUNES:
        if not path.exists():
            raise FileNotFoundError(f"{path} missing: apt-get install fortunes-min")
        for entry in path.read_text(encoding="utf-8", errors="replace").split("\n%\n"):
            text = re.sub(r"\s+", " ", entry).strip()
            if 20 <= len(text) <= 400:
                out.append(text)
    return out[:limit]


def photographs():
    """(name, H x W x 3 uint8) of the colour photographs scikit-image ships."""
    from skimage import data
    # no "cat": skimage.data.cat() is the same picture as chelsea() (a duplicate would count its views twice)
    names = ["astronaut", "chelsea", "coffee", "rocket", "immunohistochemistry", "hubble_deep_field", "retina",
             "colorwheel"]
    out = []
    for n in names:
        fn = getattr(data, n, None)
        if fn is None:
            continue
        try:
            img = fn()
        except Exception:  # some images are fetched on demand; skip those that are not bundled
            continue
        if img.ndim == 3 and img.shape[2] >= 3:
            out.append((n, img[:, :, :3]))
    return out
