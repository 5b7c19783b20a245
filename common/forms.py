"""Form plumbing shared by every form: aria wiring for the one field template."""

from __future__ import annotations

from django import forms

from common.carry import apply_carried


class AccessibleFormMixin:
    """Adds aria-describedby / aria-invalid to widgets so that the shared field template
    (templates/includes/field.html) renders GOV.UK-style accessible fields. Validation happens
    on the server only (no `required` attributes), so every error uses our own words."""

    use_required_attribute = False

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._wire_aria()

    def add_error(self, field, error) -> None:
        # Views add errors after is_valid() (uploads checked by content, rate limits): the
        # widgets must point at those messages too.
        super().add_error(field, error)  # type: ignore[misc]
        self._wire_aria()

    def _wire_aria(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            bound = self[name]  # type: ignore[index]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-hint")
            if name in self.errors:  # type: ignore[attr-defined]
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids and not isinstance(
                field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}-hint")
        apply_carried(self)  # type: ignore[arg-type]
