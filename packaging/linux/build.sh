#!/usr/bin/env bash
# Linux release files from the PyInstaller bundle dist/ChatGuard/ (make package):
#   dist/ChatGuard-<version>-linux-x86_64.tar.gz   the one-folder bundle + desktop file + icon
#   build/AppDir/                                   the AppImage's tree (AppRun, .desktop, icon)
#   dist/ChatGuard-<version>-x86_64.AppImage        when appimagetool is available
# appimagetool: set APPIMAGETOOL=/path/to/appimagetool(.AppImage), or have it on PATH. CI
# downloads it (release.yml); this machine cannot, so locally only the AppDir is built.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUNDLE=dist/ChatGuard
[ -x "$BUNDLE/chatguard" ] || { echo "build.sh: no $BUNDLE/chatguard; run make package first" >&2; exit 1; }
VERSION="$(python3 -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
ARCH="$(uname -m)"

# --- tar.gz: ChatGuard/ with the desktop entry and icon beside the program
stage="build/linux-tar/ChatGuard"
rm -rf build/linux-tar && mkdir -p build/linux-tar
cp -a "$BUNDLE" "$stage"
cp packaging/linux/chatguard.desktop "$stage/chatguard.desktop"
cp packaging/icons/chatguard-256.png "$stage/chatguard.png"
cat > "$stage/README.txt" <<TXT
聊天守护 ChatGuard $VERSION for Linux ($ARCH)
Run:      ./chatguard gui            (the window)
          ./chatguard scan shot.png  (the command line; ./chatguard --help)
Menu entry for your user (optional):
  sed "s|^Exec=chatguard|Exec=\$PWD/chatguard|" chatguard.desktop > ~/.local/share/applications/chatguard.desktop
  install -Dm644 chatguard.png ~/.local/share/icons/hicolor/256x256/apps/chatguard.png
Everything it needs is in this folder (both OCR engines and their language data); it never
uses the network. The window needs the desktop's X11/Wayland libraries (on Debian/Ubuntu:
libxcb-cursor0, libxkbcommon-x11-0, libegl1), which every desktop install has.
TXT
tarball="dist/ChatGuard-$VERSION-linux-$ARCH.tar.gz"
tar -C build/linux-tar -czf "$tarball" ChatGuard
echo "built $tarball ($(du -m "$tarball" | cut -f1) MB)"

# --- AppDir
appdir=build/AppDir
rm -rf "$appdir" && mkdir -p "$appdir/usr/lib" "$appdir/usr/share/applications" \
  "$appdir/usr/share/icons/hicolor/256x256/apps"
cp -a "$BUNDLE" "$appdir/usr/lib/chatguard"
install -m755 packaging/linux/AppRun "$appdir/AppRun"
cp packaging/linux/chatguard.desktop "$appdir/chatguard.desktop"
cp packaging/linux/chatguard.desktop "$appdir/usr/share/applications/chatguard.desktop"
cp packaging/icons/chatguard-256.png "$appdir/chatguard.png"
cp packaging/icons/chatguard-256.png "$appdir/usr/share/icons/hicolor/256x256/apps/chatguard.png"
ln -sf chatguard.png "$appdir/.DirIcon"
echo "built $appdir ($(du -sm "$appdir" | cut -f1) MB)"

tool="${APPIMAGETOOL:-$(command -v appimagetool || true)}"
if [ -n "$tool" ]; then
  out="dist/ChatGuard-$VERSION-$ARCH.AppImage"
  # --appimage-extract-and-run: no FUSE needed on CI runners
  ARCH="$ARCH" VERSION="$VERSION" "$tool" --appimage-extract-and-run --no-appstream "$appdir" "$out" \
    || ARCH="$ARCH" VERSION="$VERSION" "$tool" --no-appstream "$appdir" "$out"
  echo "built $out ($(du -m "$out" | cut -f1) MB)"
else
  echo "appimagetool not found: AppDir only (CI builds the AppImage; see packaging/README.md)"
fi
