#!/usr/bin/env bash
# Notarise and staple a signed .app or .dmg (xcrun notarytool, Xcode 13+).
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD (an app-specific password): CI secrets.
# A .app is zipped for submission and the ticket stapled to the .app itself (users are often
# offline: Gatekeeper then needs the stapled ticket); a .dmg is submitted and stapled as is.
set -euo pipefail
TARGET="${1:?usage: notarize.sh dist/ChatGuard.app | dist/ChatGuard-x.y.z-macos-arm64.dmg}"
: "${APPLE_ID:?}" "${APPLE_TEAM_ID:?}" "${APPLE_APP_PASSWORD:?}"
submit="$TARGET"
if [ -d "$TARGET" ]; then
  submit="${TMPDIR:-/tmp}/$(basename "$TARGET").zip"
  ditto -c -k --keepParent "$TARGET" "$submit"
fi
xcrun notarytool submit "$submit" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
  --password "$APPLE_APP_PASSWORD" --wait --timeout 45m --output-format json | tee notarytool.json
grep -q '"status" *: *"Accepted"' notarytool.json || {
  id="$(sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' notarytool.json | head -1)"
  [ -n "$id" ] && xcrun notarytool log "$id" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD"
  echo "notarisation failed" >&2; exit 1; }
xcrun stapler staple "$TARGET"
xcrun stapler validate "$TARGET"
if [ -d "$TARGET" ]; then spctl --assess --type execute --verbose=2 "$TARGET" || true; fi
echo "notarised and stapled $TARGET"
