"""A text progress bar on stderr: points done, rate and estimated time left. On a terminal it redraws one line; in a
log it prints a line at every 10 % (and the last point)."""
from __future__ import annotations

import sys
import time


def _fmt(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s" if m else f"{s}s"


class Progress:
    def __init__(self, total: int, already: int = 0, enabled: bool = True, stream=sys.stderr, width: int = 30):
        self.total, self.done, self.new = total, already, 0
        self.enabled, self.stream, self.width = enabled, stream, width
        self.tty = enabled and hasattr(stream, "isatty") and stream.isatty()
        self.t0 = time.monotonic()
        self.last_decile = -1
        self.draw()

    def line(self) -> str:
        frac = self.done / self.total if self.total else 1.0
        bar = "#" * int(frac * self.width) + "." * (self.width - int(frac * self.width))
        elapsed = time.monotonic() - self.t0
        if self.new:
            eta = _fmt(elapsed / self.new * (self.total - self.done))
            rate = f", {self.new / elapsed * 60:.1f} points/min" if elapsed > 0 else ""
        else:
            eta, rate = "?", ""
        return f"[{bar}] {self.done}/{self.total} points{rate}, elapsed {_fmt(elapsed)}, ETA {eta}"

    def draw(self):
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r" + self.line())
        else:
            decile = int(10 * self.done / self.total) if self.total else 10
            if decile == self.last_decile and self.done != self.total:
                return
            self.last_decile = decile
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def step(self, n: int = 1):
        self.done += n
        self.new += n
        self.draw()

    def close(self):
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
