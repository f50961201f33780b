"""Statistics and exports for the newsroom: the statistics page with its plots and CSVs, the
audit export, and statements of reasons in the EU Transparency Database fields."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
