"""Draws the example site's pictures: activity "photos" (JPEG scenes) and
member portraits (SVG). Everything is generated, nothing is copied.

    python3 tools/draw_photos.py      # needs Pillow: pip install pillow

The output is committed; the build does not need this script.
"""
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent / "content"
W, H = 960, 640


def sky(d, top, bottom, horizon):
    for y in range(horizon):
        t = y / max(horizon - 1, 1)
        c = tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3))
        d.line([(0, y), (W, y)], fill=c)


def person(d, x, y, s, shirt, rnd, flag=False):
    skin = rnd.choice([(241, 204, 170), (226, 185, 150), (205, 160, 125)])
    hair = rnd.choice([(30, 25, 25), (55, 40, 30), (20, 20, 30)])
    d.rounded_rectangle([x - 22 * s, y - 10 * s, x + 22 * s, y + 70 * s], radius=int(14 * s), fill=shirt)
    d.ellipse([x - 16 * s, y - 46 * s, x + 16 * s, y - 12 * s], fill=skin)
    d.pieslice([x - 17 * s, y - 48 * s, x + 17 * s, y - 20 * s], 180, 360, fill=hair)
    d.rectangle([x - 16 * s, y + 70 * s, x - 4 * s, y + 110 * s], fill=(40, 45, 60))
    d.rectangle([x + 4 * s, y + 70 * s, x + 16 * s, y + 110 * s], fill=(40, 45, 60))
    if flag:
        d.line([(x + 24 * s, y - 60 * s), (x + 24 * s, y + 40 * s)], fill=(90, 60, 40), width=max(2, int(3 * s)))
        d.rectangle([x + 24 * s, y - 60 * s, x + 74 * s, y - 28 * s], fill=(200, 16, 46))


def crowd(d, rnd, n, base_y, shirts, scale=1.0, flag_at=None):
    xs = sorted(rnd.uniform(80, W - 80) for _ in range(n))
    for i, x in enumerate(xs):
        s = scale * rnd.uniform(0.9, 1.1)
        person(d, x, base_y + rnd.uniform(-8, 8), s, rnd.choice(shirts), rnd, flag=(i == flag_at))


def tree(d, x, y, s, green=(70, 130, 70)):
    d.rectangle([x - 6 * s, y - 40 * s, x + 6 * s, y], fill=(110, 75, 45))
    d.ellipse([x - 40 * s, y - 120 * s, x + 40 * s, y - 30 * s], fill=green)


def building(d, x, y, w, h, color=(235, 228, 215)):
    d.rectangle([x, y - h, x + w, y], fill=color)
    for wy in range(int(y - h + 20), int(y - 20), 36):
        for wx in range(int(x + 16), int(x + w - 24), 34):
            d.rectangle([wx, wy, wx + 18, wy + 22], fill=(150, 185, 210))


def banner(d, x, y, w):
    d.rectangle([x, y, x + w, y + 46], fill=(190, 18, 36))
    for i in range(6):
        d.rectangle([x + 20 + i * (w - 40) / 6, y + 16, x + 20 + i * (w - 40) / 6 + (w - 40) / 9, y + 30], fill=(250, 215, 120))


def save(img, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    img = img.filter(ImageFilter.SMOOTH)
    img.save(path, "JPEG", quality=72, optimize=True, progressive=True)
    print(path.relative_to(ROOT.parent), path.stat().st_size)


def scene(kind, seed):
    rnd = random.Random(seed)
    img = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(img)
    shirts = [(200, 30, 45), (245, 245, 245), (60, 90, 150), (230, 180, 60), (90, 140, 90)]
    if kind == "indoor":
        d.rectangle([0, 0, W, H], fill=(238, 230, 218))
        d.rectangle([0, H * 0.72, W, H], fill=(160, 120, 90))
        banner(d, 120, 60, W - 240)
        d.rectangle([W / 2 - 170, 130, W / 2 + 170, 330], fill=(250, 250, 250), outline=(120, 120, 120), width=4)
        for i in range(5):
            d.line([(W / 2 - 140, 170 + i * 32), (W / 2 + rnd.uniform(40, 140), 170 + i * 32)], fill=(170, 170, 170), width=8)
        crowd(d, rnd, 7, H * 0.62, shirts, 1.25)
    elif kind == "memorial":
        sky(d, (150, 190, 230), (225, 235, 245), int(H * 0.7))
        d.rectangle([0, H * 0.7, W, H], fill=(170, 170, 160))
        d.polygon([(W / 2 - 40, 120), (W / 2 + 40, 120), (W / 2 + 60, H * 0.7), (W / 2 - 60, H * 0.7)], fill=(225, 222, 215))
        d.polygon([(W / 2 - 40, 120), (W / 2, 60), (W / 2 + 40, 120)], fill=(210, 205, 198))
        for x in (120, 230, W - 230, W - 120):
            tree(d, x, H * 0.72, 1.3, (50, 100, 60))
        d.ellipse([W / 2 - 50, H * 0.66, W / 2 + 50, H * 0.74], fill=(245, 245, 245))
        crowd(d, rnd, 6, H * 0.78, [(30, 30, 40), (245, 245, 245)], 1.05)
    elif kind == "village":
        sky(d, (120, 170, 230), (215, 230, 240), int(H * 0.55))
        for i in range(4):
            c = (90 + i * 20, 150 - i * 5, 90)
            d.polygon([(0, H * 0.55 + i * 30), (W, H * 0.5 + i * 40), (W, H), (0, H)], fill=c)
        for x in range(60, W, 140):
            d.polygon([(x, H * 0.5), (x + 50, H * 0.42), (x + 100, H * 0.5)], fill=(150, 60, 50))
            d.rectangle([x + 10, H * 0.5, x + 90, H * 0.58], fill=(240, 235, 225))
        crowd(d, rnd, 4, H * 0.7, shirts, 1.2, flag_at=0)
    elif kind == "campus":
        sky(d, (140, 190, 235), (220, 235, 245), int(H * 0.6))
        d.rectangle([0, H * 0.6, W, H], fill=(200, 200, 195))
        building(d, 60, H * 0.6, 320, 220)
        building(d, 520, H * 0.6, 380, 260, (225, 215, 200))
        d.rectangle([400, H * 0.6 - 120, 470, H * 0.6], fill=(190, 18, 36))
        crowd(d, rnd, 6, H * 0.72, shirts, 1.1)
    elif kind == "planting":
        sky(d, (150, 200, 240), (230, 240, 245), int(H * 0.5))
        d.rectangle([0, H * 0.5, W, H], fill=(120, 170, 90))
        d.ellipse([-100, H * 0.42, W * 0.6, H * 0.62], fill=(110, 160, 200))
        for x in range(80, W, 120):
            tree(d, x + rnd.uniform(-20, 20), H * 0.8, rnd.uniform(0.5, 0.8), (60, 140, 70))
        crowd(d, rnd, 5, H * 0.66, [(200, 30, 45), (240, 240, 240)], 1.0)
    return img


def portrait(path, seed, letter_color):
    rnd = random.Random(seed)
    bg = rnd.choice(["#f6e3e1", "#e4eef6", "#eaf3e4", "#f7efd9", "#efe6f4"])
    shirt = rnd.choice(["#b3121d", "#2f4a7a", "#3d3d3d", "#f2f2f2", "#6b8e5a"])
    skin = rnd.choice(["#f1cdb0", "#e3b894", "#d6a57f"])
    hair = rnd.choice(["#1e1a1a", "#3a2a20", "#111"])
    long_hair = seed % 2 == 0
    svg = f'''<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200">
<rect width="200" height="200" fill="{bg}"/>
{'<path d="M58 92 C52 150 60 170 70 176 L130 176 C140 170 148 150 142 92Z" fill="' + hair + '"/>' if long_hair else ''}
<path d="M30 200 C34 150 66 138 100 138 C134 138 166 150 170 200Z" fill="{shirt}"/>
<rect x="88" y="112" width="24" height="30" rx="8" fill="{skin}"/>
<ellipse cx="100" cy="92" rx="36" ry="42" fill="{skin}"/>
<path d="M62 86 C62 52 84 44 100 44 C120 44 140 54 138 88 C128 70 112 64 96 66 C82 68 70 74 62 86Z" fill="{hair}"/>
<circle cx="87" cy="96" r="3.5" fill="#2b2b2b"/><circle cx="113" cy="96" r="3.5" fill="#2b2b2b"/>
<path d="M90 114 Q100 121 110 114" stroke="#a0524a" stroke-width="3" fill="none" stroke-linecap="round"/>
<circle cx="86" cy="160" r="5" fill="{letter_color}"/>
</svg>
'''
    path.write_text(svg, encoding="utf-8")
    print(path.relative_to(ROOT.parent), len(svg))


def main():
    photos = {
        "2025-03-05-lao-nian-da-xue": ["indoor", "indoor"],
        "2025-04-03-qing-ming-ji-ying-lie": ["memorial", "memorial"],
        "2025-07-10-xiang-cun-zhen-xing": ["village", "village", "village"],
        "2025-09-20-ying-xin-zhi-yuan": ["campus", "campus"],
        "2025-12-26-zu-zhi-sheng-huo-hui": ["indoor"],
        "2026-03-12-xiao-yuan-lv-hua": ["planting", "planting"],
        "2026-10-22-fan-zha-xuan-chuan": ["campus"],
    }
    for n, (folder, kinds) in enumerate(photos.items()):
        for i, kind in enumerate(kinds):
            save(scene(kind, n * 10 + i), ROOT / "activities" / folder / f"photo-{i + 1}.jpg")
    for n, slug in enumerate(["wang-yi-ming", "lin-xiao-yu", "zhou-zi-hang", "chen-si-yuan", "sun-hao-ran", "liu-ruo-nan", "zhao-jia-yi"]):
        portrait(ROOT / "members" / slug / "photo.svg", n + 3, "#d4a017" if n < 5 else "#b3121d")


if __name__ == "__main__":
    main()
