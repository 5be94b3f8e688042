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
trap 'rm -f "$UNICODES_FILE"' EXIT

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
        dirnames.sort()
        for name in sorted(filenames):
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
    "$OUT_DIR/NotoSansSC-$w.otf" <<'PY'
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

# Sanity check
"$PYTHON" - "$OUT_DIR" <<'PY'
import os, sys
from fontTools.ttLib import TTFont
d = sys.argv[1]
need = "应急预案处置卡岗位报警" + "，。、；：（）「」" + "①"
for w in ("Regular", "Bold"):
    p = os.path.join(d, "NotoSansSC-%s.otf" % w)
    f = TTFont(p)
    cmap = f.getBestCmap()
    missing = [c for c in need if ord(c) not in cmap]
    if missing:
        sys.exit("%s: missing %s" % (p, "".join(missing)))
    print("%s: %s, %d bytes, %d code points" % (
        os.path.basename(p), f["name"].getDebugName(4), os.path.getsize(p), len(cmap)))
PY
(cd "$OUT_DIR" && sha256sum NotoSansSC-Regular.otf NotoSansSC-Bold.otf)
