#!/usr/bin/env python3
"""Draws public/icon-192.png and public/icon-512.png: public/icon.svg's shapes (a blue
rounded square, a white gauge arc, a yellow needle, a white hub) rasterised with 4x4
supersampling, written as RGBA PNG with zlib. No dependencies. Run once when the icon
changes: python3 scripts/icons.py"""
import math
import struct
import zlib
from pathlib import Path

BLUE, WHITE, YELLOW = (0x1F, 0x5F, 0xA8), (0xFF, 0xFF, 0xFF), (0xFF, 0xD5, 0x4F)


def in_rounded_square(x, y, size=64.0, r=12.0):
    if not (0 <= x <= size and 0 <= y <= size):
        return False
    cx, cy = min(max(x, r), size - r), min(max(y, r), size - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def near_segment(x, y, ax, ay, bx, by, half_width):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= half_width ** 2


def colour_at(x, y):
    """The SVG's colour at (x, y) in its 64-unit viewBox, or None outside the icon."""
    if not in_rounded_square(x, y):
        return None
    d = math.hypot(x - 32, y - 46)
    if d <= 4:
        return WHITE
    if near_segment(x, y, 32, 46, 44, 30, 2.5):
        return YELLOW
    on_arc = y <= 46 and abs(d - 20) <= 3
    if on_arc or math.hypot(x - 12, y - 46) <= 3 or math.hypot(x - 52, y - 46) <= 3:
        return WHITE
    return BLUE


def render(px, samples=4):
    rows = []
    scale = 64.0 / px
    for j in range(px):
        row = bytearray([0])  # PNG filter: none
        for i in range(px):
            r = g = b = a = 0
            for sj in range(samples):
                for si in range(samples):
                    c = colour_at((i + (si + 0.5) / samples) * scale, (j + (sj + 0.5) / samples) * scale)
                    if c:
                        r, g, b, a = r + c[0], g + c[1], b + c[2], a + 1
            n = samples * samples
            row += bytes([r // a, g // a, b // a, 255 * a // n] if a else [0, 0, 0, 0])
        rows.append(bytes(row))
    return b"".join(rows)


def png(px, raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", px, px, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    public = Path(__file__).resolve().parent.parent / "public"
    for px in (192, 512):
        (public / f"icon-{px}.png").write_bytes(png(px, render(px)))
        print(f"wrote public/icon-{px}.png")
