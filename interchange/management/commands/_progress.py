"""A plain progress bar on stderr for the import commands (no extra dependency)."""

import time

# Files shorter than this import in a moment: a bar would only flicker.
MIN_ROWS = 500


class Progress:
    """`progress(name, done, total)`: redraws one line on a terminal, or logs every 10 % elsewhere."""

    def __init__(self, stream, *, min_rows=MIN_ROWS, width=30):
        self.stream = stream
        self.min_rows = min_rows
        self.width = width
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last_step = None
        self.last_draw = 0.0

    def __call__(self, name, done, total):
        if total < self.min_rows:
            return
        if self.tty:
            now = time.monotonic()
            if done < total and now - self.last_draw < 0.1:
                return
            self.last_draw = now
            filled = self.width * done // total
            bar = "#" * filled + "-" * (self.width - filled)
            end = "\n" if done >= total else ""
            self.stream.write(f"\r{name} [{bar}] {done}/{total} rows{end}")
        else:
            step = 10 * done // total
            if step == self.last_step:
                return
            self.last_step = step
            self.stream.write(f"{name}: {done}/{total} rows ({10 * step} %)\n")
        self.stream.flush()
