#!/usr/bin/env bash
# Sign dist/ChatGuard.app with a Developer ID and the hardened runtime (needed for notarisation).
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)"            (required)
#   MACOS_CERT_P12_BASE64 + MACOS_CERT_PASSWORD  the certificate, base64 .p12 (CI: from secrets;
#                         imported into a throw-away keychain). Locally: leave unset, use your login keychain.
# Every Mach-O inside is signed first (inside out), then the app with --deep as a safety net.
set -euo pipefail
APP="${1:-dist/ChatGuard.app}"
ENT="$(cd "$(dirname "$0")" && pwd)/entitlements.plist"
: "${MACOS_SIGN_IDENTITY:?set MACOS_SIGN_IDENTITY (Developer ID Application: ...)}"

if [ -n "${MACOS_CERT_P12_BASE64:-}" ]; then
  kc="$RUNNER_TEMP/chatguard-signing.keychain-db"
  kcpass="$(uuidgen)"
  security create-keychain -p "$kcpass" "$kc"
  security set-keychain-settings -lut 21600 "$kc"
  security unlock-keychain -p "$kcpass" "$kc"
  echo "$MACOS_CERT_P12_BASE64" | base64 --decode > "$RUNNER_TEMP/cert.p12"
  security import "$RUNNER_TEMP/cert.p12" -P "${MACOS_CERT_PASSWORD:?}" -A -t cert -f pkcs12 -k "$kc"
  rm -f "$RUNNER_TEMP/cert.p12"
  security set-key-partition-list -S apple-tool:,apple: -k "$kcpass" "$kc" >/dev/null
  # shellcheck disable=SC2046  # the existing keychains, one word each
  security list-keychains -d user -s "$kc" $(security list-keychains -d user | tr -d '"')
fi

sign() { codesign --force --timestamp --options runtime --entitlements "$ENT" --sign "$MACOS_SIGN_IDENTITY" "$@"; }
# inside out: dylibs, .so extension modules and executables in the bundle
while IFS= read -r -d '' f; do
  if file -b "$f" | grep -q "Mach-O"; then sign "$f"; fi
done < <(find "$APP/Contents" -type f \( -name "*.dylib" -o -name "*.so" -o -perm -u+x \) -print0)
sign --deep "$APP"
codesign --verify --deep --strict --verbose=2 "$APP"
echo "signed $APP"
