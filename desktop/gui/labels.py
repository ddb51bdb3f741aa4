"""Translated words shared by several widgets: risk levels, severities, categories, senders,
error codes. Every string is a literal in a ``QCoreApplication.translate`` call so that
``pyside6-lupdate`` finds it (context ``Labels``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CATEGORIES = ("sextortion", "explicit_request", "threat", "money_demand", "personal_info",
              "grooming", "meeting", "location", "impersonation", "investment_scam")
SEVERITIES = ("critical", "high", "medium", "low")
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3, "critical": 4}

# Severity is never shown by colour alone: each has a mark and a word.
MARK = {"critical": "‼", "high": "!", "medium": "?", "low": "·"}
COLOR = {"critical": "#b3001b", "high": "#d84315", "medium": "#b07800", "low": "#1565c0"}


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def severity(sev: str) -> str:
    return {
        "critical": _t("critical"),
        "high": _t("high"),
        "medium": _t("medium"),
        "low": _t("low"),
    }.get(sev, sev)


def risk(level: str) -> str:
    return {
        "critical": _t("Critical risk"),
        "high": _t("High risk"),
        "medium": _t("Medium risk"),
        "low": _t("Low risk"),
        "none": _t("No known risk pattern found"),
    }.get(level, level)


def category(cat: str) -> str:
    return {
        "sextortion": _t("sextortion (threats with intimate images)"),
        "explicit_request": _t("request for explicit photos"),
        "threat": _t("threat"),
        "money_demand": _t("demand for money"),
        "personal_info": _t("asking for personal information"),
        "grooming": _t("grooming"),
        "meeting": _t("pressure to meet"),
        "location": _t("probing your location"),
        "impersonation": _t("impersonating police, a consulate or an institution"),
        "investment_scam": _t("investment scam (pig butchering)"),
    }.get(cat, cat)


def sender(who: str) -> str:
    return {
        "them": _t("them"),
        "me": _t("me"),
        "system": _t("system"),
        "unknown": _t("unknown"),
    }.get(who, who)


def error_message(code: str, fallback: str = "") -> str:
    """The contract's error code, in the user's language."""
    msg = {
        "not_found": _t("The file does not exist."),
        "not_a_file": _t("This is not a regular file (a folder or a broken link?)."),
        "not_an_image": _t("This file is not an image."),
        "unsupported_image": _t("This image format is not supported; convert it to PNG or JPEG first."),
        "corrupt_image": _t("The image is damaged or incomplete."),
        "image_too_large": _t("The image is too large to read safely."),
        "ocr_timeout": _t("Reading this image took too long and was stopped."),
        "ocr_failed": _t("Text recognition failed on this image."),
        "engine_unavailable": _t("The OCR engine or its language data is missing."),
        "bad_input": _t("This file cannot be read."),
    }.get(code)
    return msg or fallback or code


def status(state: str) -> str:
    return {
        "queued": _t("Waiting"),
        "reading": _t("Reading…"),
        "done": _t("Done"),
        "error": _t("Could not read"),
        "cancelled": _t("Cancelled"),
    }.get(state, state)
