"""Build a slim OpenCV (cv2) for the bundle: only core, imgproc and imgcodecs.

Why: the opencv-python-headless wheel is ~150 MB unpacked on Linux (cv2 with every module,
plus FFmpeg/AV1/VPX codecs, OpenSSL, a second OpenBLAS and libgfortran) — a third of the
bundle — while ChatGuard (ocr/ and RapidOCR) calls only core/imgproc/imgcodecs functions.
This builds the same OpenCV version as the one installed in the venv, from the
opencv-python-headless sdist on PyPI, with only those modules and no video, LAPACK, IPP,
OpenCL or external libraries (zlib, libpng, libjpeg and libwebp built in), and installs the
cv2 package into OUT/site (not into the venv: tests and development keep the full wheel).
`chatguard.spec` puts OUT/site first on the search path when CHATGUARD_OPENCV_SITE is set.

    python packaging/build_slim_opencv.py [--python .venv/bin/python] [--out build/opencv-slim]

Prints the site folder on stdout (the build's output goes to stderr). Cached: a second run with the same OpenCV
version and options does nothing (OUT/<key>/site/.complete). Standard library only; needs
cmake and a C++ compiler (MSVC on Windows), plus Ninja if present. Takes 10–30 min on 2 cores.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "opencv-python-headless"

# Everything not listed stays off (OpenCV adds what these depend on: flann, geometry); python3 and
# python_bindings_generator are the bindings.
MODULES = "core,imgproc,imgcodecs,python3,python_bindings_generator"
OPTIONS = [
    "-DCMAKE_BUILD_TYPE=Release",
    f"-DBUILD_LIST={MODULES}",
    "-DBUILD_SHARED_LIBS=OFF",
    "-DBUILD_opencv_python3=ON", "-DBUILD_opencv_python2=OFF", "-DBUILD_opencv_java=OFF",
    "-DPYTHON3_LIMITED_API=ON",  # cv2.abi3: like the wheel
    "-DOPENCV_PYTHON3_INSTALL_PATH=python", "-DINSTALL_CREATE_DISTRIB=ON",  # relocatable loader
    "-DBUILD_opencv_apps=OFF", "-DBUILD_TESTS=OFF", "-DBUILD_PERF_TESTS=OFF", "-DBUILD_EXAMPLES=OFF",
    "-DBUILD_DOCS=OFF", "-DBUILD_JAVA=OFF", "-DBUILD_opencv_python_tests=OFF",
    "-DENABLE_PRECOMPILED_HEADERS=OFF",
    # no video, no GUI, no maths libraries: nothing ChatGuard calls needs them
    "-DWITH_FFMPEG=OFF", "-DWITH_GSTREAMER=OFF", "-DWITH_V4L=OFF", "-DWITH_1394=OFF",
    "-DWITH_MSMF=OFF", "-DWITH_DSHOW=OFF", "-DWITH_AVFOUNDATION=OFF", "-DWITH_OBSENSOR=OFF",
    "-DWITH_GTK=OFF", "-DWITH_QT=OFF", "-DWITH_WIN32UI=OFF", "-DWITH_VTK=OFF",
    "-DWITH_LAPACK=OFF", "-DWITH_EIGEN=OFF", "-DWITH_OPENCL=OFF", "-DWITH_CUDA=OFF",
    "-DWITH_VA=OFF", "-DWITH_VA_INTEL=OFF", "-DWITH_OPENVINO=OFF", "-DWITH_TBB=OFF",
    "-DWITH_OPENMP=OFF", "-DWITH_PROTOBUF=OFF", "-DWITH_ADE=OFF", "-DWITH_ITT=OFF",
    "-DCV_TRACE=OFF",
    # downloaded by CMake at configure time (IPP-ICV, KleidiCV, the putText Unicode font, which
    # the wheel embeds in cv2): off, the build is offline and cv2 smaller
    "-DWITH_IPP=OFF", "-DWITH_KLEIDICV=OFF", "-DWITH_UNIFONT=OFF",
    # image formats: PNG, JPEG, WebP (and OpenCV's built-in BMP/PNM/GIF); the rest off
    "-DOPENCV_FORCE_3RDPARTY_BUILD=ON", "-DBUILD_ZLIB=ON", "-DBUILD_PNG=ON", "-DBUILD_JPEG=ON",
    "-DBUILD_WEBP=ON", "-DWITH_PNG=ON", "-DWITH_JPEG=ON", "-DWITH_WEBP=ON",
    "-DWITH_TIFF=OFF", "-DWITH_OPENJPEG=OFF", "-DWITH_JASPER=OFF", "-DWITH_OPENEXR=OFF",
    "-DWITH_AVIF=OFF", "-DWITH_JPEGXL=OFF", "-DWITH_GDAL=OFF", "-DWITH_GDCM=OFF",
    "-DWITH_IMGCODEC_HDR=OFF", "-DWITH_IMGCODEC_SUNRASTER=OFF", "-DWITH_IMGCODEC_PFM=OFF",
    # SIMD: baseline plus runtime dispatch for SSE4.1 and AVX2 (the wheel also builds AVX-512
    # variants; screenshots do not need them and they double the compile time)
    *(["-DCPU_DISPATCH=SSE4_1;AVX2"] if platform.machine().lower() in ("x86_64", "amd64") else []),
]
if sys.platform == "darwin":
    OPTIONS.append("-DCMAKE_OSX_DEPLOYMENT_TARGET=11.0")  # = LSMinimumSystemVersion in the spec


def run(cmd: list[str]) -> None:
    """Run a build step; its output goes to stderr (stdout carries only the site folder)."""
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, stdout=sys.stderr)


def installed_version(python: str) -> str:
    code = f"from importlib import metadata; print(metadata.version({PACKAGE!r}))"
    return subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


def fetch_sdist(python: str, version: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    name = f"opencv_python_headless-{version}.tar.gz"
    if not (dest / name).is_file():
        run([python, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", PACKAGE,
             f"{PACKAGE}=={version}", "-d", str(dest)])
    return dest / name


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_py = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    ap.add_argument("--python", default=str(default_py), help="the venv whose OpenCV version and numpy to build for")
    ap.add_argument("--out", default=str(ROOT / "build" / "opencv-slim"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    args.python = os.path.abspath(args.python)  # not resolve(): a venv's python is a symlink

    version = installed_version(args.python)
    pyver = subprocess.run([args.python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                           check=True, capture_output=True, text=True).stdout.strip()
    key = hashlib.sha256("\n".join([version, pyver, sys.platform, *OPTIONS]).encode()).hexdigest()[:12]
    out = Path(args.out).resolve()
    work = out / f"{version}-py{pyver}-{key}"
    site = work / "site"
    if (site / ".complete").is_file():
        print(f"build_slim_opencv: cached {version} ({key})", file=sys.stderr)
        print(site)
        return 0

    sdist = fetch_sdist(args.python, version, out)
    src = work / "src"
    if not (src / "opencv" / "CMakeLists.txt").is_file():
        shutil.rmtree(src, ignore_errors=True)
        src.mkdir(parents=True)
        with tarfile.open(sdist) as tar:
            top = f"opencv_python_headless-{version}/opencv/"
            members = [m for m in tar.getmembers() if m.name.startswith(top)]
            for m in members:
                m.name = m.name[len(f"opencv_python_headless-{version}/"):]
            tar.extractall(src, members=members, filter="data")
    bld, inst = work / "build", work / "install"
    gen = []
    if os.name != "nt" and shutil.which("ninja"):
        gen = ["-G", "Ninja"]
    elif os.name == "nt":
        gen = ["-A", "x64"]
    # Python: given explicitly, as opencv-python's setup.py does (OpenCV's own search finds the
    # system libpython, or none, instead of the venv's interpreter's). The limited-API module does
    # not link libpython on Linux/macOS; the library path only has to satisfy the detection.
    q = ("import os, sys, sysconfig; v = sysconfig.get_config_var; print(sysconfig.get_paths()['include']); "
         "print(os.path.join(sys.base_prefix, 'libs', 'python%d%d.lib' % sys.version_info[:2]) if os.name == 'nt' "
         "else os.path.join(v('LIBDIR') or '', v('LDLIBRARY') or ''))")
    py_inc, py_lib = subprocess.run([args.python, "-c", q], check=True, capture_output=True,
                                    text=True).stdout.splitlines()[:2]
    run(["cmake", "-S", str(src / "opencv"), "-B", str(bld), *gen, f"-DCMAKE_INSTALL_PREFIX={inst}",
         f"-DPYTHON3_EXECUTABLE={args.python}", f"-DPYTHON_DEFAULT_EXECUTABLE={args.python}",
         f"-DPYTHON3_INCLUDE_DIR={py_inc}", f"-DPYTHON3_LIBRARY={py_lib}", *OPTIONS])
    run(["cmake", "--build", str(bld), "--config", "Release", "--parallel", str(args.jobs)])
    shutil.rmtree(inst, ignore_errors=True)
    run(["cmake", "--install", str(bld), "--config", "Release"])

    # the cv2 package (loader + python-3/cv2.abi3.so + config files), as the wheel lays it out
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copytree(inst / "python" / "cv2", site / "cv2")
    for lic in ("LICENSE",):
        if (src / "opencv" / lic).is_file():
            shutil.copy2(src / "opencv" / lic, site / "cv2" / "LICENSE.txt")
    # prove it imports and does what ChatGuard needs before calling it done
    check = ("import sys; sys.path.insert(0, sys.argv[1]); import cv2, numpy as np; "
             "assert cv2.__file__.startswith(sys.argv[1]), cv2.__file__; "
             "a = np.zeros((40, 60, 3), np.uint8); g = cv2.cvtColor(a, cv2.COLOR_BGR2GRAY); "
             "ok, png = cv2.imencode('.png', g); assert ok and cv2.imdecode(png, 0).shape == (40, 60); "
             "print('cv2', cv2.__version__, cv2.__file__)")
    run([args.python, "-c", check, str(site)])
    (site / ".complete").write_text(f"{version}\n{key}\n", encoding="utf-8")
    print(site)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
