"""The evidence report as HTML: one document for both outputs.

The same markup is laid out by Qt's QTextDocument for the PDF (which understands a subset of
HTML/CSS: tables, class selectors, colours, borders, page breaks) and saved as a self-contained
.html file (images as data: URIs, CSS in the file, no scripts, no external resources; the only
links are the official reporting contacts from the advice catalogue).

Headings and notes are in the report's language; message text is shown exactly as read, and
every piece of it is escaped (a scammer's message may well contain markup).
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from patterns import RISK_NONE, Contact, say_all

from .scan import InputResult, LineResult, ScanRun
from .strings import UI_LANGS, t

# key: (zh-Hans, zh-Hant, en)
_S: dict[str, tuple[str, str, str]] = {
    "title": ("聊天截图证据报告", "聊天截圖證據報告", "Chat screenshot evidence report"),
    "subtitle": ("由「聊天守护 ChatGuard」在本机离线生成", "由「聊天守護 ChatGuard」在本機離線生成",
                 "Made offline on this computer by ChatGuard (聊天守护)"),
    "generated": ("报告生成时间", "報告生成時間", "Report generated"),
    "app_version": ("软件版本", "軟體版本", "App version"),
    "pack_version": ("识别规则版本", "識別規則版本", "Pattern pack version"),
    "ocr_engine": ("文字识别引擎", "文字辨識引擎", "OCR engine"),
    "n_files": ("检查的文件", "檢查的檔案", "Files examined"),
    "keep_title": ("请保留原始文件", "請保留原始檔案", "Keep the original files"),
    "keep_note": (
        "本报告只读取了原始截图，没有修改、移动或删除任何文件。请保留原始截图和手机里的聊天记录，不要删除，"
        "警方调查需要它们。每个文件的 SHA-256 值可以用来核对交给警方的文件与本报告检查的文件完全相同。",
        "本報告只讀取了原始截圖，沒有修改、移動或刪除任何檔案。請保留原始截圖和手機裡的聊天記錄，不要刪除，"
        "警方調查需要它們。每個檔案的 SHA-256 值可以用來核對交給警方的檔案與本報告檢查的檔案完全相同。",
        "This report only read the original screenshots: no file was changed, moved or deleted. Keep the "
        "original screenshots and the chat on the phone; do not delete them, police need them to investigate. "
        "The SHA-256 of each file lets anyone check that the files handed over are exactly the ones examined here."),
    "ocr_note": (
        "文字是软件自动识别（OCR）的，可能有个别错字；以原始截图为准。标记是按已知的诈骗和勒索说法自动匹配的，供参考，不是法律结论。",
        "文字是軟體自動辨識（OCR）的，可能有個別錯字；以原始截圖為準。標記是按已知的詐騙和勒索說法自動匹配的，供參考，不是法律結論。",
        "The text was read automatically (OCR) and may contain errors; the original screenshot is what counts. "
        "Lines are flagged by matching known scam and extortion phrasing: an aid, not a legal finding."),
    "verdict": ("总体判断", "總體判斷", "Overall assessment"),
    "flagged_overview": ("可疑消息一览", "可疑訊息一覽", "Flagged messages at a glance"),
    "file": ("文件", "檔案", "File"),
    "file_name": ("文件名", "檔案名稱", "File name"),
    "path": ("位置", "位置", "Location"),
    "size": ("大小", "大小", "Size"),
    "bytes": ("字节", "位元組", "bytes"),
    "mtime": ("修改时间", "修改時間", "Last modified"),
    "sha256": ("SHA-256", "SHA-256", "SHA-256"),
    "dimensions": ("图片尺寸", "圖片尺寸", "Image size"),
    "pixels": ("像素", "像素", "pixels"),
    "chat_title": ("聊天对象（从截图读出）", "聊天對象（從截圖讀出）", "Chat title (as read)"),
    "in_memory": ("粘贴或截取的截图（没有保存成文件）", "貼上或擷取的截圖（沒有儲存成檔案）",
                  "Pasted or captured screenshot (not saved as a file)"),
    "file_missing": ("无法打开这个文件", "無法開啟這個檔案", "This file could not be opened"),
    "hash_changed": (
        "注意：这个文件在检查之后被改动过（SHA-256 与检查时不同）。下面的文字是检查时读到的。",
        "注意：這個檔案在檢查之後被改動過（SHA-256 與檢查時不同）。下面的文字是檢查時讀到的。",
        "Note: this file changed after it was scanned (its SHA-256 differs from the one scanned). "
        "The text below is what was read at scan time."),
    "scan_sha": ("检查时的 SHA-256", "檢查時的 SHA-256", "SHA-256 at scan time"),
    "image_heading": ("截图（方框和编号标出可疑的行）", "截圖（方框和編號標出可疑的行）",
                      "Screenshot (boxes and numbers mark the flagged lines)"),
    "image_left_out": ("按用户的选择，本报告不包含截图图像。", "按使用者的選擇，本報告不包含截圖圖像。",
                       "At the user's request, the screenshot images are left out of this report."),
    "image_unavailable": ("无法显示这张图片。", "無法顯示這張圖片。", "The image could not be shown."),
    "transcript": ("读出的文字", "讀出的文字", "Text as read"),
    "col_no": ("行", "行", "Line"),
    "col_sender": ("发送者", "發送者", "Sender"),
    "col_text": ("内容", "內容", "Text"),
    "col_flag": ("标记", "標記", "Flag"),
    "col_file": ("文件", "檔案", "File"),
    "severity": ("严重程度", "嚴重程度", "severity"),
    "why": ("说明", "說明", "why"),
    "matched": ("匹配的说法", "匹配的說法", "matched phrase"),
    "none_flagged": ("这个文件里没有匹配到已知的风险说法。", "這個檔案裡沒有匹配到已知的風險說法。",
                     "No known risk phrasing was matched in this file."),
    "advice": ("建议", "建議", "What to do"),
    "contacts": ("求助与举报（官方渠道）", "求助與舉報（官方渠道）", "Help and reporting (official contacts)"),
    "contact_name": ("机构", "機構", "Organisation"),
    "contact_web": ("网址", "網址", "Website"),
    "contact_phone": ("电话", "電話", "Phone"),
    "verify": ("如何核对文件", "如何核對檔案", "How to check the files"),
    "verify_note": (
        "在电脑上计算原始文件的 SHA-256，应与上面的值完全一致：",
        "在電腦上計算原始檔案的 SHA-256，應與上面的值完全一致：",
        "Compute the SHA-256 of an original file; it must equal the value above:"),
    "json_note": (
        "同名的 .json 文件包含同样的检查结果（机器可读），包括每一行的位置坐标和每个文件的 SHA-256。",
        "同名的 .json 檔案包含同樣的檢查結果（機器可讀），包括每一行的位置座標和每個檔案的 SHA-256。",
        "The .json file of the same name holds the same results in machine-readable form, including each "
        "line's position and each file's SHA-256."),
    "text_input": ("聊天文字", "聊天文字", "Chat text"),
    "no_inputs": ("没有检查任何文件。", "沒有檢查任何檔案。", "No files were examined."),
    "written": ("证据报告已保存", "證據報告已儲存", "Evidence report written"),
    "written_json": ("检查数据已保存", "檢查資料已儲存", "Scan data written"),
    "bad_suffix": ("报告文件名须以 .pdf 或 .html 结尾", "報告檔名須以 .pdf 或 .html 結尾",
                   "the report file name must end in .pdf or .html"),
    "no_out_dir": ("保存报告的文件夹不存在", "儲存報告的資料夾不存在", "the folder for the report does not exist"),
    "would_overwrite": ("报告不能覆盖被检查的文件", "報告不能覆蓋被檢查的檔案",
                        "the report must not overwrite a file being examined"),
    "write_failed": ("无法保存报告", "無法儲存報告", "could not write the report"),
    "page": ("页", "頁", "page"),
}

MARK = {"critical": "●●●●", "high": "●●●", "medium": "●●", "low": "●"}  # not colour alone
SEV_BG = {"critical": "#fbe3e4", "high": "#fdebd8", "medium": "#fdf5d3", "low": "#e3eef8"}
SEV_FG = {"critical": "#9b0d18", "high": "#a8430a", "medium": "#7a5c00", "low": "#1a5a8a"}


def rt(key: str, lang: str) -> str:
    """A string of the report (falls back to the command line's strings)."""
    row = _S.get(key)
    if row is None:
        return t(key, lang)
    return row[UI_LANGS.index(lang)] if lang in UI_LANGS else row[2]


@dataclass(slots=True)
class FileFacts:
    """What the report states about one original file, measured at report time."""

    source: str
    name: str
    size: int | None = None
    mtime: datetime | None = None
    sha256: str | None = None
    error: str | None = None
    in_memory: bool = False  # a pasted or captured screenshot: never a file


def fmt_time(dt: datetime) -> str:
    """Local time with its UTC offset, e.g. 2026-11-28 10:44:34 (UTC+08:00)."""
    off = dt.strftime("%z")
    off = f"{off[:3]}:{off[3:]}" if off else ""
    return f"{dt.strftime('%Y-%m-%d %H:%M:%S')} (UTC{off})"


def fmt_size(n: int, lang: str) -> str:
    if n >= 1024 * 1024:
        human = f"{n / (1024 * 1024):.1f} MB"
    elif n >= 1024:
        human = f"{n / 1024:.1f} KB"
    else:
        human = ""
    exact = f"{n:,} {rt('bytes', lang)}"
    return f"{exact} ({human})" if human else exact


_CSS = """
body { font-size: 10pt; color: #111; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 2pt 0; }
h2 { font-size: 13.5pt; margin: 14pt 0 4pt 0; border-bottom: 1px solid #888; }
h3 { font-size: 11pt; margin: 10pt 0 3pt 0; }
p { margin: 3pt 0; }
.sub { color: #444; margin-bottom: 8pt; }
table { border-collapse: collapse; }
td, th { padding: 3px 5px; vertical-align: top; text-align: left; }
table.meta td.k { color: #444; white-space: nowrap; }
table.grid { border-color: #999; border-style: solid; width: 100%%; }
table.grid th { background-color: #e8e8e8; }
.mono { font-family: %(mono)s; font-size: 8pt; white-space: nowrap; }
.note { background-color: #fff6d6; border: 1px solid #c9a400; padding: 6px; margin: 6pt 0; }
.note-title { font-weight: bold; }
.verdict { font-size: 12.5pt; font-weight: bold; padding: 6px; }
.hit { background-color: #ffd24d; font-weight: bold; }
.finding { color: #333; font-size: 9pt; }
.dup { color: #666; font-size: 9pt; }
.warn { color: #9b0d18; font-weight: bold; }
.shot { margin: 4pt 0; }
img.shot { border: 1px solid #999; }
a { color: #0645ad; }
.small { color: #444; font-size: 8.5pt; }
"""

_HTML_EXTRA_CSS = """
body { font-family: %(font)s; }
body { max-width: 60em; margin: 1.5em auto; padding: 0 1em; }
table.grid, table.grid td, table.grid th { border: 1px solid #999; }
.shotwrap { display: flex; gap: 1.2em; align-items: flex-start; flex-wrap: wrap; }
.shotwrap > div.trans { flex: 1 1 26em; }
img.shot { max-width: 100%%; height: auto; }
.pb { page-break-before: always; }
@media print { body { max-width: none; margin: 0; } }
"""


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _marked_text(ln: LineResult) -> str:
    """The line, escaped, with the matched parts highlighted."""
    text = ln.text
    spans = sorted((max(0, s), min(len(text), e)) for s, e in ln.line_spans if e > s)
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out.append(_e(text[pos:s]))
        out.append(f'<span class="hit">{_e(text[s:e])}</span>')
        pos = e
    out.append(_e(text[pos:]))
    return "".join(out)


def _top_severity(ln: LineResult) -> str:
    return max(ln.findings, key=lambda f: f.severity.rank).severity.value


def _flag_cell(ln: LineResult, lang: str) -> str:
    if not ln.findings:
        return ""
    sev = _top_severity(ln)
    cats = list(dict.fromkeys(t(f"cat.{f.category.value}", lang) for f in ln.findings))
    return (f'<span style="color:{SEV_FG[sev]}; font-weight:bold">{_e(MARK[sev])} {_e(t("sev." + sev, lang))}</span>'
            f'<br/>{_e("; ".join(cats))}')


def _display_name(source: str, lang: str) -> str:
    return Path(source).name if source != "-" else rt("text_input", lang)


def build_html(run: ScanRun, facts: dict[str, FileFacts], lang: str, *, generated: datetime, app_version: str,
               image_src: Callable[[int], str | None] | None, for_pdf: bool, font: str | None,
               mono: str | None) -> str:
    """The report. ``image_src(i)`` gives the ``src`` of input i's annotated screenshot (None:
    not available); ``image_src=None`` leaves every image out."""
    fonts = ", ".join(f'"{f}"' for f in ([font] if font else []) + ["Noto Sans CJK SC", "PingFang SC",
                                                                     "Microsoft YaHei"]) + ", sans-serif"
    monos = (f'"{mono}", ' if mono else "") + "Consolas, Menlo, monospace"
    css = _CSS % {"mono": monos}
    if not for_pdf:  # the PDF's font is the document's default font (see report_qt.report_font)
        css += _HTML_EXTRA_CSS % {"font": fonts}
    html_lang = {"zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant"}.get(lang, "en")
    engines = sorted({r.engine for r in run.inputs if r.kind == "image" and r.engine})
    b: list[str] = []
    a = b.append
    a("<!DOCTYPE html>")
    a(f'<html lang="{html_lang}"><head><meta charset="utf-8"/>')
    if not for_pdf:
        # Nothing may load from outside the file, and nothing may run.
        a('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
          'style-src \'unsafe-inline\'; base-uri \'none\'; form-action \'none\'"/>')
        a('<meta name="referrer" content="no-referrer"/>')
        a('<meta name="viewport" content="width=device-width, initial-scale=1"/>')
    a(f"<title>{_e(rt('title', lang))}</title><style>{css}</style></head><body>")

    # ---- header
    a(f"<h1>{_e(rt('title', lang))}</h1>")
    a(f'<p class="sub">{_e(rt("subtitle", lang))}</p>')
    a('<table class="meta">')
    meta = [
        (rt("generated", lang), fmt_time(generated)),
        (rt("app_version", lang), f"ChatGuard {app_version}"),
        (rt("pack_version", lang), f"{run.pack_id} {run.pack_version}"),
    ]
    if engines:
        meta.append((rt("ocr_engine", lang), ", ".join(engines)))
    meta.append((rt("n_files", lang), str(len({r.source for r in run.inputs}))))
    for k, v in meta:
        a(f'<tr><td class="k">{_e(k)}</td><td>{_e(v)}</td></tr>')
    a("</table>")
    a(f'<table class="note" width="100%" cellpadding="6"><tr><td><span class="note-title">{_e(rt("keep_title", lang))}</span><br/>'
      f'{_e(rt("keep_note", lang))}<br/><span class="small">{_e(rt("ocr_note", lang))}</span></td></tr></table>')

    # ---- verdict
    s = run.summary
    a(f"<h2>{_e(rt('verdict', lang))}</h2>")
    if s.risk == RISK_NONE:
        a(f'<p class="verdict">{_e(t("risk.none", lang))}</p>')
        a(f"<p>{_e(t('no_match_note', lang))}</p>")
    else:
        cats = ", ".join(t(f"cat.{c.value}", lang) for c in s.categories)
        a(f'<table width="100%" cellpadding="6"><tr><td style="background-color:{SEV_BG[s.risk]}; color:{SEV_FG[s.risk]}">'
          f'<span class="verdict">{_e(MARK[s.risk])} {_e(t("risk." + s.risk, lang))}</span><br/>'
          f'{_e(t("looks_like", lang))}{_e(cats)}<br/>{_e(t("flagged_lines", lang))}: {s.flagged_lines}'
          + (f'<br/>{_e(t("why_level", lang))}{_e("; ".join(say_all(run.reasons, lang)))}' if run.reasons else "")
          + '</td></tr></table>')

    # ---- overview of flagged lines
    flagged = [(i, r, ln) for i, r in enumerate(run.inputs) for ln in r.lines
               if ln.findings and ln.duplicate_of is None]
    if flagged:
        a(f"<h3>{_e(rt('flagged_overview', lang))}</h3>")
        a('<table class="grid" border="1" cellspacing="0" cellpadding="3" width="100%">')
        a(f"<tr><th width=\"6%\">{_e(rt('col_file', lang))}</th><th width=\"6%\">{_e(rt('col_no', lang))}</th>"
          f"<th width=\"10%\">{_e(rt('col_sender', lang))}</th><th width=\"50%\">{_e(rt('col_text', lang))}</th>"
          f"<th width=\"28%\">{_e(rt('col_flag', lang))}</th></tr>")
        for i, _r, ln in flagged:
            a(f"<tr><td>{i + 1}</td><td>{ln.index + 1}</td>"
              f"<td>{_e(t('sender.' + ln.sender, lang))}</td><td>{_marked_text(ln)}</td><td>{_flag_cell(ln, lang)}</td></tr>")
        a("</table>")
    if not run.inputs:
        a(f"<p>{_e(rt('no_inputs', lang))}</p>")

    # ---- each file
    for i, r in enumerate(run.inputs):
        f = facts.get(r.source)
        pb = ' style="page-break-before: always"' if for_pdf else ' class="pb"'
        a(f"<h2{pb}>{_e(rt('file', lang))} {i + 1}: {_e(_display_name(r.source, lang))}</h2>")
        a('<table class="meta" width="100%">')
        rows: list[tuple[str, str, bool]] = []
        if f is not None and f.in_memory:
            rows.append((rt("file_name", lang), rt("in_memory", lang), False))
        elif r.source != "-":
            rows.append((rt("file_name", lang), Path(r.source).name, False))
            rows.append((rt("path", lang), os.path.abspath(r.source), False))
        if f is not None and f.error is None:
            if f.size is not None:
                rows.append((rt("size", lang), fmt_size(f.size, lang), False))
            if f.mtime is not None:
                rows.append((rt("mtime", lang), fmt_time(f.mtime), False))
            if f.sha256:
                rows.append((rt("sha256", lang), f.sha256, True))
        if r.width and r.height:
            rows.append((rt("dimensions", lang), f"{r.width} × {r.height} {rt('pixels', lang)}", False))
        if r.contact:
            rows.append((rt("chat_title", lang), r.contact, False))
        for k, v, mono_v in rows:
            cls = ' class="mono"' if mono_v else ""
            a(f'<tr><td class="k" width="22%">{_e(k)}</td><td><span{cls}>{_e(v)}</span></td></tr>')
        a("</table>")
        if f is not None and f.error is not None:
            a(f'<p class="warn">{_e(rt("file_missing", lang))}: {_e(f.error)}</p>')
            if r.sha256:
                a(f'<p>{_e(rt("scan_sha", lang))}: <span class="mono">{_e(r.sha256)}</span></p>')
        if f is not None and f.sha256 and r.sha256 and f.sha256 != r.sha256:
            a(f'<p class="warn">{_e(rt("hash_changed", lang))}</p>')
            a(f'<p>{_e(rt("scan_sha", lang))}: <span class="mono">{_e(r.sha256)}</span></p>')
        if r.error is not None:
            msg = t(f"err.{r.error.code}", lang)
            if msg.startswith("err."):
                msg = r.error.message
            a(f'<p class="warn">{_e(t("input_error", lang))}: {_e(msg)} [{_e(r.error.code)}]</p>')
            continue

        src = image_src(i) if (image_src is not None and r.kind == "image") else None
        img_html = ""
        if r.kind == "image":
            if image_src is None:
                img_html = f'<p class="small">{_e(rt("image_left_out", lang))}</p>'
            elif src is None:
                img_html = f'<p class="small">{_e(rt("image_unavailable", lang))}</p>'
            else:
                alt = _e(f"{rt('image_heading', lang)}: {Path(r.source).name}")
                if for_pdf:
                    width = 250 if (r.height or 0) > 1.3 * (r.width or 1) else 520
                    img_html = (f'<p class="small">{_e(rt("image_heading", lang))}</p>'
                                f'<p align="center"><img src="{_e(src)}" width="{width}" alt="{alt}"/></p>')
                else:
                    img_html = (f'<div><p class="small">{_e(rt("image_heading", lang))}</p>'
                                f'<img class="shot" src="{_e(src)}" alt="{alt}" width="360"/></div>')
        trans = _transcript(r, lang, run)
        if for_pdf:
            a(img_html)
            a(trans)
        else:
            a(f'<div class="shotwrap">{img_html}<div class="trans">{trans}</div></div>')

    # ---- advice and contacts
    if run.advice:
        pb = ' style="page-break-before: always"' if for_pdf else ' class="pb"'
        a(f"<h2{pb}>{_e(rt('advice', lang))}</h2>")
        shown: set[str] = set()
        for adv in run.advice:
            a(f"<h3>{_e(adv.title)}</h3><ol>")
            for step in adv.steps:
                if step in shown:
                    continue
                shown.add(step)
                a(f"<li>{_e(step)}</li>")
            a("</ol>")
        contacts: dict[str, Contact] = {}
        for adv in run.advice:
            for c in adv.contacts:
                contacts.setdefault(c.key, c)
        if contacts:
            a(f"<h3>{_e(rt('contacts', lang))}</h3>")
            a('<table class="grid" border="1" cellspacing="0" cellpadding="3" width="100%">')
            a(f"<tr><th>{_e(rt('contact_name', lang))}</th><th>{_e(rt('contact_web', lang))}</th>"
              f"<th>{_e(rt('contact_phone', lang))}</th></tr>")
            for c in contacts.values():
                url, phone = c.url, c.phone
                link = f'<a href="{_e(url)}" rel="noreferrer noopener">{_e(url)}</a>' if url else ""
                a(f"<tr><td>{_e(c.name)}</td><td>{link}</td><td>{_e(phone or '')}</td></tr>")
            a("</table>")
    else:
        a(f"<h2>{_e(rt('advice', lang))}</h2><p>{_e(t('no_match_note', lang))}</p>")

    # ---- how to verify
    a(f"<h3>{_e(rt('verify', lang))}</h3>")
    a(f"<p>{_e(rt('verify_note', lang))}</p>")
    a('<p class="mono">Windows: certutil -hashfile FILE SHA256<br/>macOS: shasum -a 256 FILE<br/>Linux: sha256sum FILE</p>')
    a(f'<p class="small">{_e(rt("json_note", lang))}</p>')
    a("</body></html>")
    return "\n".join(b)


def _transcript(r: InputResult, lang: str, run: ScanRun) -> str:
    b: list[str] = []
    a = b.append
    a(f"<h3>{_e(rt('transcript', lang))}</h3>")
    if not r.lines:
        a(f"<p>{_e(t('no_text', lang))}</p>")
        return "\n".join(b)
    if not any(ln.findings for ln in r.lines):
        a(f'<p class="small">{_e(rt("none_flagged", lang))}</p>')
    a('<table class="grid" border="1" cellspacing="0" cellpadding="3" width="100%">')
    a(f"<tr><th width=\"6%\">{_e(rt('col_no', lang))}</th><th width=\"10%\">{_e(rt('col_sender', lang))}</th>"
      f"<th width=\"58%\">{_e(rt('col_text', lang))}</th><th width=\"26%\">{_e(rt('col_flag', lang))}</th></tr>")
    shown: set[tuple[int, str]] = set()
    for ln in r.lines:
        bg = f' style="background-color:{SEV_BG[_top_severity(ln)]}"' if ln.findings else ""
        text = _marked_text(ln)
        if ln.duplicate_of is not None:
            text += f' <span class="dup">{_e(t("duplicate", lang))}</span>'
        details = []
        for fnd in ln.findings:
            key = (ln.message, fnd.rule)
            if key in shown:
                continue
            shown.add(key)
            why = fnd.explain.get(lang) or fnd.explain.get("en", "")
            # why the severity is what it is (the chat's weighing: quoted by the user, sextortion
            # pattern, repeated pressure), in the report's language
            adjusted = "; ".join(say_all(fnd.reasons, lang))
            if adjusted:
                why = f"{why} \u00b7 {adjusted}" if why else adjusted
            matched = " ".join(fnd.matched.split())
            details.append(f'<br/><span class="finding">{_e(rt("matched", lang))}: \u201c{_e(matched)}\u201d '
                           f'[{_e(t("cat." + fnd.category.value, lang))}, {_e(rt("severity", lang))}: '
                           f'{_e(t("sev." + fnd.severity.value, lang))}] {_e(why)}</span>')
        a(f"<tr{bg}><td>{ln.index + 1}</td><td>{_e(t('sender.' + ln.sender, lang))}</td>"
          f"<td>{text}{''.join(details)}</td><td>{_flag_cell(ln, lang)}</td></tr>")
    a("</table>")
    return "\n".join(b)
