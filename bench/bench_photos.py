"""What a progress-photo upload costs the request: decoding, re-encoding and the thumbnail
(``body.integrations.images.process_photo``), for phone-sized photos.

    .venv/bin/python bench/bench_photos.py            # every case, 5 runs each
    BENCH_PHOTO_RUNS=9 .venv/bin/python bench/bench_photos.py

Each case is processed in a fresh process that reads the file made beforehand, so its peak memory
(max RSS above what it held once the file was read) is the processing's alone. The photos are made
here: smooth light with sensor-like noise, stored at about a phone's bytes per pixel (printed with
each case).
Prints the median wall and CPU time per photo, the stored photo's and thumbnail's bytes, and the
peak memory.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_PHOTO_RUNS", "5"))

CASES = {
    "12 MP JPEG (4032 × 3024, a phone's main camera)": ("JPEG", 4032, 3024),
    "48 MP JPEG (8000 × 6000, a phone's full-resolution mode)": ("JPEG", 8000, 6000),
    "12 MP PNG (a screenshot-sized export)": ("PNG", 4032, 3024),
}


def make_photo(kind: str, width: int, height: int) -> bytes:
    from PIL import Image, ImageChops

    # Light falling across the frame (three channels' gradients), with noise like a sensor's.
    horizontal = Image.linear_gradient("L").rotate(90).resize((width, height))
    vertical = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 24)
    red = ImageChops.add(horizontal, noise, scale=1.6)
    green = ImageChops.add(vertical, noise, scale=1.8)
    blue = ImageChops.blend(horizontal, vertical, 0.5)
    img = Image.merge("RGB", (red, green, blue))
    out = io.BytesIO()
    if kind == "JPEG":
        img.save(out, format="JPEG", quality=90)
    else:
        img.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _high_water_kib() -> int:
    """This process's peak resident memory (``VmHWM``: unlike ``ru_maxrss``, not inherited from the
    parent that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def one_case(name: str, path: str) -> None:
    """Runs in its own process: prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    from body.integrations.images import process_photo

    data = Path(path).read_bytes()
    baseline = _high_water_kib()
    walls, cpus = [], []
    result = None
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        result = process_photo(io.BytesIO(data), len(data))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert result is not None
    peak = _high_water_kib()
    print(
        json.dumps(
            {
                "upload_bytes": len(data),
                "wall_ms": [round(w * 1000, 1) for w in walls],
                "cpu_ms": [round(c * 1000, 1) for c in cpus],
                "stored": [result.width, result.height, len(result.image)],
                "thumbnail_bytes": len(result.thumbnail),
                "peak_mb": round((peak - baseline) / 1024, 1),
            }
        )
    )


def main() -> None:
    print(
        f"progress photo processing in the upload request, {RUNS} runs per case, load {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for n, (name, (kind, width, height)) in enumerate(CASES.items()):
            path = Path(folder) / f"photo-{n}"
            path.write_bytes(make_photo(kind, width, height))
            out = subprocess.run(  # noqa: S603  (this script, a case of its own)
                [sys.executable, __file__, "--case", name, str(path)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            stored_width, stored_height, stored_bytes = figures["stored"]
            print(
                f"{name}: upload {figures['upload_bytes'] / 1e6:.1f} MB; "
                f"median {statistics.median(figures['wall_ms']):.0f} ms wall, "
                f"{statistics.median(figures['cpu_ms']):.0f} ms CPU (runs {figures['wall_ms']}); "
                f"stored {stored_width} × {stored_height}, {stored_bytes / 1e3:.0f} KB, thumbnail "
                f"{figures['thumbnail_bytes'] / 1e3:.0f} KB; peak memory +{figures['peak_mb']} MB"
            )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        one_case(sys.argv[2], sys.argv[3])
    else:
        main()
