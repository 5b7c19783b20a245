"""The filing draft: every answer of the multi-step form, kept server-side in the session.

Back, reload, a language switch or a lost connection lose nothing: each step saves its valid
answers here and every page reads them back. Attachments are sanitized when uploaded and kept
in the default storage under `pending/<draft id>/` until the complaint is filed (then they are
handed to `complaint_submit` and deleted) or the draft is discarded.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.uploads import CleanUpload

SESSION_KEY = "filing_draft"
PENDING_PREFIX = "pending"


class Draft:
    def __init__(self, session: SessionBase) -> None:
        self.session = session
        data = session.get(SESSION_KEY)
        if not isinstance(data, dict) or "id" not in data:
            data = self._empty()
        self.data: dict[str, Any] = data
        # Values derived from the answers while one request runs (e.g. the chosen agency's
        # categories, which several checks of one step read); never saved.
        self.memo: dict[str, Any] = {}

    @staticmethod
    def _empty() -> dict[str, Any]:
        return {
            "id": secrets.token_hex(12),
            "answers": {},
            "done": [],
            "uploads": [],
            "token": secrets.token_urlsafe(24),
            "started_at": timezone.now().isoformat(),
        }

    # -- answers ---------------------------------------------------------------------------

    @property
    def answers(self) -> dict[str, Any]:
        return self.data["answers"]

    def get(self, key: str, default: Any = None) -> Any:
        return self.answers.get(key, default)

    def update(self, step: str | None = None, **values: Any) -> None:
        self.answers.update(values)
        if step and step not in self.data["done"]:
            self.data["done"].append(step)
        self._save()

    def forget(self, *steps: str, keys: tuple[str, ...] = ()) -> None:
        """Mark steps unanswered (e.g. a new agency makes the category answer meaningless)."""
        self.data["done"] = [s for s in self.data["done"] if s not in steps]
        for key in keys:
            self.answers.pop(key, None)
        self._save()

    def is_done(self, step: str) -> bool:
        return step in self.data["done"]

    @property
    def is_empty(self) -> bool:
        return not self.data["done"] and not self.data["uploads"]

    @property
    def submit_token(self) -> str:
        return self.data["token"]

    # -- uploads ---------------------------------------------------------------------------

    @property
    def uploads(self) -> list[dict[str, Any]]:
        return list(self.data["uploads"])

    def add_upload(self, clean: CleanUpload) -> dict[str, Any]:
        key = secrets.token_hex(8)
        path = default_storage.save(
            f"{PENDING_PREFIX}/{self.data['id']}/{key}{clean.extension}", clean.content
        )
        entry = {
            "key": key,
            "path": path,
            "name": clean.original_name,
            "content_type": clean.content_type,
            "size": clean.size,
        }
        self.data["uploads"].append(entry)
        self._save()
        return entry

    def remove_upload(self, key: str) -> bool:
        for entry in self.data["uploads"]:
            if entry["key"] == key:
                self.data["uploads"].remove(entry)
                default_storage.delete(entry["path"])
                self._save()
                return True
        return False

    def upload_files(self) -> list[SimpleUploadedFile]:
        """The stored uploads as files for complaint_submit (which checks them again)."""
        files = []
        for entry in self.data["uploads"]:
            if not default_storage.exists(entry["path"]):
                continue
            with default_storage.open(entry["path"], "rb") as fh:
                files.append(
                    SimpleUploadedFile(entry["name"], fh.read(), content_type=entry["content_type"])
                )
        return files

    # -- lifecycle -------------------------------------------------------------------------

    def clear(self) -> None:
        for entry in self.data["uploads"]:
            default_storage.delete(entry["path"])
        self.session.pop(SESSION_KEY, None)
        self.data = self._empty()

    def _save(self) -> None:
        self.session[SESSION_KEY] = self.data
        self.session.modified = True


def purge_stale_uploads(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Delete pending uploads of drafts abandoned long ago (sessions expire after two weeks by
    default; abandoned drafts older than `older_than` are not coming back). Returns the number
    of files deleted."""
    deleted = 0
    cutoff = timezone.now() - older_than
    try:
        draft_dirs, _files = default_storage.listdir(PENDING_PREFIX)
    except FileNotFoundError:
        return 0
    for draft_dir in draft_dirs:
        folder = f"{PENDING_PREFIX}/{draft_dir}"
        _sub, names = default_storage.listdir(folder)
        for name in names:
            path = f"{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
    return deleted
