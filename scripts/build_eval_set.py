"""Build the OCR evaluation set in ``tests/eval/``: real pages from Debian packages plus synthetic pages.

Real pages are born-digital PDFs shipped in Debian packages (downloaded with ``apt-get download``), rendered
with pypdfium2; their ground truth is the PDF text layer (in content order, which for these LaTeX documents is
reading order). Synthetic pages (multi-column text, sidebars, forms, skewed receipts, screenshots, tight
scene-like crops) are drawn here with known reading order, in Chinese and English. Everything, with its
source and licence, is listed in ``tests/eval/manifest.json``. Reproducible: the same packages and seeds give
the same set.

    python scripts/build_eval_set.py [--debs /tmp/eval-debs]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

OUT = Path(__file__).resolve().parent.parent / "tests" / "eval"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # Debian fonts-wqy-microhei
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")  # Debian fonts-dejavu-core
SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SANS_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
LPPL = "LPPL-1.3c (TeX Live package documentation; Debian copyright file of the package)"
DOC = "usr/share/doc/texlive-doc/latex"


@dataclass(frozen=True)
class PdfPage:
    """One page of a PDF shipped in a Debian package."""

    name: str
    package: str
    path: str
    page: int
    kind: str
    lang: str


PDF_PAGES = (
    PdfPage(
        "paper-acm-sigconf-p2", "texlive-publishers-doc", f"{DOC}/acmart/samples/sample-sigconf.pdf", 1, "paper", "en"
    ),
    PdfPage(
        "paper-revtex-aps-p1", "texlive-publishers-doc", f"{DOC}/revtex4-1/sample/aps/apssamp.pdf", 0, "paper", "en"
    ),
    PdfPage("paper-ieeetran-p4", "texlive-publishers-doc", f"{DOC}/ieeetran/testflow_doc.pdf", 3, "paper", "en"),
    PdfPage("doc-zhlipsum-p2", "texlive-lang-chinese", f"{DOC}/zhlipsum/zhlipsum.pdf", 1, "document", "zh"),
    PdfPage(
        "doc-install-guide-zh-p6",
        "texlive-lang-chinese",
        f"{DOC}/install-latex-guide-zh-cn/install-latex-guide-zh-cn.pdf",
        5,
        "document",
        "zh",
    ),
    PdfPage("doc-ctex-p11", "texlive-lang-chinese", f"{DOC}/ctex/ctex.pdf", 10, "document", "zh"),
    PdfPage("doc-fduthesis-p6", "texlive-lang-chinese", f"{DOC}/fduthesis/fduthesis.pdf", 5, "document", "zh"),
)
RENDER_DPI = 150

EN_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "with",
    "was",
    "on",
    "be",
    "by",
    "at",
    "this",
    "from",
    "or",
    "an",
    "are",
    "not",
    "have",
    "which",
    "one",
    "all",
    "were",
    "when",
    "there",
    "can",
    "more",
    "if",
    "out",
    "so",
    "what",
    "about",
    "into",
    "than",
    "them",
    "only",
    "other",
    "new",
    "some",
    "could",
    "time",
    "these",
    "two",
    "may",
    "then",
    "first",
    "any",
    "like",
    "now",
    "such",
    "our",
    "over",
    "also",
    "back",
    "after",
    "use",
    "how",
    "work",
    "well",
    "way",
    "even",
    "because",
    "good",
    "give",
    "most",
    "state",
    "system",
    "data",
    "model",
    "layout",
    "column",
    "reader",
    "order",
    "page",
    "text",
    "line",
    "block",
    "image",
    "result",
    "method",
    "paper",
    "table",
    "figure",
    "value",
    "field",
    "number",
    "total",
    "price",
    "office",
    "service",
    "report",
    "market",
    "city",
    "river",
    "winter",
    "summer",
    "library",
    "history",
    "science",
    "network",
    "program",
    "engine",
    "signal",
    "memory",
    "question",
    "answer",
    "student",
    "teacher",
    "public",
    "private",
    "journal",
]


def en_sentence(rng: random.Random) -> str:
    words = [rng.choice(EN_WORDS) for _ in range(rng.randint(6, 14))]
    return " ".join(words).capitalize() + "."


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, cjk: bool) -> list[str]:
    """Greedy line breaking (by character for Chinese, by word otherwise)."""
    tokens = list(text) if cjk else text.split()
    sep = "" if cjk else " "
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = current + sep + token if current else token
        if face.getlength(candidate) <= width:
            current = candidate
        else:
            if current:
                lines.append(current)
            current = token
    if current:
        lines.append(current)
    return lines


class Page:
    """A white page that records every text line drawn, in reading order."""

    def __init__(self, width: int, height: int, background: str = "white") -> None:
        self.image = Image.new("RGB", (width, height), background)
        self.draw = ImageDraw.Draw(self.image)
        self.lines: list[str] = []

    def text(self, xy: tuple[float, float], text: str, face: ImageFont.FreeTypeFont, fill: str = "black") -> None:
        self.draw.text(xy, text, font=face, fill=fill)
        self.lines.append(text)

    def paragraph(
        self, x: int, y: int, width: int, text: str, face: ImageFont.FreeTypeFont, cjk: bool, leading: float = 1.5
    ) -> int:
        """Draw ``text`` wrapped to ``width``; return the y below it."""
        step = round(face.size * leading)
        for line in wrap(text, face, width, cjk):
            self.text((x, y), line, face)
            y += step
        return y


class TextSource:
    """Chinese filler text (zhlipsum's text layer) and English sentences from a word list."""

    def __init__(self, zh: str, seed: int) -> None:
        self.zh = [s for s in re.split(r"(?<=[。！？])", zh) if len(s) > 8]
        self.rng = random.Random(seed)  # noqa: S311 - reproducible layout, not secrets

    def paragraph(self, cjk: bool, sentences: int) -> str:
        if cjk:
            start = self.rng.randrange(max(1, len(self.zh) - sentences))
            return "".join(self.zh[start : start + sentences])
        return " ".join(en_sentence(self.rng) for _ in range(sentences))


def columns_page(src: TextSource, cjk: bool, columns: int) -> Page:
    width, height, margin, gutter = 1240, 1600, 80, 50
    page = Page(width, height)
    face_path = CJK_FONT if cjk else SERIF
    title = src.paragraph(cjk, 1)[: 22 if cjk else 60].rstrip("，。,. ")
    page.text((margin, 70), title, font(CJK_FONT if cjk else SANS_BOLD, 40))
    y0 = 160
    abstract = src.paragraph(cjk, 2)
    y0 = page.paragraph(margin, y0, width - 2 * margin, abstract, font(face_path, 22), cjk) + 40
    col_w = (width - 2 * margin - (columns - 1) * gutter) // columns
    body = font(face_path, 22 if columns == 2 else 20)
    for c in range(columns):
        x = margin + c * (col_w + gutter)
        y = y0
        while y < height - 200:
            y = page.paragraph(x, y, col_w, src.paragraph(cjk, 3), body, cjk) + 16
    return page


def magazine_page(src: TextSource, cjk: bool) -> Page:
    width, height, margin = 1240, 1500, 70
    page = Page(width, height)
    face_path = CJK_FONT if cjk else SERIF
    page.text(
        (margin, 50),
        src.paragraph(cjk, 1)[: 16 if cjk else 40].rstrip("，。,. "),
        font(CJK_FONT if cjk else SANS_BOLD, 52),
    )
    main_w = 760
    y = 150
    body = font(face_path, 24)
    while y < height - 150:
        y = page.paragraph(margin, y, main_w, src.paragraph(cjk, 3), body, cjk) + 18
    # A shaded sidebar on the right, read after the main column.
    side_x = margin + main_w + 60
    page.draw.rectangle((side_x - 20, 150, width - margin + 20, 900), fill="#e8eef6")
    page.text(
        (side_x, 170),
        "相关阅读" if cjk else "Related reading",
        font(CJK_FONT if cjk else SANS_BOLD, 28),
        fill="#1d3d6b",
    )
    y = 230
    small = font(CJK_FONT if cjk else SANS, 19)
    while y < 820:
        y = page.paragraph(side_x, y, width - margin - side_x, src.paragraph(cjk, 1), small, cjk, leading=1.45) + 14
    return page


FORM_FIELDS_ZH = (
    ("姓名", "张明远"),
    ("性别", "男"),
    ("出生日期", "1990年5月12日"),
    ("民族", "汉族"),
    ("联系电话", "138 0013 5678"),
    ("电子邮箱", "zhangmy@ex.cn"),
    ("工作单位", "浦东信息技术公司"),
    ("职务", "高级工程师"),
    ("通讯地址", "漕溪北路88号"),
    ("邮政编码", "200030"),
)
FORM_FIELDS_EN = (
    ("Full name", "Margaret Ellison"),
    ("Date of birth", "14 March 1987"),
    ("Phone", "+44 20 7946 0321"),
    ("Email", "m.ellison@ex.org"),
    ("Employer", "Northfield Data"),
    ("Job title", "Senior Analyst"),
    ("Address", "42 Harbour Road"),
    ("Postcode", "EH6 6LX"),
    ("Account no.", "GB29 NWBK 6016 1331"),
    ("Signature date", "02/09/2024"),
)


def form_page(cjk: bool) -> Page:
    width, height = 1100, 900
    page = Page(width, height)
    title = "入职登记表" if cjk else "Employee Registration Form"
    page.text((width // 2 - (130 if cjk else 230), 40), title, font(CJK_FONT if cjk else SANS_BOLD, 40))
    fields = FORM_FIELDS_ZH if cjk else FORM_FIELDS_EN
    face = font(CJK_FONT if cjk else SANS, 24)
    top, row_h, left, mid = 130, 64, 60, 550
    for i in range(0, len(fields), 2):
        y = top + (i // 2) * row_h
        for k, (label, value) in enumerate(fields[i : i + 2]):
            x = left if k == 0 else mid
            page.draw.rectangle((x, y, x + 490 - 10 * k, y + row_h), outline="black", width=2)
            page.draw.line((x + 160, y, x + 160, y + row_h), fill="black", width=2)
            page.text((x + 12, y + 18), label, face)
            page.text((x + 175, y + 18), value, face)
    note = (
        "本人承诺以上信息真实有效，如有虚假愿承担相应责任。"
        if cjk
        else "I confirm that the information given above is true and complete."
    )
    page.text((left, top + 5 * row_h + 40), note, face)
    page.text((mid + 100, top + 5 * row_h + 110), "签名：" if cjk else "Signed:", face)
    return page


RECEIPT_ZH = (
    "可口可乐330ml",
    "农夫山泉550ml",
    "康师傅红烧牛肉面",
    "旺旺雪饼",
    "蒙牛纯牛奶250ml",
    "三只松鼠坚果",
    "洽洽香瓜子",
    "维达抽纸",
)
RECEIPT_EN = (
    "Whole milk 1L",
    "Sourdough loaf",
    "Free range eggs",
    "Cheddar 200g",
    "Bananas",
    "Coffee beans",
    "Olive oil 500ml",
    "Tomatoes",
)


def receipt_image(rng: random.Random, cjk: bool, angle: float) -> tuple[Image.Image, list[str]]:
    width, height = 520, 900
    page = Page(width, height, background="#f7f4ec")
    face = font(CJK_FONT if cjk else SANS, 24)
    big = font(CJK_FONT if cjk else SANS_BOLD, 32)
    page.text((120, 30), "联华超市（南京东路店）" if cjk else "GREEN GROCER LTD", big)
    page.text((40, 90), "单号：20240315-0082  收银员：07" if cjk else "Receipt 0082   Till 07", face)
    y = 150
    total = 0.0
    for item in rng.sample(RECEIPT_ZH if cjk else RECEIPT_EN, 6):
        price = rng.randint(150, 4999) / 100
        total += price
        page.text((40, y), item, face)
        amount = f"{price:.2f}"
        page.text((width - 40 - face.getlength(amount), y), amount, face)
        y += 46
    y += 20
    page.draw.line((40, y, width - 40, y), fill="black", width=2)
    y += 20
    label, amount = ("合计", f"{total:.2f}") if cjk else ("TOTAL", f"{total:.2f}")
    page.text((40, y), label, big)
    page.text((width - 40 - big.getlength(amount), y), amount, big)
    page.text((40, y + 70), "谢谢惠顾，欢迎再次光临" if cjk else "Thank you for shopping with us", face)
    # A photo of it: turned, on a darker table, slightly blurred.
    photo = Image.new("RGB", (width + 200, height + 200), "#6b6258")
    photo.paste(page.image, (100, 100))
    photo = photo.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor="#6b6258")
    photo = photo.resize((photo.width * 7 // 10, photo.height * 7 // 10), Image.Resampling.BILINEAR)
    return photo.filter(ImageFilter.GaussianBlur(0.7)), page.lines


def screenshot_page(cjk: bool) -> Page:
    width, height = 1280, 720
    page = Page(width, height, background="#ffffff")
    page.draw.rectangle((0, 0, width, 44), fill="#2b2f36")
    ui = font(CJK_FONT if cjk else SANS, 15)
    menu = ("文件", "编辑", "视图", "帮助") if cjk else ("File", "Edit", "View", "Help")
    for i, item in enumerate(menu):
        page.text((20 + i * 80, 13), item, ui, fill="#e8e8e8")
    page.draw.rectangle((0, 44, 220, height), fill="#f0f2f5")
    nav = (
        ("收件箱", "已发送", "草稿箱", "已删除", "垃圾邮件") if cjk else ("Inbox", "Sent", "Drafts", "Deleted", "Spam")
    )
    for i, item in enumerate(nav):
        page.text((30, 80 + i * 40), item, ui, fill="#333333")
    heading = font(CJK_FONT if cjk else SANS_BOLD, 22)
    page.text((260, 70), "季度报告已经生成" if cjk else "Your quarterly report is ready", heading)
    body = font(CJK_FONT if cjk else SANS, 16)
    texts = (
        (
            "您好，附件是第三季度的销售数据汇总。",
            "华东地区的销售额同比增长百分之十二，",
            "新开设的门店贡献了其中的大部分增长。",
            "请在周五之前确认数据并回复本邮件。",
        )
        if cjk
        else (
            "Hello, attached is the summary of the sales figures for the third quarter.",
            "Revenue in the eastern region grew by twelve percent compared to last year,",
            "most of it from the stores that opened in the spring.",
            "Please check the numbers and reply to this message before Friday.",
        )
    )
    for i, line in enumerate(texts):
        page.text((260, 120 + i * 30), line, body, fill="#222222")
    page.draw.rounded_rectangle((260, 280, 380, 320), radius=6, fill="#1a73e8")
    page.text((285, 290), "回复" if cjk else "Reply", ui, fill="white")
    page.draw.rounded_rectangle((400, 280, 520, 320), radius=6, outline="#999999")
    page.text((425, 290), "转发" if cjk else "Forward", ui, fill="#333333")
    return page


SCENES = (
    ("scene-sign-zh", "zh", ("南京西路",), "#1f4e9c", "white", 0.0),
    ("scene-sign-en", "en", ("EXIT",), "#1a7f37", "white", 0.0),
    ("scene-shop-zh", "zh", ("老字号", "王记生煎馆"), "#b3261e", "#ffe9a8", -4.0),
    ("scene-label-en", "en", ("FRESH", "ORANGE JUICE"), "#f5a623", "#2b2b2b", 3.0),
    ("scene-plate-zh", "zh", ("限速60",), "#ffffff", "#c00000", 0.0),
    ("scene-tilted-en", "en", ("OPEN 24 HOURS",), "#222222", "#ffd400", 20.0),
    ("scene-diagonal-zh", "zh", ("欢迎光临本店",), "#f2f2f2", "#333333", 45.0),
    ("scene-faint-en", "en", ("PLATFORM 3",), "#8a8f96", "#c9ccd1", 0.0),
)


def scene_crop(rng: random.Random, lines: tuple[str, ...], bg: str, fg: str, angle: float, cjk: bool) -> Image.Image:
    """A tight crop of a sign: big glyphs filling the height, a noisy background, a little blur."""
    size = 58 if len(lines) == 1 else 40
    face = font(CJK_FONT if cjk else SANS_BOLD, size)
    width = int(max(face.getlength(line) for line in lines)) + 40
    height = int(len(lines) * size * 1.3) + 16
    image = Image.new("RGB", (width, height), bg)
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.point((x, y), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    for i, line in enumerate(lines):
        draw.text(((width - face.getlength(line)) / 2, 8 + i * size * 1.3), line, font=face, fill=fg)
    if angle:
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=bg)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def debs(folder: Path, packages: set[str]) -> dict[str, tuple[Path, str]]:
    """Download (``apt-get download``) and unpack ``packages`` into ``folder``; name -> (root, version)."""
    folder.mkdir(parents=True, exist_ok=True)
    found: dict[str, tuple[Path, str]] = {}
    for package in sorted(packages):
        archives = sorted(folder.glob(f"{package}_*.deb"))
        if not archives:
            subprocess.run(["apt-get", "download", package], cwd=folder, check=True)
            archives = sorted(folder.glob(f"{package}_*.deb"))
        root = folder / package
        if not root.is_dir():
            subprocess.run(["dpkg-deb", "-x", str(archives[-1]), str(root)], check=True)
        found[package] = (root, archives[-1].name.split("_")[1])
    return found


def pdf_text(page: Any) -> str:
    text = page.get_textpage().get_text_range()
    return unicodedata.normalize("NFKC", str(text)).replace("\r", "")


def save(image: Image.Image, name: str, quality: int = 80) -> str:
    file = f"{name}.jpg"
    image.convert("RGB").save(OUT / file, format="JPEG", quality=quality, optimize=True)
    return file


def main() -> None:
    import pypdfium2 as pdfium

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--debs", type=Path, default=Path(tempfile.gettempdir()) / "eval-debs", help="where to download .deb files"
    )
    args = parser.parse_args()
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    roots = debs(args.debs, {p.package for p in PDF_PAGES})
    entries: list[dict[str, Any]] = []

    def add(name: str, kind: str, lang: str, image: Image.Image, text: str, source: dict[str, Any]) -> None:
        entries.append({"file": save(image, name), "kind": kind, "lang": lang, "text": text, "source": source})

    for spec in PDF_PAGES:
        root, version = roots[spec.package]
        pdf = pdfium.PdfDocument(str(root / spec.path))
        page = pdf[spec.page]
        image = page.render(scale=RENDER_DPI / 72).to_pil()
        source = {
            "debian_package": spec.package,
            "version": version,
            "path": "/" + spec.path,
            "page": spec.page + 1,
            "licence": LPPL,
            "truth": "PDF text layer (pypdfium2), NFKC",
        }
        add(spec.name, spec.kind, spec.lang, image, pdf_text(page), source)

    root, version = roots["texlive-lang-chinese"]
    zh_source = "usr/share/texlive/texmf-dist/tex/latex/zhlipsum/zhlipsum-utf8.def"
    definitions = (root / zh_source).read_text(encoding="utf-8")
    zh = "".join(m.group(0) for m in re.finditer(r"[\u4e00-\u9fff，。、；：！？]{20,}", definitions))
    src = TextSource(zh, seed=10)
    made = {"generator": "scripts/build_eval_set.py", "licence": "MIT (this project)"}
    made_zh = {
        **made,
        "text_from": f"texlive-lang-chinese {version} /{zh_source} (LPPL-1.3c)",
        "font": "fonts-wqy-microhei",
    }
    made_en = {**made, "font": "fonts-dejavu-core"}
    synthetic: list[tuple[str, str, str, Callable[[], Page]]] = [
        ("columns2-zh", "paper", "zh", lambda: columns_page(src, True, 2)),
        ("columns3-en", "paper", "en", lambda: columns_page(src, False, 3)),
        ("sidebar-zh", "magazine", "zh", lambda: magazine_page(src, True)),
        ("sidebar-en", "magazine", "en", lambda: magazine_page(src, False)),
        ("form-zh", "form", "zh", lambda: form_page(True)),
        ("form-en", "form", "en", lambda: form_page(False)),
        ("screenshot-zh", "screenshot", "zh", lambda: screenshot_page(True)),
        ("screenshot-en", "screenshot", "en", lambda: screenshot_page(False)),
    ]
    for name, kind, lang, make in synthetic:
        page = make()
        add(name, kind, lang, page.image, "\n".join(page.lines), made_zh if lang == "zh" else made_en)
    rng = random.Random(3)  # noqa: S311 - reproducible layout, not secrets
    receipts = (
        ("receipt-zh", "zh", 4.0),
        ("receipt-en", "en", -6.0),
        ("receipt-zh-2", "zh", -9.0),
        ("receipt-en-2", "en", 8.0),
    )
    for name, lang, angle in receipts:
        photo, lines = receipt_image(rng, lang == "zh", angle)
        add(name, "receipt", lang, photo, "\n".join(lines), made_zh if lang == "zh" else made_en)
    for name, lang, words, bg, fg, angle in SCENES:
        crop = scene_crop(rng, words, bg, fg, angle, lang == "zh")
        add(name, "scene", lang, crop, "\n".join(words), made_zh if lang == "zh" else made_en)
    manifest = {
        "about": "OCR evaluation set: see scripts/build_eval_set.py (sources, licences) and scripts/bench_quality.py",
        "images": entries,
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    total = sum((OUT / e["file"]).stat().st_size for e in entries)
    print(f"{len(entries)} images, {total / 1e6:.1f} MB in {OUT}")


if __name__ == "__main__":
    main()
