#!/usr/bin/env bash
# Install the built Linux app folder for the current user: the app in ~/.local/opt, a command
# in ~/.local/bin, and the menu entry, icons and AppStream data where desktops look for them.
# Run `make package` first. Remove with: install.sh --uninstall
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=${PREFIX:-$HOME/.local}
id=org.musicallyinclusive.AmieDesktop

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$prefix/opt/amie-desktop" "$prefix/bin/amie-desktop" \
    "$prefix/share/applications/$id.desktop" "$prefix/share/metainfo/$id.metainfo.xml"
  find "$prefix/share/icons/hicolor" -name 'amie-desktop.*' -delete 2>/dev/null || true
  echo "Removed. Your data folder was left alone."
  exit 0
fi

[ -x "$root/dist/amie-desktop/amie-desktop" ] || { echo "Run 'make package' first." >&2; exit 1; }
mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/applications" "$prefix/share/metainfo"
rm -rf "$prefix/opt/amie-desktop"
cp -a "$root/dist/amie-desktop" "$prefix/opt/amie-desktop"
ln -sf "$prefix/opt/amie-desktop/amie-desktop" "$prefix/bin/amie-desktop"
install -m 644 "$here/$id.desktop" "$prefix/share/applications/$id.desktop"
install -m 644 "$here/$id.metainfo.xml" "$prefix/share/metainfo/$id.metainfo.xml"
icons="$root/assets/icons"
for size in 16 24 32 48 64 128 256 512; do
  dir="$prefix/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  install -m 644 "$icons/amie-desktop-$size.png" "$dir/amie-desktop.png"
done
mkdir -p "$prefix/share/icons/hicolor/scalable/apps"
install -m 644 "$icons/amie-desktop.svg" "$prefix/share/icons/hicolor/scalable/apps/amie-desktop.svg"
echo "Installed. Start it from your applications menu, or run: amie-desktop"
