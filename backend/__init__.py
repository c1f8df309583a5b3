"""The reference ops-centre backend of the hall console (FastAPI + SQLite + the Liangxi simulator).

Run it as `python -m backend`; it speaks the contract in `/work/shared/design/API.md`, whose
typed models live in `console.schema`.
"""
