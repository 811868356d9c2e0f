#!/usr/bin/env bash
# Build "AMIE Workshop Companion.app" in dist/ from the same spec. Run on a Mac from the
# repository root, with Python 3.11+ (python.org or Homebrew) as python3.11.
# Written for macOS 13+ but not run on this project's Linux machines: try it before relying on it.
set -euo pipefail
python3.11 -m venv .venv
.venv/bin/python -m pip install --upgrade pip
.venv/bin/python -m pip install -e '.[test]'
.venv/bin/python packaging/make_icons.py
# The .icns comes from the PNGs with Apple's own tool.
iconset=build/amie-desktop.iconset
mkdir -p "$iconset"
for size in 16 32 128 256 512; do
  cp "assets/icons/amie-desktop-$size.png" "$iconset/icon_${size}x${size}.png"
done
iconutil -c icns "$iconset" -o packaging/macos/amie-desktop.icns
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/amie-desktop.spec
"dist/amie-desktop/amie-desktop" --version
echo "Built dist/AMIE Workshop Companion.app. Sign and notarise it before sharing it."
