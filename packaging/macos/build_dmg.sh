#!/usr/bin/env bash
# macOS release file from dist/ChatGuard.app (PyInstaller BUNDLE, see chatguard.spec):
#   dist/ChatGuard-<version>-macos-<arch>.dmg   drag ChatGuard.app onto Applications
# With signing secrets set (see sign.sh / notarize.sh): sign the app, notarise + staple it,
# build the dmg, sign it, notarise + staple the dmg. Without them: an unsigned dmg (Gatekeeper
# then needs right-click > Open), with a warning.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=packaging/macos
APP=dist/ChatGuard.app
[ -d "$APP" ] || { echo "build_dmg.sh: no $APP; run pyinstaller packaging/chatguard.spec first" >&2; exit 1; }
VERSION="$(python3 -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
ARCH="$(uname -m)"
DMG="dist/ChatGuard-$VERSION-macos-$ARCH.dmg"

signed=0
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  bash "$here/sign.sh" "$APP"
  signed=1
  if [ -n "${APPLE_ID:-}" ]; then bash "$here/notarize.sh" "$APP"; fi
else
  echo "::warning::MACOS_SIGN_IDENTITY not set: building an UNSIGNED dmg" >&2
fi

stage=build/dmg
rm -rf "$stage" "$DMG" && mkdir -p "$stage"
ditto "$APP" "$stage/ChatGuard.app"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "ChatGuard $VERSION" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$DMG"
if [ "$signed" = 1 ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
  if [ -n "${APPLE_ID:-}" ]; then bash "$here/notarize.sh" "$DMG"; fi
fi
echo "built $DMG ($(du -m "$DMG" | cut -f1) MB)"
