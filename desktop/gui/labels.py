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


def severity(sev: str) -> str:
    return {
        "critical": QCoreApplication.translate("Labels", "critical"),
        "high": QCoreApplication.translate("Labels", "high"),
        "medium": QCoreApplication.translate("Labels", "medium"),
        "low": QCoreApplication.translate("Labels", "low"),
    }.get(sev, sev)


def risk(level: str) -> str:
    return {
        "critical": QCoreApplication.translate("Labels", "Critical risk"),
        "high": QCoreApplication.translate("Labels", "High risk"),
        "medium": QCoreApplication.translate("Labels", "Medium risk"),
        "low": QCoreApplication.translate("Labels", "Low risk"),
        "none": QCoreApplication.translate("Labels", "No known risk pattern found"),
    }.get(level, level)


def category(cat: str) -> str:
    return {
        "sextortion": QCoreApplication.translate("Labels", "sextortion (threats with intimate images)"),
        "explicit_request": QCoreApplication.translate("Labels", "request for explicit photos"),
        "threat": QCoreApplication.translate("Labels", "threat"),
        "money_demand": QCoreApplication.translate("Labels", "demand for money"),
        "personal_info": QCoreApplication.translate("Labels", "asking for personal information"),
        "grooming": QCoreApplication.translate("Labels", "grooming"),
        "meeting": QCoreApplication.translate("Labels", "pressure to meet"),
        "location": QCoreApplication.translate("Labels", "probing your location"),
        "impersonation": QCoreApplication.translate("Labels", "impersonating police, a consulate or an institution"),
        "investment_scam": QCoreApplication.translate("Labels", "investment scam (pig butchering)"),
    }.get(cat, cat)


def sender(who: str) -> str:
    return {
        "them": QCoreApplication.translate("Labels", "them"),
        "me": QCoreApplication.translate("Labels", "me"),
        "system": QCoreApplication.translate("Labels", "system"),
        "unknown": QCoreApplication.translate("Labels", "unknown"),
    }.get(who, who)


def error_message(code: str, fallback: str = "") -> str:
    """The contract's error code, in the user's language."""
    msg = {
        "not_found": QCoreApplication.translate("Labels", "The file does not exist."),
        "not_a_file": QCoreApplication.translate("Labels", "This is not a regular file (a folder or a broken link?)."),
        "not_an_image": QCoreApplication.translate("Labels", "This file is not an image."),
        "unsupported_image": QCoreApplication.translate("Labels", "This image format is not supported; convert it to PNG or JPEG first."),
        "corrupt_image": QCoreApplication.translate("Labels", "The image is damaged or incomplete."),
        "image_too_large": QCoreApplication.translate("Labels", "The image is too large to read safely."),
        "ocr_timeout": QCoreApplication.translate("Labels", "Reading this image took too long and was stopped."),
        "ocr_failed": QCoreApplication.translate("Labels", "Text recognition failed on this image."),
        "engine_unavailable": QCoreApplication.translate("Labels", "The OCR engine or its language data is missing."),
        "bad_input": QCoreApplication.translate("Labels", "This file cannot be read."),
    }.get(code)
    return msg or fallback or code


def status(state: str) -> str:
    return {
        "queued": QCoreApplication.translate("Labels", "Waiting"),
        "reading": QCoreApplication.translate("Labels", "Reading…"),
        "done": QCoreApplication.translate("Labels", "Done"),
        "error": QCoreApplication.translate("Labels", "Could not read"),
        "cancelled": QCoreApplication.translate("Labels", "Cancelled"),
    }.get(state, state)
