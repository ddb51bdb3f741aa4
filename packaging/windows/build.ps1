# Windows release files (run from the repository root, in PowerShell, after the venv is set up):
#   dist\ChatGuard\                                 PyInstaller one-folder bundle
#   dist\ChatGuard-<version>-windows-x64.zip        portable: unzip anywhere, run chatguard-gui.exe
#   dist\ChatGuard-<version>-windows-x64-setup.exe  Inno Setup installer (when iscc is installed)
# Tesseract language data: $env:CHATGUARD_TESSDATA_SRC (release.yml fills it with
# packaging/fetch_tessdata.py). Signing (optional): see packaging/README.md.
$ErrorActionPreference = "Stop"
$py = ".venv\Scripts\python.exe"
$version = & $py -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"

& $py -m pip install -q "pyinstaller==6.22.3" "pyinstaller-hooks-contrib==2026.9"
# Slim OpenCV (core/imgproc/imgcodecs only; packaging/build_slim_opencv.py, needs cmake and
# MSVC, cached in build\opencv-slim). release.yml builds it in an earlier, cached step.
if (-not $env:CHATGUARD_OPENCV_SITE) {
    $env:CHATGUARD_OPENCV_SITE = (& $py packaging\build_slim_opencv.py --python $py | Select-Object -Last 1)
    if ($LASTEXITCODE -ne 0) { throw "build_slim_opencv.py failed" }
}
& .venv\Scripts\pyinstaller.exe --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller packaging\chatguard.spec
if ($LASTEXITCODE -ne 0) { throw "pyinstaller failed" }

$zip = "dist\ChatGuard-$version-windows-x64.zip"
if (Test-Path $zip) { Remove-Item $zip }
Compress-Archive -Path dist\ChatGuard -DestinationPath $zip -CompressionLevel Optimal
Write-Host "built $zip"

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
if (Test-Path $iscc) {
  & $iscc /Qp "/DAppVersion=$version" "/DSourceDir=$PWD\dist\ChatGuard" "/DOutputDir=$PWD\dist" packaging\windows\chatguard.iss
  if ($LASTEXITCODE -ne 0) { throw "iscc failed" }
  Write-Host "built dist\ChatGuard-$version-windows-x64-setup.exe"
} else {
  Write-Warning "Inno Setup not found (choco install innosetup): portable zip only"
}
