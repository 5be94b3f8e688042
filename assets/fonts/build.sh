#!/usr/bin/env bash
# Rebuild the bundled default Chinese fonts (subsets of Noto Sans CJK SC)
# from the Debian package fonts-noto-cjk. Output is byte-reproducible for a
# given package version, fontTools version and plans/ + templates/ content.
#
# Usage: bash assets/fonts/build.sh
set -euo pipefail

OUT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$OUT_DIR/../.." && pwd)"
SRC_DIR="${NOTO_CJK_DIR:-/usr/share/fonts/opentype/noto}"
FACE_INDEX=2                 # "Noto Sans CJK SC" inside the TTC
FONTTOOLS_VERSION="4.68.0"   # version the committed files were built with
PYTHON="${PYTHON:-python3}"

for w in Regular Bold; do
  if [[ ! -f "$SRC_DIR/NotoSansCJK-$w.ttc" ]]; then
    echo "error: $SRC_DIR/NotoSansCJK-$w.ttc not found." >&2
    echo "Install it first (Debian/Ubuntu): sudo apt-get install fonts-noto-cjk" >&2
    exit 1
  fi
done

if ! "$PYTHON" -c 'import fontTools.subset' 2>/dev/null; then
  echo "fontTools not found; installing fonttools==$FONTTOOLS_VERSION" >&2
  "$PYTHON" -m pip install "fonttools==$FONTTOOLS_VERSION"
fi
have="$("$PYTHON" -c 'import fontTools; print(fontTools.version)')"
if [[ "$have" != "$FONTTOOLS_VERSION" ]]; then
  echo "warning: fontTools $have (committed files used $FONTTOOLS_VERSION); output bytes may differ" >&2
fi

# Fixed timestamp: the mtime of the Debian source font (fontTools honours
# SOURCE_DATE_EPOCH whenever it recalculates head.modified).
SOURCE_DATE_EPOCH="$(stat -c %Y "$SRC_DIR/NotoSansCJK-Regular.ttc")"
export SOURCE_DATE_EPOCH
export LC_ALL=C.UTF-8 PYTHONHASHSEED=0

UNICODES_FILE="$(mktemp)"
WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$UNICODES_FILE" "$WORK_DIR"' EXIT

# Character set -> sorted list of hex code points, one per line.
"$PYTHON" - "$ROOT" >"$UNICODES_FILE" <<'PY'
import os, sys
root = sys.argv[1]
cps = set()
def rng(a, b):
    cps.update(range(a, b + 1))

rng(0x0020, 0x007E)   # printable ASCII
rng(0x00A0, 0x00FF)   # Latin-1 punctuation / symbols
# All of GB2312 (6763 hanzi + symbols)
for hi in range(0xA1, 0xFF):
    for lo in range(0xA1, 0xFF):
        try:
            s = bytes((hi, lo)).decode("gb2312")
        except UnicodeDecodeError:
            continue
        cps.update(map(ord, s))
rng(0x3000, 0x303F)   # CJK symbols and punctuation
rng(0xFF01, 0xFF5E)   # full-width forms
rng(0xFFE0, 0xFFE6)   # full-width signs
rng(0x2010, 0x2027)   # general punctuation
rng(0x2030, 0x205E)   # per mille etc.
rng(0x2190, 0x21FF)   # arrows
rng(0x2460, 0x2473)   # ①-⑳
rng(0x2474, 0x249B)   # ⑴-⒇, ⒈-⒛
rng(0x3220, 0x3229)   # ㈠-㈩
rng(0x2200, 0x22FF)   # mathematical operators
cps.update((0x2103, 0x2116))  # ℃ №
rng(0x2160, 0x217F)   # Roman numerals
rng(0x25A0, 0x25FF)   # geometric shapes
rng(0x2610, 0x2612)   # ☐☑☒
rng(0x2605, 0x2606)   # ★☆
cps.update((0x2713, 0x2717))  # ✓ ✗
# Every character used by the bundled plans and templates
for sub in ("plans", "templates"):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, sub)):
        # generated output (PDFs would add random code points) is not source text
        dirnames[:] = sorted(d for d in dirnames if d != "out" and not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith((".md", ".yaml", ".yml", ".toml", ".tera", ".html", ".css")):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8", errors="ignore") as f:
                cps.update(ord(c) for c in f.read() if ord(c) >= 0x20)
for cp in sorted(cps):
    print("%04X" % cp)
PY
echo "requested code points: $(wc -l <"$UNICODES_FILE")"

# Subset face $FACE_INDEX of each TTC. Layout features: fontTools defaults
# (ccmp, locl, kern, vert, vrt2, palt, halt, vpal, vhal, ...). The 'locl'
# feature is reduced to the lookups used by Simplified Chinese (language ZHS,
# e.g. full-width em dash) and the script defaults; the Japanese, Korean and
# Traditional Chinese glyph variants it would otherwise pull in nearly double
# the file size and are never used by this SC-only font.
for w in Regular Bold; do
  "$PYTHON" - "$SRC_DIR/NotoSansCJK-$w.ttc" "$FACE_INDEX" "$UNICODES_FILE" \
    "$WORK_DIR/NotoSansSC-$w.otf" <<'PY'
import sys
from fontTools import subset

src, index, unicodes_file, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(unicodes_file) as f:
    unicodes = [int(line, 16) for line in f if line.strip()]

opts = subset.Options()
opts.font_number = index
opts.hinting = False
opts.desubroutinize = False      # keeping CFF subroutines is slightly smaller
opts.notdef_outline = True
opts.name_IDs = ["*"]
opts.name_languages = ["*"]
opts.recalc_timestamp = False    # keep head.modified from the source font

font = subset.load_font(src, opts, dontLoadGlyphNames=True)

gsub = font["GSUB"].table
records = gsub.FeatureList.FeatureRecord
keep = set()
for sr in gsub.ScriptList.ScriptRecord:
    systems = [sr.Script.DefaultLangSys] + [
        r.LangSys for r in sr.Script.LangSysRecord if r.LangSysTag.strip() == "ZHS"]
    for ls in systems:
        if ls is None:
            continue
        for i in ls.FeatureIndex:
            if records[i].FeatureTag == "locl":
                keep.update(records[i].Feature.LookupListIndex)
for rec in records:
    if rec.FeatureTag == "locl":
        rec.Feature.LookupListIndex = [i for i in rec.Feature.LookupListIndex if i in keep]
        rec.Feature.LookupCount = len(rec.Feature.LookupListIndex)

sub = subset.Subsetter(options=opts)
sub.populate(unicodes=unicodes)
sub.subset(font)
subset.save_font(font, out, opts)
print("wrote", out)
PY
done

# CFF -> TrueType (glyf) outlines. printpdf 0.12 reads a CFF glyph's advance by re-parsing
# the whole CFF table for every glyph of every PDF, which made a card's drawing time several
# times longer; glyf outlines are read through `loca`, one glyph at a time. Cubic curves are
# approximated by quadratics within 1 font unit (1/1000 em: invisible at any print size).
for w in Regular Bold; do
  "$PYTHON" - "$WORK_DIR/NotoSansSC-$w.otf" "$OUT_DIR/NotoSansSC-$w.ttf" <<'PY'
import sys
from fontTools.ttLib import TTFont, newTable
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

src, out = sys.argv[1], sys.argv[2]
font = TTFont(src, recalcTimestamp=False)
order = font.getGlyphOrder()
glyphs = font.getGlyphSet()
glyf = newTable("glyf")
glyf.glyphOrder = order
glyf.glyphs = {}
for name in order:
    pen = TTGlyphPen(glyphs)
    glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
    glyf[name] = pen.glyph()
font["glyf"] = glyf
font["loca"] = newTable("loca")
maxp = font["maxp"]
maxp.tableVersion = 0x00010000
for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
             "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
             "maxComponentElements"):
    setattr(maxp, attr, 0)
maxp.maxZones = 1
font["head"].glyphDataFormat = 0
post = font["post"]
post.formatType = 2.0
post.extraNames = []
post.mapping = {}
post.glyphOrder = order
del font["CFF "]
if "VORG" in font:
    del font["VORG"]          # vertical origins of CFF outlines; yuan sets text horizontally
font.sfntVersion = "\x00\x01\x00\x00"
font.save(out)
print("wrote", out)
PY
done

# Sanity check
"$PYTHON" - "$OUT_DIR" <<'PY'
import os, sys
from fontTools.ttLib import TTFont
d = sys.argv[1]
need = "应急预案处置卡岗位报警" + "，。、；：（）「」" + "①"
for w in ("Regular", "Bold"):
    p = os.path.join(d, "NotoSansSC-%s.ttf" % w)
    f = TTFont(p)
    cmap = f.getBestCmap()
    missing = [c for c in need if ord(c) not in cmap]
    if missing:
        sys.exit("%s: missing %s" % (p, "".join(missing)))
    print("%s: %s, %d bytes, %d code points" % (
        os.path.basename(p), f["name"].getDebugName(4), os.path.getsize(p), len(cmap)))
PY
(cd "$OUT_DIR" && sha256sum NotoSansSC-Regular.ttf NotoSansSC-Bold.ttf)
