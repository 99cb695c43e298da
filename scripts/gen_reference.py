#!/usr/bin/env python3
"""Regenerate docs/reference.md (config keys and data columns) from the code."""

from pathlib import Path

from netdesign.docs_reference import render_reference

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "docs" / "reference.md"
    target.write_text(render_reference(), encoding="utf-8")
    print(f"wrote {target}")
