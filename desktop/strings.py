"""User-facing strings of the command line, in zh-Hans, zh-Hant and en.

(The window uses Qt's translation system, desktop/i18n/*.ts.) ``ui_lang()`` picks the language
from the system locale; ``--ui-lang`` overrides it.
"""

from __future__ import annotations

import contextlib
import locale
import os

UI_LANGS = ("zh-Hans", "zh-Hant", "en")

_S: dict[str, tuple[str, str, str]] = {
    # key: (zh-Hans, zh-Hant, en)
    "risk.none": ("未发现已知的风险模式", "未發現已知的風險模式", "No known risk pattern found"),
    "risk.low": ("低风险", "低風險", "Low risk"),
    "risk.medium": ("中等风险", "中等風險", "Medium risk"),
    "risk.high": ("高风险", "高風險", "High risk"),
    "risk.critical": ("极高风险", "極高風險", "Critical risk"),
    "sev.low": ("低", "低", "low"),
    "sev.medium": ("中", "中", "medium"),
    "sev.high": ("高", "高", "high"),
    "sev.critical": ("极高", "極高", "critical"),
    "no_match_note": ("没有匹配并不代表这段聊天是安全的。如果对方让你感到不安、向你要钱、要照片或个人信息，请相信自己的感觉，告诉你信任的人。",
                      "沒有匹配並不代表這段聊天是安全的。如果對方讓你感到不安、向你要錢、要照片或個人資料，請相信自己的感覺，告訴你信任的人。",
                      "No match does not prove a chat is safe. If someone makes you uneasy or asks for money, photos or personal details, trust that feeling and tell someone you trust."),
    "looks_like": ("看起来像：", "看起來像：", "This looks like: "),
    "flagged_lines": ("可疑的消息", "可疑的訊息", "Flagged messages"),
    "why_level": ("为什么是这个级别：", "為什麼是這個級別：", "Why this level: "),
    "what_to_do": ("现在该怎么做", "現在該怎麼做", "What to do now"),
    "contacts": ("求助与举报", "求助與舉報", "Get help and report"),
    "matched": ("匹配", "匹配", "matched"),
    "sender.them": ("对方", "對方", "them"),
    "sender.me": ("我", "我", "me"),
    "sender.system": ("系统", "系統", "system"),
    "sender.unknown": ("未知", "未知", "unknown"),
    "input_error": ("无法读取", "無法讀取", "Could not read"),
    "no_text": ("没有读到文字", "沒有讀到文字", "No text found"),
    "duplicate": ("（与前一张截图重复）", "（與前一張截圖重複）", "(repeated from an earlier screenshot)"),
    "engine_missing": ("缺少 OCR 引擎或语言数据", "缺少 OCR 引擎或語言資料", "The OCR engine or its language data is missing"),
    "how_to_fix": ("解决方法", "解決方法", "How to fix it"),
    "scanning": ("正在读取", "正在讀取", "Reading"),
    "not_risky_hint": ("", "", ""),
    # categories
    "cat.sextortion": ("性勒索（用私密照片威胁）", "性勒索（用私密照片威脅）", "sextortion (threats with intimate images)"),
    "cat.explicit_request": ("索要裸照或色情内容", "索要裸照或色情內容", "request for explicit photos"),
    "cat.threat": ("威胁", "威脅", "threat"),
    "cat.money_demand": ("索要钱财", "索要錢財", "demand for money"),
    "cat.personal_info": ("套取个人信息", "套取個人資料", "asking for personal information"),
    "cat.grooming": ("诱骗未成年人（诱导、拉拢）", "誘騙未成年人（誘導、拉攏）", "grooming"),
    "cat.meeting": ("约你单独见面", "約你單獨見面", "pressure to meet"),
    "cat.location": ("打探你的位置", "打探你的位置", "probing your location"),
    "cat.impersonation": ("冒充警察、使领馆或机构", "冒充警察、使領館或機構", "impersonating police, a consulate or an institution"),
    "cat.investment_scam": ("投资诈骗（杀猪盘）", "投資詐騙（殺豬盤）", "investment scam (pig butchering)"),
    # error codes
    "err.not_found": ("文件不存在。", "檔案不存在。", "The file does not exist."),
    "err.not_a_file": ("这不是一个普通文件（可能是文件夹或失效的链接）。", "這不是一個普通檔案（可能是資料夾或失效的連結）。", "This is not a regular file (a folder or a broken link?)."),
    "err.not_an_image": ("这个文件不是图片。", "這個檔案不是圖片。", "This file is not an image."),
    "err.unsupported_image": ("不支持这种图片格式，请先转换成 PNG 或 JPEG。", "不支援這種圖片格式，請先轉換成 PNG 或 JPEG。", "This image format is not supported; convert it to PNG or JPEG first."),
    "err.corrupt_image": ("图片已损坏或不完整。", "圖片已損壞或不完整。", "The image is damaged or incomplete."),
    "err.image_too_large": ("图片太大，无法安全读取。", "圖片太大，無法安全讀取。", "The image is too large to read safely."),
    "err.ocr_timeout": ("读取这张图片用时太长，已停止。", "讀取這張圖片用時太長，已停止。", "Reading this image took too long and was stopped."),
    "err.ocr_failed": ("文字识别失败。", "文字辨識失敗。", "Text recognition failed on this image."),
    "err.no_images": ("这个文件夹里没有图片（PNG、JPEG、WEBP、BMP、GIF、TIFF）。", "這個資料夾裡沒有圖片（PNG、JPEG、WEBP、BMP、GIF、TIFF）。",
                      "The folder has no images (PNG, JPEG, WEBP, BMP, GIF, TIFF) in it."),
    "err.engine_unavailable": ("缺少 OCR 引擎或语言数据。", "缺少 OCR 引擎或語言資料。", "The OCR engine or its language data is missing."),
}


def ui_lang(env: dict[str, str] | None = None) -> str:
    """zh-Hans / zh-Hant / en from the system locale."""
    env = dict(os.environ) if env is None else env
    cands = [env.get(k, "") for k in ("CHATGUARD_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")]
    if not any(cands):
        with contextlib.suppress(ValueError, TypeError):
            cands.append(locale.getlocale()[0] or "")
    for c in cands:
        lang = normalize_lang(c)
        if lang:
            return lang
    return "en"


def normalize_lang(value: str) -> str | None:
    v = (value or "").split(":")[0].split(".")[0].replace("-", "_").lower()
    if not v or v in ("c", "posix"):
        return None
    if v.startswith("zh"):
        if any(t in v for t in ("hant", "_tw", "_hk", "_mo")):
            return "zh-Hant"
        return "zh-Hans"
    if v in ("zh_hans", "zh_cn", "zh_sg"):
        return "zh-Hans"
    if v.startswith("en") or len(v) >= 2:
        return "en"
    return None


def t(key: str, lang: str) -> str:
    row = _S.get(key)
    if row is None:
        return key
    return row[UI_LANGS.index(lang)] if lang in UI_LANGS else row[2]
